"""好差评: ratings of closed requests and of service items, and the follow-up (回访, 整改)
each 差评 opens.

A rating keeps no personal data of its own except, for a service item rated by someone
without an account who asks to be called back, the contact they leave: encrypted at rest and
erased when the follow-up is closed. A request's rating is unique per request.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from opengov.site import clock
from opengov.site.accounts.models import User
from opengov.site.agencies.models import Agency
from opengov.site.db import Base
from opengov.site.requests.models import InfoRequest
from opengov.site.service_items.models import ServiceItem


def _utcnow() -> dt.datetime:
    return clock.utcnow()


class Rating(Base):
    """One 好差评: its overall level, the other indicators rated, the comment."""

    __tablename__ = "ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: request / service_item (:class:`~.rules.Subject`).
    subject: Mapped[str] = mapped_column(String(20), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    #: One rating per request: the applicant rates it once, with the query code.
    request_id: Mapped[int | None] = mapped_column(ForeignKey("info_requests.id"),
                                                   unique=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("service_items.id"), index=True)
    #: 整体满意度, 1 (非常不满意) to 5 (非常满意).
    level: Mapped[int] = mapped_column(Integer, index=True)
    #: The other indicators rated: key → level.
    scores: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    comment: Mapped[str] = mapped_column(Text, default="")
    #: How to reach the rater for the 回访 (encrypted; service items only; erased at close).
    contact_enc: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[str] = mapped_column(String(10), default="网上")
    rated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_utcnow)
    #: The day in 北京时间, from which the follow-up's working days count.
    rated_on: Mapped[dt.date] = mapped_column(Date, index=True)

    agency: Mapped[Agency] = relationship()
    request: Mapped[InfoRequest | None] = relationship()
    item: Mapped[ServiceItem | None] = relationship()
    follow_up: Mapped[FollowUp | None] = relationship(back_populates="rating", uselist=False)


class FollowUp(Base):
    """The 回访 and 整改 of a 差评, due within the working days of the setting."""

    __tablename__ = "rating_follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("ratings.id", ondelete="CASCADE"),
                                           unique=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    #: 待回访 / 待整改 / 已办结 (:class:`~.rules.FollowUpStage`).
    stage: Mapped[str] = mapped_column(String(10), index=True)
    due_on: Mapped[dt.date] = mapped_column(Date, index=True)
    due_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    due_explanation: Mapped[str] = mapped_column(Text, default="")
    callback_on: Mapped[dt.date | None] = mapped_column(Date)
    callback_method: Mapped[str] = mapped_column(String(20), default="")
    callback_note: Mapped[str] = mapped_column(Text, default="")
    callback_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: 核实情况: 属实 / 部分属实 / 不属实.
    verdict: Mapped[str] = mapped_column(String(10), default="")
    rectification: Mapped[str] = mapped_column(Text, default="")
    rectified_on: Mapped[dt.date | None] = mapped_column(Date)
    rectified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_utcnow)

    rating: Mapped[Rating] = relationship(back_populates="follow_up")
    agency: Mapped[Agency] = relationship()
    callback_by: Mapped[User | None] = relationship(foreign_keys=[callback_by_id])
    rectified_by: Mapped[User | None] = relationship(foreign_keys=[rectified_by_id])
