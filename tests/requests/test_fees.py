"""信息处理费 examples of rules.md §1.7."""

from __future__ import annotations

import pytest

from opengov.site.requests.rules.fees import (
    fee_by_items,
    fee_by_pages,
    fee_for_new_items,
    item_rate,
)


@pytest.mark.parametrize(("k", "rate"), [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200),
                                         (40, 200), (41, 300), (50, 300), (51, 400)])
def test_item_rates(k: int, rate: int) -> None:
    assert item_rate(k) == rate


@pytest.mark.parametrize(("items", "fee"), [(0, 0), (10, 0), (11, 100), (35, 3000),
                                            (45, 5500)])
def test_fee_by_items(items: int, fee: int) -> None:
    assert fee_by_items(items) == fee


def test_fee_of_a_new_application_is_the_difference() -> None:
    assert fee_for_new_items(30, 5) == 1000
    assert fee_for_new_items(0, 10) == 0
    assert fee_for_new_items(8, 4) == 200


@pytest.mark.parametrize(("pages", "fee"), [(0, 0), (30, 0), (31, 10), (100, 700),
                                            (150, 1700), (200, 2700), (250, 4700)])
def test_fee_by_pages(pages: int, fee: int) -> None:
    assert fee_by_pages(pages) == fee
