"""The staff page of notices that did not go out: administrators see them, send them again
once the cause is fixed, or discard them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.audit import service as audit
from opengov.site.audit.service import AuditAction, Origin, StaffActor
from opengov.site.db import get_session, unit_of_work
from opengov.site.exceptions import ConflictError, ForbiddenError, NotFoundError
from opengov.site.mail.models import MailOutbox
from opengov.site.mail.rules import STATE_LABELS, NoticeState, mask_address, state_of
from opengov.site.mail.service.outbox import mail_configured
from opengov.site.personal_data import get_cipher
from opengov.site.web.staff import ADMIN_ROLE

#: Most notices listed on the page.
PAGE_LIMIT = 200


@dataclass(frozen=True)
class NoticeRow:
    id: int
    kind: str
    reference: str
    subject: str
    #: The address masked (``z***@example.com``).
    recipient: str
    created_at: dt.datetime
    attempts: int
    next_attempt_at: dt.datetime
    last_error: str
    state: NoticeState

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass(frozen=True)
class NoticesPage:
    #: Given up, and failing but retried, most recent first.
    troubled: list[NoticeRow]
    #: Not yet tried.
    waiting: int
    #: Delivered in the last seven days.
    sent_this_week: int
    mail_configured: bool


def _require_admin(actor: StaffActor) -> None:
    if not actor.has_role(ADMIN_ROLE):
        raise ForbiddenError("只有系统管理员可以查看和处理通知邮件。")


def _row(notice: MailOutbox) -> NoticeRow:
    recipient = get_cipher().decrypt(notice.recipient_enc) if notice.recipient_enc else ""
    return NoticeRow(notice.id, notice.kind, notice.reference, notice.subject,
                     mask_address(recipient), notice.created_at, notice.attempts,
                     notice.next_attempt_at, notice.last_error,
                     state_of(notice.attempts, notice.failed_at is not None,
                              notice.sent_at is not None))


def notices_page(actor: StaffActor) -> NoticesPage:
    """Failed notices (given up first, then those being retried) and the queue's figures."""
    _require_admin(actor)
    session = get_session()
    troubled = session.scalars(
        select(MailOutbox).where(MailOutbox.sent_at.is_(None), MailOutbox.attempts > 0)
        .order_by(MailOutbox.failed_at.is_(None), MailOutbox.id.desc())
        .limit(PAGE_LIMIT)).all()
    waiting = session.scalar(select(func.count(MailOutbox.id)).where(
        MailOutbox.sent_at.is_(None), MailOutbox.attempts == 0)) or 0
    week = clock.utcnow() - dt.timedelta(days=7)
    sent = session.scalar(select(func.count(MailOutbox.id)).where(
        MailOutbox.sent_at >= week)) or 0
    return NoticesPage([_row(notice) for notice in troubled], int(waiting), int(sent),
                       mail_configured())


def _unsent(session: Session, notice_id: int) -> MailOutbox:
    notice = (session.get(MailOutbox, notice_id, populate_existing=True)
              if 0 < notice_id < 2**31 else None)
    if notice is None:
        raise NotFoundError("没有这条通知。")
    if notice.sent_at is not None:
        raise ConflictError("这条通知已经发出。")
    return notice


def retry_notice(actor: StaffActor, notice_id: int, *, origin: Origin) -> None:
    """Send a failed notice again in the mail worker's next round, with its attempts counted
    afresh (after the cause — an address, the server's settings — was fixed)."""
    _require_admin(actor)
    with unit_of_work() as session:
        notice = _unsent(session, notice_id)
        notice.failed_at = None
        notice.attempts = 0
        notice.next_attempt_at = clock.utcnow()
        audit.record(session, AuditAction.EDIT, actor=actor, origin=origin,
                     object_type="mail_notice", object_id=notice.id,
                     detail=f"重新发送通知：{notice.subject}"[:200])


def discard_notice(actor: StaffActor, notice_id: int, *, origin: Origin) -> None:
    """Give up a notice for good (the applicant was told another way, say)."""
    _require_admin(actor)
    with unit_of_work() as session:
        notice = _unsent(session, notice_id)
        audit.record(session, AuditAction.EDIT, actor=actor, origin=origin,
                     object_type="mail_notice", object_id=notice.id,
                     detail=f"放弃发送通知：{notice.subject}"[:200])
        session.delete(notice)
