from __future__ import annotations

import pytest

from opengov.indexer.normalize import (
    PARTIAL,
    SERIAL,
    chinese_number,
    doc_number_keys,
    normalize_query,
    normalize_text,
    query_doc_number_keys,
    query_number_keys,
)


def test_text_normalisation_keeps_one_character_per_character() -> None:
    original = "中華人民共和國政府資訊公開條例（國辦發〔２０１８〕１號）ＡＢＣ"
    normalized = normalize_text(original)
    assert len(normalized) == len(original)
    assert normalized.startswith("中华人民共和国政府资讯公开条例")
    assert "〔国办发〔2018〕1号〕" in normalized
    assert normalized.endswith("abc")


@pytest.mark.parametrize("typed", [
    "国办发〔2018〕123号", "国办发[2018]123号", "国办发（2018）123号", "国办发(2018)123号",
    "国办发【2018】123号", "國辦發〔2018〕123號", "国办发2018年123号", "国办发［２０１８］１２３号",
    "国办发〔2018〕 123 号", "国办发〔2018〕第123号", "国办发[2018]123",
])
def test_document_number_variants_fold_to_one_form(typed: str) -> None:
    assert normalize_query(typed) == "国办发〔2018〕123号"
    assert "国办发〔2018〕123号" in query_doc_number_keys(normalize_query(typed))


def test_decree_numbers_have_the_short_forms_people_type() -> None:
    keys = doc_number_keys("中华人民共和国国务院令第711号")
    assert {"国务院令第711号", "国令第711号", "中华人民共和国国务院令第711号"} <= set(keys)
    assert "国务院令第711号" in query_doc_number_keys(normalize_query("国务院令711号"))
    joint = doc_number_keys("中华人民共和国国务院、中华人民共和国中央军事委员会令第413号")
    assert {"国务院令第413号", "中央军事委员会令第413号"} <= set(joint)
    assert doc_number_keys("") == []


def test_query_prefix_before_a_number_still_yields_the_key() -> None:
    keys = query_doc_number_keys(normalize_query("关于国办发〔2018〕123号的通知"))
    assert "国办发〔2018〕123号" in keys


@pytest.mark.parametrize(("typed", "canonical"), [
    ("国务院735号令", "国务院令第735号"), ("国务院第735号令", "国务院令第735号"),
    ("735号令", "令第735号"), ("国令735", "国令第735号"), ("国务院令735", "国务院令第735号"),
    ("主席令第七十三号", "主席令第73号"), ("国发2018-44", "国发〔2018〕44号"),
    ("国发2018年44号", "国发〔2018〕44号"), ("国发44号文", "国发44号"), ("44号文件", "44号"),
])
def test_numbers_as_people_write_them(typed: str, canonical: str) -> None:
    assert normalize_query(typed) == canonical


def test_partial_number_keys_meet_the_documents_keys() -> None:
    decree = set(doc_number_keys("中华人民共和国国务院令第735号"))
    assert query_number_keys(normalize_query("735号令")) == {"令第735号": PARTIAL}
    assert "令第735号" in decree
    numbered = set(doc_number_keys("国发〔2018〕44号"))
    assert {"国发#44号", "#44号"} <= numbered
    keys = query_number_keys(normalize_query("国发44号文"))
    assert keys["国发#44号"] == PARTIAL
    assert keys["#44号"] == SERIAL
    # 第44号 inside a decree or an article is not a document's serial.
    assert query_number_keys(normalize_query("第44号")) == {}


def test_chinese_numerals() -> None:
    assert [chinese_number(text) for text in ("七十三", "十二", "一百零五", "九", "甲")] == [
        73, 12, 105, 9, None]
