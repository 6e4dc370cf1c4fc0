"""Entry functions of the daily jobs of 依申请公开 (``opengov requests …``): lapsed windows,
handler reminders, anonymisation after the retention period, recomputation of deadlines."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app

from opengov.site.db import unit_of_work
from opengov.site.requests.service import handling, steps
from opengov.site.requests.service.notifications import send_reminders
from opengov.site.workdays import service as work_calendar


@dataclass(frozen=True)
class Reminded:
    #: Numbers of the requests recorded as 视为放弃 (a 补正 or fee window that ended).
    lapsed: list[str]
    #: One line per deadline reminder sent to handlers.
    reminders: list[str]


def remind(today: dt.date) -> Reminded:
    """Record lapsed 补正/fee windows, then queue notices to handlers about deadlines 5, 3
    and 1 working days away (and overdue ones), once a day however often it runs."""
    with unit_of_work() as session:
        recorded = [steps.take_step(session, request, kind, today)
                    for request, kind in handling.due_lapses(session, today)]
        lapsed = [step.request.number for step in recorded]
    with unit_of_work() as session:
        return Reminded(lapsed, send_reminders(session, today))


@dataclass(frozen=True)
class Anonymised:
    count: int
    #: The retention period applied (REQUEST_RETENTION_YEARS).
    years: int


def anonymise(today: dt.date) -> Anonymised:
    """Erase personal data of requests closed longer ago than REQUEST_RETENTION_YEARS."""
    years = int(current_app.config["REQUEST_RETENTION_YEARS"])
    with unit_of_work() as session:
        return Anonymised(handling.anonymise_closed(session, today, years), years)


def recompute() -> int:
    """Recompute every unfinished request's dates (after upgrading chinesecalendar)."""
    with unit_of_work() as session:
        return handling.recompute_all(session, work_calendar.load_calendar(session))
