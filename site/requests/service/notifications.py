"""E-mail notices: to applicants at confirmation, 补正, extension and reply; to handlers
before deadlines. They are queued in the mail outbox in the transaction of the step they
report, and the mail worker (``opengov mail send``) delivers them: no web request waits for a
mail server, and no notice goes out for a step that was rolled back. Messages never contain
ID numbers; the applicant's address is used only as the recipient."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from flask import render_template
from sqlalchemy.orm import Session

from opengov.site.db import unit_of_work
from opengov.site.mail.service import outbox as mail
from opengov.site.mail.service.outbox import Attachment as MailAttachment
from opengov.site.requests.models import InfoRequest
from opengov.site.requests.service import handling as request_service

__all__ = ["APPLICANT_NOTICES", "MailAttachment", "notify_applicant", "send_mail",
           "send_reminders"]

#: Applicant notices by event: (subject, template).
APPLICANT_NOTICES = {
    "confirmed": ("政府信息公开申请已登记", "email/request_confirmed.txt"),
    "correction_requested": ("政府信息公开申请补正告知", "email/request_correction.txt"),
    "extended": ("政府信息公开申请延期答复告知", "email/request_extended.txt"),
    "replied": ("政府信息公开申请已答复", "email/request_replied.txt"),
    "lapsed": ("政府信息公开申请终止处理告知", "email/request_lapsed.txt"),
    "query_code": ("政府信息公开申请查询码", "email/request_query_code.txt"),
}


def send_mail(to: str, subject: str, body: str, attachments: Sequence[MailAttachment] = (),
              *, kind: str = "notice", reference: str = "") -> bool:
    """The site's one mail path for every feature: queue one plain-text message (with
    ``attachments``) for the mail worker — in the caller's unit of work when there is one, so
    that it goes out only if that commits, else in a unit of work of its own. False when
    nothing was queued (no address, no mail server configured)."""
    with unit_of_work() as session:
        return mail.enqueue(session, kind=kind, to=to, subject=subject, body=body,
                            attachments=attachments, reference=reference)


def notify_applicant(session: Session, request: InfoRequest, what: str,
                     attachments: Sequence[MailAttachment] = (), **context: Any) -> bool:
    """Queue the notice for step ``what`` (a key of :data:`APPLICANT_NOTICES`) to the
    applicant in ``session``'s transaction; the mail worker sends it once that commits.
    ``context`` goes to the template. False when nothing was queued (no such notice,
    anonymised, no address or no mail server)."""
    if what not in APPLICANT_NOTICES or request.anonymised_at is not None:
        return False
    personal = request_service.personal_data(request)
    subject, template = APPLICANT_NOTICES[what]
    body = render_template(template, request=request, applicant_name=personal.name,
                           attachments=attachments, **context)
    return mail.enqueue(session, kind=f"request.{what}", to=personal.email,
                        subject=f"{subject}（{request.number}）", body=body,
                        attachments=attachments, reference=request.number)


def send_reminders(session: Session, today: dt.date) -> list[str]:
    """Queue a notice to each handler about their requests due in exactly 5, 3 or 1 working
    days or overdue, once a day whatever how often the job runs; returns one line per
    reminder for the command's output."""
    lines: list[str] = []
    for reminder in request_service.reminders(session, today):
        if reminder.days_left not in request_service.REMINDER_DAYS and reminder.days_left >= 0:
            continue
        request = reminder.request
        left = (f"还剩{reminder.days_left}个工作日" if reminder.days_left >= 0
                else f"已逾期{-reminder.days_left}个工作日")
        line = f"{request.number} {reminder.what} {reminder.due_on.isoformat()} {left}"
        lines.append(line)
        # The assigned handler; before assignment, every handler of the agency.
        people = ([request.handler] if request.handler
                  else request_service.handlers_of(session, request.agency))
        body = render_template("email/handler_reminder.txt", reminder=reminder, left=left)
        for person in people:
            if person.email:
                mail.enqueue(session, kind="request.reminder", to=person.email,
                             subject=f"依申请公开期限提醒：{request.number}", body=body,
                             reference=request.number,
                             dedupe_key=f"request.reminder:{request.id}:{reminder.what}:"
                                        f"{today.isoformat()}:{person.id}")
    return lines
