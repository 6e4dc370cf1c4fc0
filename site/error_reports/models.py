"""Error reports (找错) and what staff did with them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from opengov.site.accounts.models import User
from opengov.site.agencies.models import Agency
from opengov.site.clock import utcnow
from opengov.site.db import Base, str_enum
from opengov.site.error_reports.rules import Problem, Status


class ErrorReport(Base):
    """A reader's report of an error on a page: a task for staff, due on ``due_on``."""

    __tablename__ = "error_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The site path the report is about (with its query string).
    page: Mapped[str] = mapped_column(String(500))
    problem: Mapped[Problem] = mapped_column(str_enum(Problem, "error_report_problem"))
    description: Mapped[str] = mapped_column(Text)
    #: Reader's contact for a reply, encrypted at rest (opengov.site.personal_data); optional.
    contact_encrypted: Mapped[str] = mapped_column(Text, default="")
    #: The agency whose page it is, when the page belongs to one (its staff see the task).
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    due_on: Mapped[dt.date] = mapped_column(Date, index=True)
    status: Mapped[Status] = mapped_column(str_enum(Status, "error_report_status"),
                                           default=Status.OPEN, index=True)
    resolution: Mapped[str] = mapped_column(Text, default="")
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    agency: Mapped[Agency | None] = relationship()
    resolved_by: Mapped[User | None] = relationship()
