"""Delivering the queued notices: ``opengov mail send`` once, or every few seconds with
``--watch`` (the mail worker beside gunicorn). Never called on a web request's path.

A round takes due notices a few at a time: it claims them in a short unit of work (pushing
their due time ahead by :data:`~opengov.site.mail.rules.CLAIM_SECONDS`, so that a second worker
leaves them alone), sends them over one SMTP connection holding no database lock, and settles
each in its own short unit of work: sent (recipient and body erased), or failed with a
back-off — given up after a final refusal (5xx) or MAIL_MAX_ATTEMPTS.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.orm import selectinload

from opengov.site import clock
from opengov.site.db import get_session, unit_of_work
from opengov.site.logs import redact
from opengov.site.mail.models import MailAttachment, MailOutbox
from opengov.site.mail.rules import CLAIM_SECONDS, KEEP_SENT_DAYS, backoff, give_up, is_permanent
from opengov.site.mail.service.transport import (
    SmtpSettings,
    compose,
    connect,
    describe_error,
    reply_code,
)
from opengov.site.personal_data import get_cipher

log = logging.getLogger(__name__)

#: Notices claimed and sent per batch.
BATCH = 20


@dataclass
class SendReport:
    sent: int = 0
    #: Failed this round, to be tried again.
    retrying: int = 0
    #: Failed this round and given up.
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.retrying or self.failed)


def _claim(now: dt.datetime, limit: int) -> list[int]:
    """Due notices this worker now holds (ids), at most ``limit``."""
    held_until = now + dt.timedelta(seconds=CLAIM_SECONDS)
    with unit_of_work() as session:
        due = session.scalars(
            select(MailOutbox.id).where(MailOutbox.sent_at.is_(None),
                                        MailOutbox.failed_at.is_(None),
                                        MailOutbox.next_attempt_at <= now)
            .order_by(MailOutbox.next_attempt_at, MailOutbox.id).limit(limit)).all()
        claimed = []
        for notice_id in due:
            # Conditional: another worker's claim, committed meanwhile, wins (PostgreSQL
            # re-checks the condition after waiting for it; SQLite writers queue anyway).
            result = session.execute(
                update(MailOutbox).where(MailOutbox.id == notice_id,
                                         MailOutbox.sent_at.is_(None),
                                         MailOutbox.failed_at.is_(None),
                                         MailOutbox.next_attempt_at <= now)
                .values(next_attempt_at=held_until))
            if result.rowcount:  # type: ignore[attr-defined]
                claimed.append(notice_id)
    return claimed


def _settle_sent(notice_id: int, now: dt.datetime) -> None:
    """Delivered: what named the applicant (recipient, body, files) is erased at once."""
    with unit_of_work() as session:
        session.execute(update(MailOutbox).where(MailOutbox.id == notice_id).values(
            sent_at=now, attempts=MailOutbox.attempts + 1, recipient_enc="", body_enc="",
            last_error=""))
        session.execute(delete(MailAttachment).where(MailAttachment.notice_id == notice_id))


def _settle_failed(notice_id: int, now: dt.datetime, error: BaseException,
                   report: SendReport, *, permanent: bool) -> None:
    config = current_app.config
    message = redact(describe_error(error))
    with unit_of_work() as session:
        notice = session.get(MailOutbox, notice_id, populate_existing=True)
        if notice is None:  # discarded by staff meanwhile
            return
        notice.attempts += 1
        notice.last_error = message
        if give_up(notice.attempts, int(config["MAIL_MAX_ATTEMPTS"]), permanent):
            notice.failed_at = now
            report.failed += 1
            log.error("notice %d (%s %s) failed for good after %d attempts: %s", notice.id,
                      notice.kind, notice.reference, notice.attempts, message)
        else:
            notice.next_attempt_at = now + backoff(notice.attempts,
                                                   int(config["MAIL_RETRY_SECONDS"]),
                                                   int(config["MAIL_RETRY_MAX_SECONDS"]))
            report.retrying += 1
            log.warning("notice %d (%s %s) not sent, will retry: %s", notice.id, notice.kind,
                        notice.reference, message)
    if message not in report.errors:
        report.errors.append(message)


def send_due(*, limit: int = 1000, now: dt.datetime | None = None) -> SendReport:
    """Send the due notices (at most ``limit``); see the module's docstring. Without
    SMTP_HOST nothing is sent (and nothing was queued)."""
    report = SendReport()
    if not current_app.config["SMTP_HOST"]:
        return report
    settings = SmtpSettings.from_config(current_app.config)
    cipher = get_cipher()
    now = now or clock.utcnow()
    smtp: smtplib.SMTP | None = None
    try:
        while report.sent + report.retrying + report.failed < limit:
            claimed = _claim(now, min(BATCH, limit - report.sent - report.retrying
                                      - report.failed))
            if not claimed:
                break
            session = get_session()
            notices = session.scalars(select(MailOutbox).where(MailOutbox.id.in_(claimed))
                                      .order_by(MailOutbox.id)
                                      .options(selectinload(MailOutbox.attachments))
                                      .execution_options(populate_existing=True)).all()
            session.commit()  # ends the read: nothing is held while the server works
            for position, notice in enumerate(notices):
                try:
                    if smtp is None:
                        smtp = connect(settings)
                    files = [(item.filename, item.content_type,
                              cipher.decrypt_bytes(item.content_enc))
                             for item in notice.attachments]
                    smtp.send_message(compose(settings, cipher.decrypt(notice.recipient_enc),
                                              notice.subject, cipher.decrypt(notice.body_enc),
                                              files))
                except (OSError, smtplib.SMTPException) as error:
                    if isinstance(error, smtplib.SMTPRecipientsRefused | smtplib.SMTPDataError):
                        # The connection is still good: the refusal concerns this message,
                        # and a 5xx (no such mailbox, rejected) will not change on retry.
                        _settle_failed(notice.id, now, error, report,
                                       permanent=is_permanent(reply_code(error)))
                        continue
                    # The server is unreachable, refused the log-in or the sender (the
                    # site's settings, not the notice), or hung up: every notice still held
                    # waits for the next round.
                    for waiting in notices[position:]:
                        _settle_failed(waiting.id, now, error, report, permanent=False)
                    if smtp is not None:
                        smtp.close()
                    smtp = None
                    return report
                _settle_sent(notice.id, now)
                report.sent += 1
                log.info("notice %d (%s %s) sent", notice.id, notice.kind, notice.reference)
    finally:
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()
        _forget_sent(now)
    return report


def _forget_sent(now: dt.datetime) -> None:
    """Drop the records of notices delivered more than KEEP_SENT_DAYS ago."""
    with unit_of_work() as session:
        session.execute(delete(MailOutbox).where(
            MailOutbox.sent_at < now - dt.timedelta(days=KEEP_SENT_DAYS)))


def send_test(to: str) -> str:
    """Send a test message to ``to`` directly (not through the queue), for the person
    setting up mail; returns where it went. Raises ``OSError``/``smtplib.SMTPException``
    with the server's answer."""
    settings = SmtpSettings.from_config(current_app.config)
    if not settings.host:
        raise smtplib.SMTPException("未配置邮件服务器（OPENGOV_SMTP_HOST）")
    site = current_app.config["SITE_NAME"]
    smtp = connect(settings)
    try:
        smtp.send_message(compose(settings, to, f"{site}政府信息公开平台测试邮件",
                                  f"这是{site}政府信息公开平台发出的测试邮件，"
                                  "收到即说明邮件设置正确，无需回复。\n"))
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
    return settings.describe()
