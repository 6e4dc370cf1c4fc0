"""The working-day calendar: rules.md §2 examples, overrides, provisional years, freshness."""

from __future__ import annotations

import datetime as dt

import pytest

from opengov.site.workdays.rules import HolidayData, WorkingCalendar, check_freshness

D = dt.date
CAL = WorkingCalendar()


@pytest.mark.parametrize(("n", "expected"), [
    (1, D(2025, 9, 28)), (2, D(2025, 9, 29)), (3, D(2025, 9, 30)), (4, D(2025, 10, 9)),
    (5, D(2025, 10, 10)), (6, D(2025, 10, 11)), (7, D(2025, 10, 13)), (20, D(2025, 10, 30)),
])
@pytest.mark.parametrize("start", [D(2025, 9, 26), D(2025, 9, 27)])
def test_rules_md_fixture_table(start: dt.date, n: int, expected: dt.date) -> None:
    # From the Saturday 09-27 too: counting starts the day after, 调休 Sunday 09-28 counts.
    assert CAL.add_workdays(start, n) == expected


def test_reply_and_correction_notice_examples() -> None:
    assert CAL.due(D(2025, 9, 26), 20).date == D(2025, 10, 30)
    assert CAL.due(D(2025, 9, 26), 7).date == D(2025, 10, 13)
    assert not CAL.due(D(2025, 9, 26), 20).provisional


def test_zero_days_is_the_start_and_negative_is_refused() -> None:
    assert CAL.add_workdays(D(2025, 10, 1), 0) == D(2025, 10, 1)
    with pytest.raises(ValueError, match="negative"):
        CAL.add_workdays(D(2025, 10, 1), -1)


def test_is_workday_uses_holidays_and_makeup_days() -> None:
    assert not CAL.is_workday(D(2025, 10, 1))  # 国庆
    assert CAL.is_workday(D(2025, 9, 28))  # 调休 Sunday
    assert not CAL.is_workday(D(2025, 9, 27))  # ordinary Saturday
    assert CAL.is_workday(D(2025, 9, 26))


def test_workdays_between_excludes_start_includes_end() -> None:
    assert CAL.workdays_between(D(2025, 9, 26), D(2025, 10, 30)) == 20
    assert CAL.workdays_between(D(2025, 9, 26), D(2025, 9, 26)) == 0
    assert CAL.workdays_between(D(2025, 10, 1), D(2025, 10, 8)) == 0
    assert CAL.workdays_between(D(2025, 10, 30), D(2025, 9, 26)) == 0


def test_skip_days_are_not_counted() -> None:
    paused = CAL.workdays_in(D(2025, 9, 26), D(2025, 9, 30))  # 09-28, 09-29, 09-30
    assert len(paused) == 3
    assert CAL.add_workdays(D(2025, 9, 26), 20, paused) == CAL.add_workdays(D(2025, 10, 30), 3)


def test_year_boundary_into_a_year_without_data_is_provisional() -> None:
    due = CAL.due(D(2026, 12, 20), 20)
    # 9 working days in December, then Monday–Friday in 2027: 01-01 (a Friday) counts.
    assert due.date == D(2027, 1, 15)
    assert due.provisional
    assert "2027年尚无国务院放假安排数据" in due.explanation
    assert str(due) == "2027-01-15 provisional"


def test_period_inside_a_covered_year_is_not_provisional() -> None:
    due = CAL.due(D(2026, 11, 2), 20)
    assert not due.provisional
    assert str(due) == due.date.isoformat()


def test_overrides_win_over_data_and_fallback() -> None:
    calendar = WorkingCalendar(overrides={D(2027, 1, 1): False, D(2025, 10, 1): True})
    assert calendar.add_workdays(D(2026, 12, 20), 20) == D(2027, 1, 18)
    assert calendar.is_workday(D(2025, 10, 1))
    assert calendar.due(D(2026, 12, 20), 20).provisional  # 2027 not confirmed yet


def test_a_confirmed_year_is_no_longer_provisional() -> None:
    calendar = WorkingCalendar(overrides={D(2027, 1, 1): False}, confirmed_years={2027})
    due = calendar.due(D(2026, 12, 20), 20)
    assert due == due.__class__(D(2027, 1, 18), False, due.explanation)
    assert "预估" not in due.explanation


def test_package_data_range_is_the_pinned_release() -> None:
    assert (CAL.data.first_year, CAL.data.last_year) == (2004, 2026)
    assert CAL.is_covered(2026)
    assert not CAL.is_covered(2027)
    assert not CAL.is_covered(2003)


def test_custom_holiday_data() -> None:
    data = HolidayData(frozenset({D(2030, 1, 1)}), frozenset({D(2030, 1, 5)}), 2030, 2030)
    calendar = WorkingCalendar(data=data)
    assert not calendar.is_workday(D(2030, 1, 1))
    assert calendar.is_workday(D(2030, 1, 5))
    assert not calendar.is_covered(2026)


class TestFreshness:
    def test_next_year_missing_after_first_of_november_fails(self) -> None:
        result = check_freshness(D(2026, 11, 23), CAL)
        assert not result.ok
        assert "2027年的放假安排尚未录入" in result.messages[0]

    def test_before_november_next_year_is_not_needed(self) -> None:
        assert check_freshness(D(2026, 10, 31), CAL).ok

    def test_first_of_november_is_the_cut_off(self) -> None:
        assert not check_freshness(D(2026, 11, 1), CAL).ok

    def test_confirmed_override_year_satisfies_the_check(self) -> None:
        assert check_freshness(D(2026, 11, 23), WorkingCalendar(confirmed_years={2027})).ok

    def test_current_year_missing_fails_all_year(self) -> None:
        result = check_freshness(D(2027, 3, 1), CAL)
        assert not result.ok
        assert "2027年的工作日历缺失" in result.messages[0]

    def test_covered_years_pass(self) -> None:
        assert check_freshness(D(2025, 12, 31), CAL).ok
