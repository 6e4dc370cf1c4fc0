"""举报投诉 about disclosure: complaints, their append-only step log, and the requests they
concern.

The complainant's name and contact details are stored only encrypted (``*_enc``,
:mod:`opengov.site.personal_data`). The stage, due date and answer fields are *derived* from
the steps by :mod:`opengov.site.complaints.rules` and stored for querying and sorting.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from opengov.site import clock
from opengov.site.accounts.models import User
from opengov.site.agencies.models import Agency
from opengov.site.db import Base
from opengov.site.requests.models import InfoRequest


def _now() -> dt.datetime:
    return clock.utcnow()  # through the module, so that a test's clock sets it too


#: Complaint ↔ the 依申请公开 requests it concerns.
complaint_requests = Table(
    "complaint_requests",
    Base.metadata,
    Column("complaint_id", ForeignKey("complaints.id", ondelete="CASCADE"), primary_key=True),
    Column("request_id", ForeignKey("info_requests.id", ondelete="CASCADE"), primary_key=True),
)


class Complaint(Base):
    """One 投诉举报 that an agency failed its disclosure duty (条例 Arts. 47, 51)."""

    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: TS-2026-000012, allocated in the filing transaction.
    number: Mapped[str] = mapped_column(String(20), unique=True)
    #: sha256 of the complainant's query code; the code is shown once and never stored.
    query_code_hash: Mapped[str] = mapped_column(String(64))
    #: The agency complained about (被投诉机关).
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    #: A :class:`~opengov.site.complaints.rules.Kind` value.
    kind: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(Text)
    #: The request numbers as the complainant typed them.
    claimed_requests: Mapped[str] = mapped_column(String(300), default="")
    name_enc: Mapped[str] = mapped_column(Text, default="")
    phone_enc: Mapped[str] = mapped_column(Text, default="")
    email_enc: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[str] = mapped_column(String(20))
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # --- derived from the steps (recomputed, never edited directly) ---
    stage: Mapped[str] = mapped_column(String(20), index=True)
    received_on: Mapped[dt.date] = mapped_column(Date, index=True)
    due_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    due_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    due_explanation: Mapped[str] = mapped_column(Text, default="")
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    finding: Mapped[str | None] = mapped_column(String(30))
    #: "、"-joined :class:`~opengov.site.complaints.rules.Measure` values.
    measures: Mapped[str] = mapped_column(String(40), default="")
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    #: Set when the personal data was erased after the retention period.
    anonymised_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)

    agency: Mapped[Agency] = relationship()
    handler: Mapped[User | None] = relationship(foreign_keys=[handler_id])
    entered_by: Mapped[User | None] = relationship(foreign_keys=[entered_by_id])
    events: Mapped[list[ComplaintEvent]] = relationship(
        back_populates="complaint", order_by="ComplaintEvent.seq", cascade="all, delete-orphan")
    requests: Mapped[list[InfoRequest]] = relationship(
        secondary=complaint_requests, order_by="InfoRequest.number")

    def __repr__(self) -> str:
        return f"<Complaint {self.number}>"


class ComplaintEvent(Base):
    """One step of a complaint, append-only."""

    __tablename__ = "complaint_events"
    __table_args__ = (UniqueConstraint("complaint_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))
    on: Mapped[dt.date] = mapped_column(Date)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)

    complaint: Mapped[Complaint] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()
