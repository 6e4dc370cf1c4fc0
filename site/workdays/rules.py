"""The working-day calendar of the 条例's deadlines (rules.md §2, design.md §5).

A day is a working day when a staff override says so; otherwise, in a year the
``chinesecalendar`` data covers, when that data says so (Mon–Fri that are not holidays, plus
调休 makeup weekend days); otherwise Monday to Friday, and every date computed across such a
year is *provisional* (预估) until the State Council's notice for it is entered as overrides
and the year confirmed.

Periods "自…之日起N个工作日" start counting on the day after (民法典 Art. 201). Never use
``chinese_calendar.find_workday`` for deadlines: from a non-working start it is off by one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

import chinese_calendar

ONE_DAY = dt.timedelta(days=1)

#: How a mistyped date is explained, in forms and commands alike.
DATE_FORMAT_MESSAGE = "日期格式应为 YYYY-MM-DD"


def parse_day(text: str) -> dt.date:
    """A date typed as YYYY-MM-DD; ``ValueError`` with :data:`DATE_FORMAT_MESSAGE` if not."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(DATE_FORMAT_MESSAGE) from None


@dataclass(frozen=True)
class HolidayData:
    """Official holiday and makeup-workday data for a contiguous range of years."""

    holidays: frozenset[dt.date]
    makeup_workdays: frozenset[dt.date]
    first_year: int
    last_year: int

    @classmethod
    def from_chinese_calendar(cls) -> HolidayData:
        """The data of the installed (pinned) ``chinesecalendar`` release."""
        # The package's own range check is min/max of the holiday dict's years (rules.md §2.3).
        years = [day.year for day in chinese_calendar.holidays]
        return cls(frozenset(chinese_calendar.holidays), frozenset(chinese_calendar.workdays),
                   min(years), max(years))

    def covers(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year


_PACKAGE_DATA: HolidayData | None = None


def package_data() -> HolidayData:
    """The package data, loaded once per process."""
    global _PACKAGE_DATA
    if _PACKAGE_DATA is None:
        _PACKAGE_DATA = HolidayData.from_chinese_calendar()
    return _PACKAGE_DATA


@dataclass(frozen=True)
class DueDate:
    """A computed date, whether it rests on a year without data, and how it was computed."""

    date: dt.date
    provisional: bool
    explanation: str

    def __str__(self) -> str:
        return f"{self.date.isoformat()}{' provisional' if self.provisional else ''}"


@dataclass(frozen=True)
class WorkingCalendar:
    """Working days from official data, staff overrides and a provisional fallback.

    ``overrides`` maps a day to True (working day, e.g. a 调休 Saturday) or False (day off);
    ``confirmed_years`` are years whose State Council notice staff have entered completely as
    overrides, so they are no longer provisional.
    """

    overrides: Mapping[dt.date, bool] = field(default_factory=dict)
    confirmed_years: Collection[int] = frozenset()
    data: HolidayData = field(default_factory=package_data)

    def is_covered(self, year: int) -> bool:
        """True when working days of ``year`` are known rather than guessed (Mon–Fri)."""
        return self.data.covers(year) or year in self.confirmed_years

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if self.data.covers(day.year):
            if day in self.data.makeup_workdays:
                return True
            return day.weekday() < 5 and day not in self.data.holidays
        return day.weekday() < 5

    def add_workdays(self, start: dt.date, count: int,
                     skip: Collection[dt.date] = frozenset()) -> dt.date:
        """The ``count``-th working day strictly after ``start``; days in ``skip`` (paused
        clock) are not counted. ``count`` 0 gives ``start`` itself."""
        if count < 0:
            raise ValueError("count must not be negative")
        day, counted = start, 0
        while counted < count:
            day += ONE_DAY
            if day not in skip and self.is_workday(day):
                counted += 1
        return day

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days d with ``start < d <= end`` (0 when end is not after start)."""
        return len(self.workdays_in(start, end))

    def workdays_in(self, start: dt.date, end: dt.date) -> frozenset[dt.date]:
        """The working days d with ``start < d <= end``: a pause of the clock."""
        days: set[dt.date] = set()
        day = start
        while day < end:
            day += ONE_DAY
            if self.is_workday(day):
                days.add(day)
        return frozenset(days)

    def is_provisional(self, start: dt.date, end: dt.date) -> bool:
        """True when a period from ``start`` to ``end`` crosses a year without data."""
        return any(not self.is_covered(year) for year in range(start.year, end.year + 1))

    def uncovered_years(self, start: dt.date, end: dt.date) -> list[int]:
        return [year for year in range(start.year, end.year + 1) if not self.is_covered(year)]

    def due(self, start: dt.date, count: int, what: str = "",
            skip: Collection[dt.date] = frozenset()) -> DueDate:
        """``add_workdays`` with its provenance, for display beside every deadline."""
        day = self.add_workdays(start, count, skip)
        missing = self.uncovered_years(start, day)
        text = (f"{what}{start.isoformat()}的次日起算第{count}个工作日"
                "（法定节假日不计，调休上班日计入）")
        if skip:
            text += f"，其间暂停计算的{len(skip)}个工作日不计"
        if missing:
            years = "、".join(str(year) for year in missing)
            text += f"；{years}年尚无国务院放假安排数据，按周一至周五预估"
        return DueDate(day, bool(missing), text)


@dataclass(frozen=True)
class CalendarFreshness:
    """Whether the calendar covers what the site will soon need (design.md §7)."""

    ok: bool
    messages: tuple[str, ...]


#: From this day of the year on, next year must be covered (notices come in Oct–Nov).
FRESHNESS_MONTH_DAY = (11, 1)


def check_freshness(today: dt.date, calendar: WorkingCalendar) -> CalendarFreshness:
    """Fail when this year is not covered, or next year is not covered from 1 November on:
    deadlines of December requests run into January and would otherwise be guessed."""
    messages: list[str] = []
    if not calendar.is_covered(today.year):
        messages.append(f"{today.year}年的工作日历缺失：期限按周一至周五预估。")
    if (today.month, today.day) >= FRESHNESS_MONTH_DAY and not calendar.is_covered(
            today.year + 1):
        messages.append(
            f"{today.year + 1}年的放假安排尚未录入：请依国务院办公厅通知录入调整日期"
            f"（opengov calendar set），确认后执行 opengov calendar confirm {today.year + 1}，"
            "或升级 chinesecalendar。")
    return CalendarFreshness(not messages, tuple(messages))
