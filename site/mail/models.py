"""The mail outbox: a notice waiting for the mail server, written in the same transaction
as the step it reports."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from opengov.site.clock import utcnow
from opengov.site.db import Base


class MailOutbox(Base):
    """One notice to one recipient.

    The recipient and the body (which greets the applicant by name) are stored encrypted
    (:mod:`opengov.site.personal_data`); the subject names the request by its number only.
    A delivered notice keeps only what it was (kind, reference, subject, when) for
    :data:`~opengov.site.mail.rules.KEEP_SENT_DAYS`, so that a daily job run twice does not
    mail twice; its recipient and body are erased at once. One that fails waits with an
    exponential back-off; after a final refusal or MAIL_MAX_ATTEMPTS it is marked failed and
    listed for staff.
    """

    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What the notice is about, e.g. ``request.confirmed``, ``request.reminder``.
    kind: Mapped[str] = mapped_column(String(40))
    #: The record it concerns, for staff (a request number); never personal data.
    reference: Mapped[str] = mapped_column(String(60), default="", index=True)
    #: Makes a notice queued twice (a daily job run again) one notice.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    recipient_enc: Mapped[str] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(String(200))
    body_enc: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: Due from then on; a worker sending it pushes it ahead for the time it holds it.
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    #: Set when the notice was given up; it then waits for staff to retry or discard it.
    failed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)
    #: Set when the mail server took the notice.
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)

    attachments: Mapped[list[MailAttachment]] = relationship(
        back_populates="notice", cascade="all, delete-orphan", order_by="MailAttachment.id")


class MailAttachment(Base):
    """A file sent with a notice (a reply letter, the information released), encrypted like
    the body — it names the applicant — and deleted once the notice is delivered."""

    __tablename__ = "mail_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("mail_outbox.id", ondelete="CASCADE"),
                                           index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    content_enc: Mapped[bytes] = mapped_column(LargeBinary)

    notice: Mapped[MailOutbox] = relationship(back_populates="attachments")
