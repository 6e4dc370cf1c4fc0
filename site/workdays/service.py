"""The site's :class:`WorkingCalendar`: package data plus the staff override table."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from opengov.site.workdays.models import CalendarOverride, CalendarYear
from opengov.site.workdays.rules import WorkingCalendar


def load_calendar(session: Session) -> WorkingCalendar:
    overrides = {row.day: row.workday for row in session.scalars(select(CalendarOverride))}
    years = frozenset(session.scalars(select(CalendarYear.year)))
    return WorkingCalendar(overrides=overrides, confirmed_years=years)


def set_override(session: Session, day: dt.date, workday: bool, note: str, by: str) -> None:
    """Record a day from the State Council's notice; every open request is recomputed."""
    row = session.get(CalendarOverride, day)
    if row is None:
        row = CalendarOverride(day=day)
        session.add(row)
    row.workday, row.note, row.created_by = workday, note, by
    session.flush()
    _recompute(session)


def remove_override(session: Session, day: dt.date) -> bool:
    row = session.get(CalendarOverride, day)
    if row is None:
        return False
    session.delete(row)
    session.flush()
    _recompute(session)
    return True


def confirm_year(session: Session, year: int, note: str) -> None:
    """Declare ``year``'s notice completely entered: its dates stop being provisional."""
    row = session.get(CalendarYear, year)
    if row is None:
        session.add(CalendarYear(year=year, note=note))
    else:
        row.note = note
    session.flush()
    _recompute(session)


def overrides_in(session: Session, year: int) -> list[CalendarOverride]:
    return list(session.scalars(
        select(CalendarOverride)
        .where(CalendarOverride.day >= dt.date(year, 1, 1),
               CalendarOverride.day <= dt.date(year, 12, 31))
        .order_by(CalendarOverride.day)))


def _recompute(session: Session) -> None:
    from opengov.site.requests.service.handling import recompute_all

    recompute_all(session, load_calendar(session))
