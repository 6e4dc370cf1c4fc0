from __future__ import annotations

from pathlib import Path

from opengov.indexer.lexicon import built_in_lexicon, derive_abbreviations, merge, read_lexicon
from opengov.indexer.query import parse_query
from opengov.indexer.tokenizer import get_tokenizer


def test_the_hand_kept_lexicon_is_read_normalised(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.tsv"
    path.write_text("# comment\ntyped\tmeant\n個稅法\t个人所得税法\n拆迁\t房屋征收\n拆迁\t征收与补偿\n"
                    "拆迁\t房屋征收\n同\t同\n", encoding="utf-8")
    assert read_lexicon(path) == {"个税法": ("个人所得税法",), "拆迁": ("房屋征收", "征收与补偿")}
    shipped = built_in_lexicon()
    assert shipped["个税法"] == ("个人所得税法",)
    assert "住房公积金" in shipped["公积金"]


def test_law_abbreviations_are_derived_from_titles_unless_ambiguous_or_a_word() -> None:
    derived = derive_abbreviations([
        "中华人民共和国未成年人保护法（2024修正）", "中华人民共和国个人信息保护法",
        "中华人民共和国专利法",  # one word: no rule
        "职业教育法", "职业教学法",  # would share 职教法: left out
        "关于加强公务用车管理的通知",  # not a law
    ], get_tokenizer())
    assert derived["未保法"] == ("未成年人保护法",)
    assert derived["个保法"] == ("个人信息保护法",)
    assert "职教法" not in derived
    assert all(len(names) == 1 for names in derived.values())


def test_sources_merge_in_order_without_repeats() -> None:
    assert merge({"公车": ["公务用车"]}, {"公车": ("公务车", "公务用车"), "低保": ("最低生活保障",)}) == {
        "公车": ("公务用车", "公务车"), "低保": ("最低生活保障",)}


def test_lexicon_entries_are_alternatives_found_before_segmentation() -> None:
    lexicon = built_in_lexicon()
    request = parse_query("个税法 怎么申报", get_tokenizer(), synonyms=lexicon)
    assert request.terms[0].alternatives == ("个税法", "个人所得税法")
    assert [term.alternatives[0] for term in request.terms[1:]] == ["申报"]
    # An abbreviation the segmenter cuts up is matched through its full name only.
    cut_up = parse_query("个保法", get_tokenizer(), synonyms=lexicon).terms[0]
    assert cut_up.forms[0] == ()
    # An entry inside a longer word is not taken: 工作报告 in 政府工作报告.
    report = parse_query("政府工作报告", get_tokenizer(), synonyms=lexicon)
    assert [term.alternatives for term in report.terms] == [("政府工作报告",)]
