from __future__ import annotations

import pytest

from opengov.indexer.query import MAX_QUERY_LENGTH, QueryError, parse_query
from opengov.indexer.tokenizer import get_tokenizer


@pytest.mark.parametrize(("raw", "message"), [
    ("", "请输入"),
    ("   ", "请输入"),
    ("政" * (MAX_QUERY_LENGTH + 1), "过长"),
    ("!!!((**))", "没有可检索的文字"),
    ('"政务公开', "引号"),
])
def test_bad_queries_get_a_chinese_message(raw: str, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(raw, get_tokenizer())
    assert message in caught.value.message


def test_engine_syntax_is_plain_text() -> None:
    request = parse_query("title:(政务 AND OR* 公开", get_tokenizer())
    words = [term.alternatives[0] for term in request.terms]
    assert "政务" in words
    assert "公开" in words


def test_phrases_question_words_and_synonyms() -> None:
    request = parse_query("如何申请“政务公开”公车", get_tokenizer(),
                          synonyms={"公车": ["公务用车"]})
    assert request.phrases == ("政务公开",)
    words = [term.alternatives for term in request.terms]
    assert ("公车", "公务用车") in words
    assert all("如何" not in alternatives for alternatives in words)


def test_the_asking_of_a_question_about_a_procedure_is_not_searched() -> None:
    request = parse_query("农村盖房子要办什么手续", get_tokenizer())
    assert [term.alternatives[0] for term in request.terms] == ["农村", "盖房子"]
    alone = parse_query("手续", get_tokenizer())  # nothing else asked: searched as typed
    assert [term.alternatives[0] for term in alone.terms] == ["手续"]


def test_filters_sort_and_paging_are_clamped() -> None:
    request = parse_query("政务", get_tokenizer(), filters={"year": "2024", "bogus": "x"},
                          sort="nonsense", page=0, size=1000)
    assert request.filters == {"year": "2024"}
    assert (request.sort, request.page, request.size) == ("relevance", 1, 100)


def test_a_year_ranks_rather_than_restricts() -> None:
    request = parse_query("2020年政府工作报告", get_tokenizer())
    assert request.year == "2020"
    assert [term.alternatives[0] for term in request.terms] == ["政府工作报告"]
    assert parse_query("2018年度国家科学技术奖励", get_tokenizer()).year == "2018"
    # The year of a document number is no year of the query.
    assert parse_query("国发〔2018〕44号", get_tokenizer()).year == ""
    alone = parse_query("2019年", get_tokenizer())
    assert (alone.year, alone.terms) == ("2019", ())


def test_document_numbers_become_keys_with_their_strength() -> None:
    request = parse_query("国务院735号令", get_tokenizer())
    assert ("国务院令第735号", "exact") in request.number_keys
    assert ("令第735号", "partial") in request.number_keys
