"""E-mail notices: to applicants at confirmation, 补正, extension and reply; to handlers
before deadlines. Messages never contain ID numbers; the applicant's address is used only
as the recipient."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from flask import current_app, render_template
from sqlalchemy.orm import Session

from opengov.site.requests.models import InfoRequest
from opengov.site.requests.service import handling as request_service

log = logging.getLogger(__name__)

#: Applicant notices by event: (subject, template).
APPLICANT_NOTICES = {
    "confirmed": ("政府信息公开申请已登记", "email/request_confirmed.txt"),
    "correction_requested": ("政府信息公开申请补正告知", "email/request_correction.txt"),
    "extended": ("政府信息公开申请延期答复告知", "email/request_extended.txt"),
    "replied": ("政府信息公开申请已答复", "email/request_replied.txt"),
    "lapsed": ("政府信息公开申请终止处理告知", "email/request_lapsed.txt"),
    "query_code": ("政府信息公开申请查询码", "email/request_query_code.txt"),
}


@dataclass(frozen=True)
class MailAttachment:
    filename: str
    content_type: str
    content: bytes


def send_mail(to: str, subject: str, body: str,
              attachments: Sequence[MailAttachment] = ()) -> bool:
    """Send one plain-text message with ``attachments``; False (and a log line without the
    address) when no SMTP server is configured or it refuses."""
    host = current_app.config["SMTP_HOST"]
    if not host or not to:
        return False
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    for attachment in attachments:
        main, _, sub = attachment.content_type.partition("/")
        message.add_attachment(attachment.content, maintype=main, subtype=sub or "octet-stream",
                               filename=attachment.filename)
    try:
        with smtplib.SMTP(host, current_app.config["SMTP_PORT"], timeout=10) as smtp:
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("mail %r not sent: %s", subject, exc)
        return False
    return True


def notify_applicant(request: InfoRequest, what: str,
                     attachments: Sequence[MailAttachment] = (), **context: Any) -> bool:
    """The notice for step ``what`` (a key of :data:`APPLICANT_NOTICES`) to the applicant."""
    if what not in APPLICANT_NOTICES or request.anonymised_at is not None:
        return False
    email = request_service.personal_data(request).email
    subject, template = APPLICANT_NOTICES[what]
    body = render_template(template, request=request, attachments=attachments, **context)
    sent = send_mail(email, f"{subject}（{request.number}）", body, attachments)
    log.info("request %s: applicant notice %s %s", request.number, what,
             "sent" if sent else "not sent")
    return sent


def send_reminders(session: Session, today: dt.date) -> list[str]:
    """E-mail each handler about their requests due in exactly 5, 3 or 1 working days or
    overdue; returns one line per reminder for the command's output."""
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
                send_mail(person.email, f"依申请公开期限提醒：{request.number}", body)
    return lines
