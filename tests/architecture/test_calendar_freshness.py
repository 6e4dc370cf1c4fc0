"""The shipped holiday data must cover what the site will need — a test that fails in time.

Deadlines of requests received in December run into January: a year whose holidays and 调休
are unknown is counted Monday–Friday and marked 预估. The State Council publishes next year's
arrangement in October–November and ``chinesecalendar`` follows with a release; the staff
dashboard and ``opengov calendar check`` warn from 1 November, and this test fails the build
from 1 December (rules.md §2.4 item 4) until the pin in setup.cfg is raised to a release that
covers next year — or the year's notice is entered as data. It reads the real date: it is meant
to break when the calendar goes stale.
"""

from __future__ import annotations

import datetime as dt

from opengov.site import clock
from opengov.site.workdays.rules import package_data

#: From this day of the year on, the build needs next year's holidays in the shipped data.
BUILD_NEEDS_NEXT_YEAR_FROM = (12, 1)


def missing_years(today: dt.date) -> list[int]:
    """The years the shipped data must cover on ``today`` but does not."""
    data = package_data()
    needed = [today.year]
    if (today.month, today.day) >= BUILD_NEEDS_NEXT_YEAR_FROM:
        needed.append(today.year + 1)
    return [year for year in needed if not data.covers(year)]


def test_shipped_holiday_data_covers_this_year_and_in_december_the_next() -> None:
    missing = missing_years(clock.today())
    assert not missing, (
        f"chinesecalendar lacks the holidays of {missing}: raise its pin in setup.cfg to a "
        "release that has them (see the State Council's 部分节假日安排 notice)")


def test_the_rule_bites_in_december_of_a_year_whose_successor_is_missing() -> None:
    last = max(year for year in range(2004, 2100) if package_data().covers(year))
    assert missing_years(dt.date(last, 11, 30)) == []
    assert missing_years(dt.date(last, 12, 1)) == [last + 1]
    assert missing_years(dt.date(last + 1, 6, 1)) == [last + 1]
