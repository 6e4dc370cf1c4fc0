"""Queue a notice in the caller's transaction (composable), and what the queue holds."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.mail.models import MailAttachment, MailOutbox
from opengov.site.personal_data import get_cipher

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    """A file to send with a notice."""

    filename: str
    content_type: str
    content: bytes


def mail_configured() -> bool:
    """Whether a mail server is set (SMTP_HOST); without one nothing is queued."""
    return bool(current_app.config["SMTP_HOST"])


def enqueue(session: Session, *, kind: str, to: str, subject: str, body: str,
            attachments: Sequence[Attachment] = (), reference: str = "",
            dedupe_key: str | None = None) -> bool:
    """Queue one notice in ``session``'s transaction: it is sent once that commits, never
    for a change that was rolled back, and never while a web request waits. False when
    nothing was queued: no mail server configured, no address, or a notice with the same
    ``dedupe_key`` is queued or was sent already.

    ``subject`` and ``reference`` are shown to staff and in logs: no personal data there.
    """
    to = to.strip()
    if not to or not mail_configured():
        log.info("notice %s %s not queued: %s", kind, reference,
                 "no address" if not to else "no mail server configured (SMTP_HOST)")
        return False
    if dedupe_key is not None and session.scalar(
            select(MailOutbox.id).where(MailOutbox.dedupe_key == dedupe_key)) is not None:
        return False
    cipher = get_cipher()
    session.add(MailOutbox(
        kind=kind, reference=reference[:60], dedupe_key=dedupe_key,
        recipient_enc=cipher.encrypt(to), subject=subject[:200], body_enc=cipher.encrypt(body),
        attachments=[MailAttachment(filename=item.filename[:255],
                                    content_type=item.content_type[:100],
                                    content_enc=cipher.encrypt_bytes(item.content))
                     for item in attachments]))
    log.info("notice %s %s queued", kind, reference)
    return True


@dataclass(frozen=True)
class QueueFigures:
    """What the mail queue holds, for ``opengov status``."""

    #: Notices due now or waiting for a retry.
    pending: int
    #: … of which failed at least once.
    retrying: int
    #: Given up, waiting for staff.
    failed: int
    #: When the oldest notice due now became due (naive UTC), if any.
    oldest_due: dt.datetime | None


def queue_figures(session: Session) -> QueueFigures:
    """Counts of the mail queue (read in ``session``)."""
    open_ = (MailOutbox.sent_at.is_(None), MailOutbox.failed_at.is_(None))
    pending = session.scalar(select(func.count(MailOutbox.id)).where(*open_)) or 0
    retrying = session.scalar(select(func.count(MailOutbox.id)).where(
        *open_, MailOutbox.attempts > 0)) or 0
    failed = session.scalar(select(func.count(MailOutbox.id)).where(
        MailOutbox.failed_at.is_not(None), MailOutbox.sent_at.is_(None))) or 0
    oldest = session.scalar(select(func.min(MailOutbox.next_attempt_at)).where(
        *open_, MailOutbox.next_attempt_at <= clock.utcnow()))
    return QueueFigures(int(pending), int(retrying), int(failed), oldest)
