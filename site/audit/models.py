"""The append-only audit log (timestamps from ``clock.utcnow``, called through the module so
that setting the clock in a test sets them too)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Integer, String, Text, event
from sqlalchemy.orm import Mapped, Mapper, mapped_column

from opengov.site import clock
from opengov.site.db import Base


class AuditEntry(Base):
    """One staff action: who, when, what and from where. Append-only (see the mapper events
    below); only :func:`opengov.site.audit.service.purge` removes entries, and never ones
    younger than the retention period."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=lambda: clock.utcnow(), index=True)
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
