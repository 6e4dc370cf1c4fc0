"""Catalog vocabulary: topics, 索引号 and 发文字号 formats."""

from __future__ import annotations

import pytest

from opengov.site.catalog.rules.metadata import (
    TOPIC_TREE,
    format_index_no,
    is_valid_doc_number,
    is_valid_topic,
    parse_index_no,
    topic_choices,
)


def test_topic_tree_has_22_top_levels() -> None:
    assert len(TOPIC_TREE) == 22


@pytest.mark.parametrize("topic", ["综合政务", "综合政务\\政务公开", "工业、交通\\信息产业（含电信）",
                                   "其他"])
def test_valid_topics(topic: str) -> None:
    assert is_valid_topic(topic)
    assert topic in topic_choices()


@pytest.mark.parametrize("topic", ["", "政务公开", "综合政务\\财政", "综合政务/政务公开"])
def test_invalid_topics(topic: str) -> None:
    assert not is_valid_topic(topic)


def test_index_no_round_trip() -> None:
    index_no = format_index_no("000014349", 2015, 112)
    assert index_no == "000014349/2015-00112"
    assert parse_index_no(index_no) == ("000014349", 2015, 112)
    assert parse_index_no("0142768-8/2022-00185") == ("0142768-8", 2022, 185)


@pytest.mark.parametrize("serial", [0, 100000])
def test_index_no_serial_range(serial: int) -> None:
    with pytest.raises(ValueError, match="序号"):
        format_index_no("000014349", 2015, serial)


def test_malformed_index_no() -> None:
    with pytest.raises(ValueError, match="索引号格式"):
        parse_index_no("000014349-2015-112")


@pytest.mark.parametrize(("number", "valid"), [
    ("中办发〔2011〕22号", True),
    ("国办发〔2017〕47号", True),
    ("国务院令第711号", True),
    ("中办发[2011]22号", False),
    ("22号", False),
])
def test_doc_numbers(number: str, valid: bool) -> None:
    assert is_valid_doc_number(number) is valid
