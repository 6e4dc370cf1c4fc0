"""信息处理费 (国办函〔2020〕109号, rules.md §1.7): 按件计收 per applicant per calendar month,
按量计收 per application; both 超额累进, one method per application."""

from __future__ import annotations


def item_rate(k: int) -> int:
    """元 for the k-th item of the month: free up to 10, 100 up to 30, then +100 per 10."""
    if k <= 10:
        return 0
    if k <= 30:
        return 100
    return 100 * (1 + -(-(k - 30) // 10))


def fee_by_items(total: int) -> int:
    """Fee for ``total`` items in one month (35 → 3,000元; 45 → 5,500元)."""
    return sum(item_rate(k) for k in range(1, total + 1))


def fee_for_new_items(before: int, new: int) -> int:
    """Fee of an application of ``new`` items when ``before`` were filed earlier that month."""
    return fee_by_items(before + new) - fee_by_items(before)


def fee_by_pages(pages: int) -> int:
    """按量计收 (150 pages → 1,700元; 250 → 4,700元)."""
    bands = ((30, 0), (100, 10), (200, 20))
    fee, lower = 0, 0
    for upper, rate in bands:
        fee += max(0, min(pages, upper) - lower) * rate
        lower = upper
    return fee + max(0, pages - 200) * 40
