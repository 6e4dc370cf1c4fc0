"""Working-day overrides that staff enter from the State Council's yearly notice."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from opengov.site.clock import utcnow
from opengov.site.db import Base


class CalendarOverride(Base):
    """A day whose status staff set from the State Council's yearly 放假安排 notice."""

    __tablename__ = "calendar_overrides"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    workday: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[str] = mapped_column(String(60), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class CalendarYear(Base):
    """A year whose notice has been entered completely: its dates are no longer provisional."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    note: Mapped[str] = mapped_column(String(200), default="")
    confirmed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
