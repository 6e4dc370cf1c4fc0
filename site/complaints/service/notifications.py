"""E-mail notices of complaints, through the site's one mail path (the requests feature's
``send_mail``): to the complainant when the complaint is received and answered; to the
主管部门's handlers when one arrives; to the agency complained about when it is asked to
explain itself; reminders before due dates. Messages never carry the complainant's name or
contact to anyone but the complainant."""

from __future__ import annotations

import logging

from flask import render_template
from sqlalchemy import select
from sqlalchemy.orm import Session

from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.complaints.models import Complaint
from opengov.site.complaints.service import filing
from opengov.site.requests.service import handling as requests
from opengov.site.requests.service.notifications import send_mail

log = logging.getLogger(__name__)

#: Complainant notices: (subject, template).
COMPLAINANT_NOTICES = {
    "received": ("投诉举报已受理", "email/complaint_received.txt"),
    "answered": ("投诉举报已答复", "email/complaint_answered.txt"),
}


def notify_complainant(session: Session, complaint: Complaint, what: str) -> bool:
    """The notice ``what`` (a key of :data:`COMPLAINANT_NOTICES`) to the complainant's e-mail,
    when they gave one."""
    if what not in COMPLAINANT_NOTICES or complaint.anonymised_at is not None:
        return False
    person = filing.personal_data(complaint)
    competent = filing.office(session)
    subject, template = COMPLAINANT_NOTICES[what]
    body = render_template(template, complaint=complaint, name=person.name,
                           office_name=competent.name if competent else "")
    sent = send_mail(person.email, f"{subject}（{complaint.number}）", body)
    log.info("complaint %s: complainant notice %s %s", complaint.number, what,
             "sent" if sent else "not sent")
    return sent


def office_handlers(session: Session) -> list[User]:
    """Who handles complaints: the 主管部门's handlers and the site-wide ones."""
    competent = filing.office(session)
    if competent is not None:
        return requests.handlers_of(session, competent)
    site_wide = session.scalars(select(User).where(User.active.is_(True),
                                                   User.agency_id.is_(None)))
    return [user for user in site_wide if user.has_role(Role.HANDLER)]


def notify_staff(people: list[User], complaint: Complaint, what: str, *, note: str = "",
                 left: str = "") -> int:
    """Tell ``people`` (by their work e-mail) about ``complaint``; returns how many were sent."""
    body = render_template("email/complaint_for_handlers.txt", complaint=complaint, what=what,
                           note=note, left=left)
    sent = 0
    for person in people:
        if person.email:
            sent += send_mail(person.email, f"{what}：{complaint.number}", body)
    return sent
