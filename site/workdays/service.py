"""The site's :class:`WorkingCalendar`: package data plus the staff override table.

Deadlines stored by other features (a request's reply date) rest on this calendar, so every
change sends :data:`calendar_changed` inside the change's unit of work: a receiver recomputes
what it stored and its writes commit, or roll back, together with the change. Receivers are
connected by the app factory, so this feature imports none of the features that depend on it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from blinker import Namespace
from sqlalchemy import select
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.audit.service import Actor
from opengov.site.db import get_session, unit_of_work
from opengov.site.workdays.models import CalendarOverride, CalendarYear
from opengov.site.workdays.rules import CalendarFreshness, WorkingCalendar, check_freshness

_signals = Namespace()

#: Sent after a day was set or removed or a year confirmed, inside the unit of work, as
#: ``calendar_changed.send(None, session=session, calendar=calendar)`` with the new calendar.
calendar_changed = _signals.signal("calendar-changed")

#: Who changed the calendar when no staff account did (the ``opengov calendar`` commands).
COMMAND_LINE = "cli"


# --- composable -------------------------------------------------------------------------


def load_calendar(session: Session) -> WorkingCalendar:
    """The calendar with the staff overrides and confirmed years, read in ``session``."""
    overrides = {row.day: row.workday for row in session.scalars(select(CalendarOverride))}
    years = frozenset(session.scalars(select(CalendarYear.year)))
    return WorkingCalendar(overrides=overrides, confirmed_years=years)


def _changed(session: Session) -> None:
    session.flush()
    calendar_changed.send(None, session=session, calendar=load_calendar(session))


# --- entry functions --------------------------------------------------------------------


def site_calendar() -> WorkingCalendar:
    """The calendar deadlines are computed on."""
    return load_calendar(get_session())


def site_calendar_if_initialised() -> WorkingCalendar | None:
    """The site's calendar, or None before `opengov init` created its tables (commands that
    can answer from the package data alone then still work)."""
    session = get_session()
    try:
        return load_calendar(session)
    except (OperationalError, ProgrammingError):
        session.rollback()
        return None


def freshness(today: dt.date | None = None) -> CalendarFreshness:
    """Whether the calendar covers this year and, from 1 November, the next (design.md §7)."""
    return check_freshness(today or clock.today(), site_calendar())


def set_override(day: dt.date, workday: bool, note: str, *, actor: Actor | None) -> None:
    """Record a day from the State Council's notice (``actor`` None: the command line);
    everything computed on the calendar is recomputed in the same unit of work."""
    with unit_of_work() as session:
        row = session.get(CalendarOverride, day)
        if row is None:
            row = CalendarOverride(day=day)
            session.add(row)
        row.workday, row.note = workday, note
        row.created_by = actor.username if actor is not None else COMMAND_LINE
        _changed(session)


def remove_override(day: dt.date) -> bool:
    """Remove the override of ``day``; False when there was none."""
    with unit_of_work() as session:
        row = session.get(CalendarOverride, day)
        if row is None:
            return False
        session.delete(row)
        _changed(session)
        return True


def confirm_year(year: int, note: str) -> None:
    """Declare ``year``'s notice completely entered: its dates stop being provisional."""
    with unit_of_work() as session:
        row = session.get(CalendarYear, year)
        if row is None:
            session.add(CalendarYear(year=year, note=note))
        else:
            row.note = note
        _changed(session)


def overrides_in(year: int) -> list[CalendarOverride]:
    """The overrides of ``year`` by date."""
    return list(get_session().scalars(
        select(CalendarOverride)
        .where(CalendarOverride.day >= dt.date(year, 1, 1),
               CalendarOverride.day <= dt.date(year, 12, 31))
        .order_by(CalendarOverride.day)))


@dataclass(frozen=True)
class CalendarPage:
    """What the staff calendar page shows for one year."""

    year: int
    overrides: list[CalendarOverride]
    #: Whether the year's working days are known (package data or a confirmed notice).
    covered: bool
    freshness: CalendarFreshness


def calendar_page(year: int | None = None) -> CalendarPage:
    """The overrides of ``year`` (default: next year, whose notice is the one to enter)."""
    today = clock.today()
    year = year or today.year + 1
    calendar = site_calendar()
    return CalendarPage(year, overrides_in(year), calendar.is_covered(year),
                        check_freshness(today, calendar))
