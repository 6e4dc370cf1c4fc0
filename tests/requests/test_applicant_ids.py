"""Identity numbers: 居民身份证 check digit (GB 11643) and 统一社会信用代码 (GB 32100)."""

from __future__ import annotations

import pytest

from opengov.site.requests.rules.applicant import (
    id_number_error,
    resident_id_error,
    uscc_check_char,
    uscc_error,
)


@pytest.mark.parametrize("value", ["11010519491231002X", "11010519491231002x",
                                   " 11010519491231002X "])
def test_valid_resident_id(value: str) -> None:
    assert resident_id_error(value) is None


@pytest.mark.parametrize(("value", "message"), [
    ("110105194912310021", "校验位"),
    ("1101051949123100", "18位"),
    ("11010519491331002X", "出生日期"),
    ("1101051949123100ZX", "18位"),
])
def test_invalid_resident_id(value: str, message: str) -> None:
    error = resident_id_error(value)
    assert error is not None
    assert message in error


def test_uscc() -> None:
    assert uscc_error("91350100M000100Y43") is None  # the GB 32100-2015 example
    assert uscc_check_char("91350100M000100Y4") == "3"
    error = uscc_error("91350100M000100Y44")
    assert error is not None
    assert "校验位" in error
    for bad in ("91350100M000100Y4", "91350100M000100I43", "91350100m000100y4O"):
        assert uscc_error(bad) is not None


def test_id_number_by_type() -> None:
    assert id_number_error("居民身份证", "11010519491231002X") is None
    assert id_number_error("统一社会信用代码", "91350100M000100Y43") is None
    assert id_number_error("护照", "E12345678") is None
    assert id_number_error("护照", "") == "请填写证件号码。"
    assert id_number_error("护照", "X" * 41) == "证件号码过长。"
