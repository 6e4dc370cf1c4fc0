"""The staff back office: sessions, sign-in failures, the audit log and the editorial workflow
(who wrote, reviewed and published a document, and every version that was published)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from opengov.site.db import Base
from opengov.site.models.accounts import User
from opengov.site.models.content import Document, utcnow


class StaffSession(Base):
    """A server-side sign-in: the cookie carries a random token whose SHA-256 is the key, so
    a stolen database does not yield usable cookies and any session can be revoked."""

    __tablename__ = "staff_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    ip: Mapped[str] = mapped_column(String(45), default="")
    user_agent: Mapped[str] = mapped_column(String(300), default="")

    user: Mapped[User] = relationship()


class LoginFailure(Base):
    """A failed sign-in, kept for throttling whether or not the user name exists."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), index=True)  # as typed, lower-cased
    ip: Mapped[str] = mapped_column(String(45), index=True, default="")
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)


class AuditEntry(Base):
    """One staff action: who, when, what and from where. Append-only (see the mapper events
    below); only :func:`opengov.site.services.audit.purge` removes entries, and never ones
    younger than the retention period."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)  # no FK: outlives accounts
    username: Mapped[str] = mapped_column(String(60), default="")
    action: Mapped[str] = mapped_column(String(40), index=True)
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[str] = mapped_column(String(40), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    ip: Mapped[str] = mapped_column(String(45), default="")
    user_agent: Mapped[str] = mapped_column(String(300), default="")


class AuditLogAppendOnlyError(RuntimeError):
    """Raised when code tries to change or delete an audit entry through the ORM."""


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _refuse_change(_mapper: Mapper[AuditEntry], _connection: object,
                   _target: AuditEntry) -> None:
    raise AuditLogAppendOnlyError("审计日志只能追加，不能修改或删除")


class DocumentWorkflow(Base):
    """Editorial state of a document beside its catalog record: author, optimistic version,
    the last review and the Art. 26 override."""

    __tablename__ = "document_workflow"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Bumped by every save; a form carrying an older number was edited concurrently.
    lock_version: Mapped[int] = mapped_column(Integer, default=1)
    last_editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    review_opinion: Mapped[str] = mapped_column(Text, default="")
    #: 条例 Art. 26: "法律、法规对政府信息公开的期限另有规定的，从其规定" — the cited rule.
    deadline_basis: Mapped[str] = mapped_column(String(300), default="")

    document: Mapped[Document] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    last_editor: Mapped[User | None] = relationship(foreign_keys=[last_editor_id])
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])


class WorkflowEvent(Base):
    """A transition of a document: the review trail (opinions) and the revision history."""

    __tablename__ = "workflow_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    opinion: Mapped[str] = mapped_column(Text, default="")

    actor: Mapped[User | None] = relationship()


class DocumentVersion(Base):
    """A version of a document as it was published (first publication and each correction)."""

    __tablename__ = "document_versions"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    #: 更正说明 for a correction; empty for the first publication.
    note: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    #: The catalog metadata as ``label: value`` lines, for the diff.
    metadata_text: Mapped[str] = mapped_column(Text, default="")

    created_by: Mapped[User | None] = relationship()


class DocumentAutosave(Base):
    """The latest autosaved editor content of one person for one document (or a new one)."""

    __tablename__ = "document_autosaves"
    __table_args__ = (UniqueConstraint("user_id", "document_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: The document id as text, or "new" for a document not yet saved.
    document_key: Mapped[str] = mapped_column(String(20), index=True)
    saved_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    base_version: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User] = relationship()
