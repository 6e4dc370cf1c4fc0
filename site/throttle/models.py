"""Counted attempts of anonymous clients, for fixed-window limits."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from opengov.site.clock import utcnow
from opengov.site.db import Base


class RateLimitHit(Base):
    """One counted attempt (request submission, wrong status code) by a hashed client key."""

    __tablename__ = "rate_limit_hits"

    id: Mapped[int] = mapped_column(primary_key=True)
    bucket: Mapped[str] = mapped_column(String(30))
    key_hash: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
