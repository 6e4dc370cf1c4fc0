"""预决算公开 as data (rules.md §5.7): a disclosure per department, year and stage, its
standard tables as rows, its 三公经费 lines and 政府采购情况; the government's own reports
(预算, 预算调整, 预算执行情况, 决算 of the four budgets) with their tables; and real published
三公 figures for reference.

Amounts are stored as whole 分 (integers) so SQLite and PostgreSQL both keep them exact; the
models expose them as :class:`~decimal.Decimal` 万元 with two decimals.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from opengov.site.agencies.models import Agency
from opengov.site.catalog.models import Document
from opengov.site.clock import utcnow
from opengov.site.db import Base, str_enum
from opengov.site.fiscal.rules.disclosures import CENT, ProcurementItem, SangongItem, Stage, Unit
from opengov.site.fiscal.rules.government import ReportKey, ReportStage


def _to_cents(value: Decimal) -> int:
    return int((value / CENT).to_integral_exact())


def _from_cents(value: int) -> Decimal:
    return (Decimal(value) * CENT).quantize(CENT)


class Cents(TypeDecorator[Decimal]):
    """A Decimal with two decimals stored as an integer number of hundredths."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> int | None:
        return None if value is None else _to_cents(Decimal(value).quantize(CENT))

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else _from_cents(int(value))


class CentsList(TypeDecorator[list[Decimal | None]]):
    """A row's amounts, one per column, as a JSON list of hundredths (null = empty cell).

    JSON because the columns differ from table to table (rules.md §5.4)."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: list[Decimal | None] | None,
                           dialect: Dialect) -> list[int | None] | None:
        if value is None:
            return None
        return [None if item is None else _to_cents(Decimal(item).quantize(CENT))
                for item in value]

    def process_result_value(self, value: Any, dialect: Dialect) -> list[Decimal | None] | None:
        if value is None:
            return None
        return [None if item is None else _from_cents(int(item)) for item in value]


class FiscalDisclosure(Base):
    """A department's 预算 or 决算 for a year: approval and publication dates, narrative,
    tables and 三公经费. Published ones are mirrored by a catalog :class:`Document`."""

    __tablename__ = "fiscal_disclosures"
    __table_args__ = (UniqueConstraint("agency_id", "year", "stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    stage: Mapped[Stage] = mapped_column(str_enum(Stage, "fiscal_stage"))
    #: 批复日期: the 20-day clock of 预算法 Art. 14 starts here.
    approved_on: Mapped[dt.date | None] = mapped_column(Date)
    #: 发布日期; None while not published.
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    #: 情况说明 (Markdown): 部门概况, 收支说明, 三公 reasons, 机关运行经费, 名词解释.
    narrative: Mapped[str] = mapped_column(Text, default="")
    #: Fictional demonstration data (示例), shown with a label on every page.
    is_example: Mapped[bool] = mapped_column(Boolean, default=False)
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    agency: Mapped[Agency] = relationship()
    document: Mapped[Document | None] = relationship()
    tables: Mapped[list[FiscalTable]] = relationship(
        back_populates="disclosure", cascade="all, delete-orphan", order_by="FiscalTable.number")
    sangong_lines: Mapped[list[SangongLine]] = relationship(
        back_populates="disclosure", cascade="all, delete-orphan", order_by="SangongLine.id")
    procurement: Mapped[Procurement | None] = relationship(
        back_populates="disclosure", cascade="all, delete-orphan")

    @property
    def title(self) -> str:
        return f"{self.agency.name}{self.year}年部门{self.stage}"

    def table(self, number: int) -> FiscalTable | None:
        return next((table for table in self.tables if table.number == number), None)

    def __repr__(self) -> str:
        return f"<FiscalDisclosure {self.agency_id} {self.year} {self.stage}>"


class FiscalTable(Base):
    """One table of the standard set (rules.md §5.4), amounts in 万元."""

    __tablename__ = "fiscal_tables"
    __table_args__ = (UniqueConstraint("disclosure_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    disclosure_id: Mapped[int] = mapped_column(
        ForeignKey("fiscal_disclosures.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(100))
    columns: Mapped[list[str]] = mapped_column(JSON)

    disclosure: Mapped[FiscalDisclosure] = relationship(back_populates="tables")
    rows: Mapped[list[FiscalRow]] = relationship(
        back_populates="table", cascade="all, delete-orphan", order_by="FiscalRow.position")


class FiscalRow(Base):
    """A row: a 科目 (code and name, level 类/款/项) or a named line of a 收支总表."""

    __tablename__ = "fiscal_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("fiscal_tables.id", ondelete="CASCADE"),
                                          index=True)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(10), default="", index=True)
    name: Mapped[str] = mapped_column(String(200))
    #: 1 类, 2 款, 3 项; 0 for a named or total row.
    level: Mapped[int] = mapped_column(Integer, default=0)
    #: 收入 / 支出 on a 收支总表, empty elsewhere.
    side: Mapped[str] = mapped_column(String(4), default="")
    amounts: Mapped[list[Decimal | None]] = mapped_column(CentsList)

    table: Mapped[FiscalTable] = relationship(back_populates="rows")


class SangongLine(Base):
    """One line of the 三公经费 table (or 机关运行经费, 会议费, 培训费) with last year's figure
    and the department's explanation of the change (rules.md §5.5–5.6)."""

    __tablename__ = "fiscal_sangong_lines"
    __table_args__ = (UniqueConstraint("disclosure_id", "item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    disclosure_id: Mapped[int] = mapped_column(
        ForeignKey("fiscal_disclosures.id", ondelete="CASCADE"), index=True)
    item: Mapped[SangongItem] = mapped_column(str_enum(SangongItem, "sangong_item"))
    amount: Mapped[Decimal | None] = mapped_column(Cents)
    prior_amount: Mapped[Decimal | None] = mapped_column(Cents)
    explanation: Mapped[str] = mapped_column(Text, default="")

    disclosure: Mapped[FiscalDisclosure] = relationship(back_populates="sangong_lines")


class Procurement(Base):
    """A department's 政府采购 of the year (预算: the 政府采购预算; 决算: what was bought and how
    much went to 中小企业), in 万元."""

    __tablename__ = "fiscal_procurement"

    id: Mapped[int] = mapped_column(primary_key=True)
    disclosure_id: Mapped[int] = mapped_column(
        ForeignKey("fiscal_disclosures.id", ondelete="CASCADE"), unique=True)
    goods: Mapped[Decimal | None] = mapped_column(Cents)
    works: Mapped[Decimal | None] = mapped_column(Cents)
    services: Mapped[Decimal | None] = mapped_column(Cents)
    #: 授予中小企业合同金额 and, of it, 授予小微企业合同金额 (决算).
    sme: Mapped[Decimal | None] = mapped_column(Cents)
    small_micro: Mapped[Decimal | None] = mapped_column(Cents)
    explanation: Mapped[str] = mapped_column(Text, default="")

    disclosure: Mapped[FiscalDisclosure] = relationship(back_populates="procurement")

    #: Which column holds which line.
    COLUMNS: ClassVar[dict[ProcurementItem, str]] = {ProcurementItem.GOODS: "goods", ProcurementItem.WORKS: "works",
               ProcurementItem.SERVICES: "services", ProcurementItem.SME: "sme",
               ProcurementItem.SMALL_MICRO: "small_micro"}

    def amounts(self) -> dict[ProcurementItem, Decimal | None]:
        return {item: getattr(self, column) for item, column in self.COLUMNS.items()}


class GovernmentReport(Base):
    """The government's 预算, 预算调整, 预算执行情况 or 决算 of a year as the 人大 approved it
    (预算法 Art. 14 ¶1): approval, publication, the 情况说明 and the tables. Published ones are
    mirrored by a catalog :class:`Document` in the finance department's name."""

    __tablename__ = "fiscal_government_reports"
    __table_args__ = (UniqueConstraint("agency_id", "year", "stage", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The government (the site's ROOT_AGENCY) whose budget this is.
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    stage: Mapped[ReportStage] = mapped_column(str_enum(ReportStage, "fiscal_report_stage"))
    #: Which 预算调整 of the year (1 for every other stage).
    sequence: Mapped[int] = mapped_column(Integer, default=1)
    #: 批准机关: the 人大 session or 常委会 meeting.
    approved_by: Mapped[str] = mapped_column(String(200), default="")
    #: 批准日期: the twenty days of 预算法 Art. 14 ¶1 run from here.
    approved_on: Mapped[dt.date | None] = mapped_column(Date)
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    narrative: Mapped[str] = mapped_column(Text, default="")
    is_example: Mapped[bool] = mapped_column(Boolean, default=False)
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    agency: Mapped[Agency] = relationship()
    document: Mapped[Document | None] = relationship()
    tables: Mapped[list[GovernmentTable]] = relationship(
        back_populates="report", cascade="all, delete-orphan",
        order_by="GovernmentTable.position")

    @property
    def key(self) -> ReportKey:
        return ReportKey(self.stage, self.sequence)

    def table(self, slug: str) -> GovernmentTable | None:
        return next((table for table in self.tables if table.slug == slug), None)

    def __repr__(self) -> str:
        return f"<GovernmentReport {self.agency_id} {self.year} {self.key.slug}>"


class GovernmentTable(Base):
    """One table of a government report, amounts in 万元."""

    __tablename__ = "fiscal_government_tables"
    __table_args__ = (UniqueConstraint("report_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("fiscal_government_reports.id", ondelete="CASCADE"), index=True)
    #: The table of ``rules.government.TABLE_SPECS`` (general-revenue, debt, …).
    slug: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(100))
    columns: Mapped[list[str]] = mapped_column(JSON)

    report: Mapped[GovernmentReport] = relationship(back_populates="tables")
    rows: Mapped[list[GovernmentRow]] = relationship(
        back_populates="table", cascade="all, delete-orphan", order_by="GovernmentRow.position")


class GovernmentRow(Base):
    """A 科目 (code, name, level 类/款/项) or a named line (a region, a project, 一般债务)."""

    __tablename__ = "fiscal_government_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(
        ForeignKey("fiscal_government_tables.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(10), default="")
    name: Mapped[str] = mapped_column(String(200))
    #: 1 类, 2 款, 3 项; 0 for a named or total row.
    level: Mapped[int] = mapped_column(Integer, default=0)
    amounts: Mapped[list[Decimal | None]] = mapped_column(CentsList)

    table: Mapped[GovernmentTable] = relationship(back_populates="rows")


class SangongReference(Base):
    """A real 三公经费 figure transcribed from a published source, kept in its own unit.

    Not tied to an :class:`Agency`: these are other governments' numbers, shown for
    comparison with their source cited, never mixed with the site's own disclosures.
    """

    __tablename__ = "fiscal_sangong_references"
    __table_args__ = (UniqueConstraint("entity", "year", "stage_label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(100))
    scope: Mapped[str] = mapped_column(String(40), default="")
    year: Mapped[int] = mapped_column(Integer, index=True)
    stage: Mapped[Stage] = mapped_column(str_enum(Stage, "fiscal_reference_stage"))
    #: The stage as the source words it, e.g. 预算(一般公共预算).
    stage_label: Mapped[str] = mapped_column(String(40))
    #: The unit the source published in (元, 万元 or 亿元); amounts below are in it.
    unit: Mapped[Unit] = mapped_column(str_enum(Unit, "fiscal_unit"))
    total: Mapped[Decimal | None] = mapped_column(Cents)
    outbound: Mapped[Decimal | None] = mapped_column(Cents)
    vehicle: Mapped[Decimal | None] = mapped_column(Cents)
    vehicle_purchase: Mapped[Decimal | None] = mapped_column(Cents)
    vehicle_operation: Mapped[Decimal | None] = mapped_column(Cents)
    reception: Mapped[Decimal | None] = mapped_column(Cents)
    source_url: Mapped[str] = mapped_column(String(500))
    source_type: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")
