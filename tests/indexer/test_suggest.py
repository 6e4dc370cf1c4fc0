from __future__ import annotations

from opengov.indexer.suggest import Suggester
from opengov.indexer.tokenizer import get_tokenizer

TITLES = [
    "中华人民共和国政府信息公开条例",
    "国务院办公厅关于推进政务公开的意见",
    "中华人民共和国环境保护法",
    "关于公务用车管理的通知",
    "中华人民共和国行政许可法",
]


def make() -> Suggester:
    return Suggester(TITLES, get_tokenizer())


def test_pinyin_input_becomes_title_words() -> None:
    assert make().suggest("zhengfu xinxi gongkai") == "政府信息公开"
    assert make().suggest("ZhengWuGongKai") == "政务公开"
    assert make().suggest("qwxz") is None


def test_homophone_and_one_character_typos() -> None:
    suggester = make()
    assert suggester.suggest("政府信息公开条列") == "政府信息公开条例"
    assert suggester.suggest("政俯信息公开") == "政府信息公开"
    assert suggester.suggest("行政许可发") == "行政许可法"


def test_correct_queries_get_no_suggestion() -> None:
    assert make().suggest("政府信息公开条例") is None
    assert make().suggest("环境保护") is None


def test_autocomplete_prefers_titles_starting_with_the_text() -> None:
    suggester = make()
    assert suggester.complete("中华人民共和国")[0] == "中华人民共和国环境保护法"
    assert suggester.complete("政務公開") == ["国务院办公厅关于推进政务公开的意见"]
    assert suggester.complete("  ") == []


def test_function_words_are_not_typos() -> None:
    assert make().suggest("公务用车的管理怎么办") is None
