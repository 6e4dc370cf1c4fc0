"""Query parameters of public lists: parsed, checked, with a Chinese message per bad value."""

from __future__ import annotations

import pytest

from opengov.site.catalog.rules.listing import DocumentFilters, page_count, parse_listing
from opengov.site.catalog.rules.metadata import Validity


def test_empty_arguments_mean_no_filter_first_page() -> None:
    query = parse_listing({}, default_size=20)
    assert query.filters == DocumentFilters()
    assert (query.page, query.size, query.errors) == (1, 20, {})


def test_every_filter_is_read() -> None:
    query = parse_listing({"column": "fiscal", "agency": "czj", "year": "2024",
                           "topic": "财政、金融、审计\\财政", "validity": "有效", "page": "3",
                           "size": "50"}, default_size=20, allow_size=True)
    assert query.errors == {}
    assert query.filters == DocumentFilters(column="fiscal", agency="czj", year=2024,
                                            topic="财政、金融、审计\\财政",
                                            validity=Validity.VALID)
    assert (query.page, query.size) == (3, 50)
    assert parse_listing(query.filters.as_args(), default_size=20).filters == query.filters


def test_blank_values_are_ignored() -> None:
    query = parse_listing({"year": " ", "topic": "", "validity": ""}, default_size=20)
    assert query.errors == {}
    assert query.filters == DocumentFilters()


@pytest.mark.parametrize(("args", "field", "words"), [
    ({"year": "abc"}, "year", "年份应为数字"),
    ({"year": "１２３４"}, "year", "年份应为数字"),
    ({"year": "1800"}, "year", "1949 至 2100"),
    ({"page": "0"}, "page", "页码应在 1 至"),
    ({"page": "-1"}, "page", "页码应在 1 至 10000 之间，收到 -1"),
    ({"page": "99999999"}, "page", "页码应在"),
    ({"size": "0"}, "size", "每页条数应在 1 至 100"),
    ({"size": "101"}, "size", "每页条数应在 1 至 100"),
    ({"topic": "不存在的分类"}, "topic", "不在主题分类表中"),
    ({"topic": "综合政务\\不存在"}, "topic", "不在主题分类表中"),
    ({"validity": "永久"}, "validity", "有效、失效、废止、已修改"),
    ({"column": "<script>"}, "column", "栏目代码"),
    ({"agency": "财政局"}, "agency", "发布机构代码"),
])
def test_bad_values_are_named_in_chinese(args: dict[str, str], field: str, words: str) -> None:
    query = parse_listing(args, default_size=20, allow_size=True)
    assert list(query.errors) == [field]
    assert words in query.errors[field]


def test_size_is_ignored_where_not_allowed() -> None:
    query = parse_listing({"size": "500"}, default_size=20)
    assert query.errors == {}
    assert query.size == 20


def test_top_level_topic_is_accepted() -> None:
    assert parse_listing({"topic": "综合政务"}, default_size=20).filters.topic == "综合政务"


@pytest.mark.parametrize(("total", "size", "pages"), [(0, 20, 1), (1, 20, 1), (20, 20, 1),
                                                      (21, 20, 2), (100, 10, 10)])
def test_page_count(total: int, size: int, pages: int) -> None:
    assert page_count(total, size) == pages
