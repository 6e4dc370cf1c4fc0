"""政府信息公开工作年度报告 and the 行政复议/行政诉讼 register behind its Table 四."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from opengov.site.accounts.models import User
from opengov.site.agencies.models import Agency
from opengov.site.catalog.models import Document
from opengov.site.clock import utcnow
from opengov.site.db import Base, str_enum
from opengov.site.reports.rules import ReviewGroup, ReviewResult


class AnnualReport(Base):
    """One agency's report for one year: what staff write and enter; the tables are counted."""

    __tablename__ = "annual_reports"
    __table_args__ = (UniqueConstraint("agency_id", "year", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    year: Mapped[int] = mapped_column(Integer)
    #: 1 for the report as first published; a correction is a new version, the old one stays.
    version: Mapped[int] = mapped_column(Integer, default=1)
    #: draft → submitted (awaits review) → published; a returned report is a draft again.
    status: Mapped[str] = mapped_column(String(20), default="draft")
    drafted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    #: Why the reviewer returned the draft (shown to the drafters).
    review_note: Mapped[str] = mapped_column(Text, default="")
    #: What a corrected version changes (printed at its head).
    correction_note: Mapped[str] = mapped_column(Text, default="")
    #: 一、总体情况 (主动公开、依申请公开、政府信息管理、平台建设、监督保障)
    overview: Mapped[str] = mapped_column(Text, default="")
    #: 五、存在的主要问题及改进情况
    problems: Mapped[str] = mapped_column(Text, default="")
    #: 六、其他需要报告的事项 (the 信息处理费 sentence is added by the system)
    other_matters: Mapped[str] = mapped_column(Text, default="")
    # Table 二 figures that no document carries: entered by staff.
    licensing_decisions: Mapped[int] = mapped_column(Integer, default=0)  # 行政许可
    penalty_decisions: Mapped[int] = mapped_column(Integer, default=0)  # 行政处罚
    coercion_decisions: Mapped[int] = mapped_column(Integer, default=0)  # 行政强制
    fees_collected: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal("0"))  # 万元
    #: The published report as a document of the 政府信息公开年报 column.
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    #: Table 三 as published (row → column → count), frozen: next year's 二 must equal its 四.
    published_table3: Mapped[dict[str, dict[str, int]] | None] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    agency: Mapped[Agency] = relationship()
    document: Mapped[Document | None] = relationship()
    drafted_by: Mapped[User | None] = relationship(foreign_keys=[drafted_by_id])
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])


class ReviewCase(Base):
    """A 行政复议 or 行政诉讼 case brought over the agency's 政府信息公开 work."""

    __tablename__ = "review_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    #: The year whose report counts the case (the year it was filed or decided).
    year: Mapped[int] = mapped_column(Integer, index=True)
    group: Mapped[ReviewGroup] = mapped_column(str_enum(ReviewGroup, "review_group"))
    result: Mapped[ReviewResult] = mapped_column(str_enum(ReviewResult, "review_result"))
    case_number: Mapped[str] = mapped_column(String(100), default="")  # 案号
    #: The request the case is about (申请编号), when it arose from one.
    request_number: Mapped[str] = mapped_column(String(40), default="")
    filed_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    agency: Mapped[Agency] = relationship()
