"""Entry functions of the daily commands ``opengov complaints remind`` (mail the handlers of
complaints due in exactly 5, 3 or 1 working days, due today, or overdue) and ``opengov
complaints anonymise`` (erase complainants' personal data after the retention period)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from opengov.site.complaints.models import Complaint
from opengov.site.complaints.rules import OPEN_STAGES
from opengov.site.complaints.service import filing, notifications
from opengov.site.db import get_session, unit_of_work
from opengov.site.requests.service import handling as requests
from opengov.site.workdays import service as work_calendar

#: Working days before a due date at which handlers are mailed (as for requests), and on it.
REMINDER_DAYS = (5, 3, 1, 0)


def remind(today: dt.date) -> list[str]:
    """One line per reminder sent (to the assigned handler, else to every handler of the
    主管部门); an overdue complaint is reminded every day until it is answered."""
    session = get_session()
    calendar = work_calendar.load_calendar(session)
    lines: list[str] = []
    rows = session.scalars(select(Complaint).where(
        Complaint.stage.in_([stage.value for stage in OPEN_STAGES]),
        Complaint.due_on.is_not(None)).order_by(Complaint.due_on, Complaint.id))
    for complaint in rows:
        assert complaint.due_on is not None
        left = requests.workdays_left(calendar, today, complaint.due_on)
        if left not in REMINDER_DAYS and left >= 0:
            continue
        text = (f"已逾期{-left}个工作日" if left < 0 else "今日到期" if left == 0
                else f"还剩{left}个工作日")
        people = ([complaint.handler] if complaint.handler
                  else notifications.office_handlers(session))
        notifications.notify_staff(people, complaint, "投诉举报处理期限提醒", left=text)
        lines.append(f"{complaint.number} 答复期限 {complaint.due_on.isoformat()} {text}")
    return lines


@dataclass(frozen=True)
class Anonymised:
    count: int
    #: The retention period applied (COMPLAINT_RETENTION_YEARS).
    years: int


def anonymise(today: dt.date) -> Anonymised:
    """Erase the complainants' personal data of complaints answered or withdrawn longer ago
    than COMPLAINT_RETENTION_YEARS (:func:`.filing.anonymise_closed`)."""
    years = int(current_app.config["COMPLAINT_RETENTION_YEARS"])
    with unit_of_work() as session:
        return Anonymised(filing.anonymise_closed(session, today, years), years)


def recompute() -> int:
    """Recompute every open complaint's due date (after upgrading chinesecalendar or changing
    COMPLAINT_REPLY_DAYS)."""
    with unit_of_work() as session:
        return filing.recompute_open(session, work_calendar.load_calendar(session))
