"""What the public pages, downloads and the API of 政府预决算 read (entry functions).

Nothing here writes. A report is public from its publication date (北京时间); before it, it
does not exist for these pages, and no other report is compared with it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.agencies.models import Agency
from opengov.site.db import get_session
from opengov.site.exceptions import NotFoundError
from opengov.site.fiscal.models import GovernmentReport, GovernmentTable
from opengov.site.fiscal.rules.disclosures import Timeliness, days_after_approval, timeliness
from opengov.site.fiscal.rules.government import (
    SPECS_BY_SLUG,
    Budget,
    ReportKey,
    TableKind,
    TableSpec,
    parse_report_slug,
    place_name,
    spec_for,
)
from opengov.site.fiscal.service.disclosures import public_disclosures
from opengov.site.fiscal.service.export import FileDownload, render
from opengov.site.fiscal.service.government import government, reports, title_of
from opengov.site.fiscal.service.government_chart import Bar, bar_chart
from opengov.site.fiscal.service.government_tables import (
    Composition,
    Drill,
    YearReports,
    budgets_overview,
    composition,
    composition_table,
    drill,
    report_table,
    report_tables,
)
from opengov.site.fiscal.service.tables import TableData, operations_table

# --- where each report stands ---------------------------------------------------------------


@dataclass
class ReportStatus:
    """A report as the overviews list it: public or not yet, and in time or not."""

    report: GovernmentReport
    title: str
    timeliness: Timeliness
    #: Days from approval to publication (预算法 Art. 14 ¶1 allows twenty).
    days: int | None
    public: bool

    @property
    def key(self) -> ReportKey:
        return self.report.key


def _status(report: GovernmentReport, today: dt.date) -> ReportStatus:
    published = report.published_on if report.published_on and report.published_on <= today \
        else None
    approved = report.approved_on
    return ReportStatus(report, title_of(report), timeliness(approved, published, today),
                        days_after_approval(approved, published) if approved and published
                        else None, published is not None)


@dataclass
class YearStatus:
    year: int
    reports: list[ReportStatus]


@dataclass
class GovernmentIndex:
    """Every year's reports of the government, newest year first."""

    government: Agency | None
    place: str
    years: list[YearStatus]

    @property
    def has_example(self) -> bool:
        return any(status.report.is_example for year in self.years for status in year.reports)

    @property
    def public_years(self) -> list[int]:
        return [year.year for year in self.years
                if any(status.public for status in year.reports)]


def _government(session: Session) -> Agency:
    agency = government(session)
    if agency is None:
        raise NotFoundError("本站未设置本级政府（ROOT_AGENCY）")
    return agency


def government_index() -> GovernmentIndex:
    """Each year's 预算, 预算调整, 预算执行情况 and 决算: approved when, published when, in time
    or not. A report approved but not yet public is listed without a link, so a late one shows."""
    session = get_session()
    agency = government(session)
    if agency is None:
        return GovernmentIndex(None, "", [])
    today = clock.today()
    years: dict[int, list[ReportStatus]] = {}
    for report in reports(session, agency):
        years.setdefault(report.year, []).append(_status(report, today))
    return GovernmentIndex(agency, place_name(agency.name),
                           [YearStatus(year, statuses) for year, statuses in years.items()])


# --- a year ---------------------------------------------------------------------------------


def _year_reports(session: Session, agency: Agency, year: int) -> YearReports:
    return YearReports.of(year, reports(session, agency, today=clock.today(),
                                        years=(year, year - 1), with_tables=True))


@dataclass
class Flow:
    """Where the money comes from, or where it goes: a chart and its table."""

    heading: str
    found: Composition
    table: TableData
    chart_svg: str
    #: Per row of ``table``, the code to drill into (a 类 with 款 below it), or None.
    links: list[str | None]


def _flow(context: YearReports, slug: str, heading: str, ident: str) -> Flow | None:
    report = context.latest(slug)
    found = composition(report, slug) if report is not None else None
    if found is None or not found.parts:
        return None
    label = found.report.stage.amount_label
    bars = [Bar(f"{name}", (amount,), f"占{share}%" if share is not None else "")
            for _, name, amount, share in found.parts]
    svg = bar_chart(bars, title=f"{heading}（{found.report.year}年{label}）",
                    description="每一类一条横条，长度与金额成正比；金额和占比见下表，"
                                "点击表中科目名称可逐级查看款、项。",
                    series=(label,), ident=ident)
    table = composition_table(found)
    parents = {row.code[:3] for row in found.table.rows if len(row.code) > 3}
    links = [str(row[0]) if row[0] in parents else None for row in table.rows]
    return Flow(f"{heading}（{label}）", found, table, svg, links)


@dataclass
class YearPage:
    government: Agency
    place: str
    year: int
    statuses: list[ReportStatus]
    #: Years with a public report (the year menu).
    years: list[int]
    budgets: TableData
    revenue: Flow | None
    spending: Flow | None
    #: 各部门机关运行经费和政府采购 of the year.
    departments: TableData

    @property
    def has_example(self) -> bool:
        return any(status.report.is_example for status in self.statuses)


def year_page(year: int) -> YearPage:
    """The year of the government's budget: its reports, the four budgets through the
    year, the general budget's sources and uses, and the departments' 机关运行经费 and
    政府采购. :class:`NotFoundError` for a year with nothing public."""
    session = get_session()
    agency = _government(session)
    today = clock.today()
    context = _year_reports(session, agency, year)
    if not context.reports:
        raise NotFoundError(f"{year}年的政府预决算尚未公开")
    place = place_name(agency.name)
    statuses = [_status(report, today) for report in reports(session, agency, years=(year,))]
    general_revenue, general_spending = (spec_for(Budget.GENERAL, TableKind.REVENUE),
                                         spec_for(Budget.GENERAL, TableKind.FUNCTIONAL))
    assert general_revenue is not None
    assert general_spending is not None
    return YearPage(
        agency, place, year, statuses,
        _public_years(session, agency),
        budgets_overview(context, place, agency.code),
        _flow(context, general_revenue.slug, "一般公共预算收入从哪里来", "revenue-chart"),
        _flow(context, general_spending.slug, "一般公共预算支出用到哪里", "spending-chart"),
        _departments(session, place, year))


def _public_years(session: Session, agency: Agency) -> list[int]:
    return sorted({report.year for report in reports(session, agency, today=clock.today())},
                  reverse=True)


def _departments(session: Session, place: str, year: int) -> TableData:
    disclosures = public_disclosures(session, clock.today(), years=[year])
    return operations_table(disclosures, title=f"{place}{year}年各部门机关运行经费和政府采购情况",
                            filename=f"{year}-departments")


def budgets_download(year: int, fmt: str) -> FileDownload:
    """The four budgets of a year side by side, as CSV, XLSX or JSON."""
    session = get_session()
    agency = _government(session)
    context = _year_reports(session, agency, year)
    if not context.reports:
        raise NotFoundError(f"{year}年的政府预决算尚未公开")
    return render(budgets_overview(context, place_name(agency.name), agency.code), fmt)


def departments_download(year: int, fmt: str) -> FileDownload:
    """The departments' 机关运行经费 and 政府采购 of a year, as CSV, XLSX or JSON."""
    session = get_session()
    agency = _government(session)
    return render(_departments(session, place_name(agency.name), year), fmt)


# --- a report and its tables ----------------------------------------------------------------


def _key(slug: str) -> ReportKey:
    try:
        return parse_report_slug(slug)
    except ValueError:
        raise NotFoundError("没有这份报告") from None


def _report(session: Session, year: int, slug: str) -> tuple[GovernmentReport, YearReports]:
    agency = _government(session)
    key = _key(slug)
    context = _year_reports(session, agency, year)
    report = next((report for report in context.reports if report.key == key), None)
    if report is None:
        raise NotFoundError("没有这份报告，或尚未公开")
    return report, context


@dataclass
class ReportTable:
    table: GovernmentTable
    #: The whole table with its comparisons (what the downloads give).
    data: TableData
    #: For a 科目 table, its 类 (the page shows these, each leading down to its 款).
    top: Drill | None


@dataclass
class ReportPage:
    report: GovernmentReport
    title: str
    status: ReportStatus
    tables: list[ReportTable]
    #: The year's other public reports.
    others: list[GovernmentReport]


def report_page(year: int, slug: str) -> ReportPage:
    """A public report; :class:`NotFoundError` when there is none (yet)."""
    session = get_session()
    report, context = _report(session, year, slug)
    tables = [ReportTable(table, data, drill(data, table, None)
                          if SPECS_BY_SLUG[table.slug].coded else None)
              for table, data in zip(report.tables, report_tables(report, context), strict=True)]
    return ReportPage(report, title_of(report), _status(report, clock.today()), tables,
                      [other for other in context.reports if other is not report])


def _table(report: GovernmentReport, table_slug: str) -> tuple[GovernmentTable, TableSpec]:
    table = report.table(table_slug)
    if table is None:
        raise NotFoundError("这份报告没有这张表")
    return table, SPECS_BY_SLUG[table.slug]


_CODE = re.compile(r"\d{3}(\d{2}){0,2}")


@dataclass
class TablePage:
    report: GovernmentReport
    report_title: str
    spec: TableSpec
    #: The whole table, as the downloads give it.
    full: TableData
    #: One level of a coded table (None for the others, or when the whole table is shown).
    level: Drill | None
    #: The bars of the level shown (empty without a level or without amounts).
    chart_svg: str


def table_page(year: int, report_slug: str, table_slug: str, *, code: str | None = None,
               everything: bool = False) -> TablePage:
    """A table of a public report: a coded table one level at a time (the 类, or the 款 of a
    类, or the 项 of a 款) with a chart of that level, or whole with ``everything``."""
    session = get_session()
    report, context = _report(session, year, report_slug)
    table, spec = _table(report, table_slug)
    full = report_table(report, table, context)
    if not spec.coded or everything:
        return TablePage(report, title_of(report), spec, full, None, "")
    if code is not None and not _CODE.fullmatch(code):
        raise NotFoundError("科目编码应为3、5或7位数字")
    level = drill(full, table, code)
    if level is None:
        raise NotFoundError(f"这张表没有科目“{code}”")
    return TablePage(report, title_of(report), spec, full, level, _level_chart(report, level))


def _level_chart(report: GovernmentReport, level: Drill) -> str:
    amount_column = level.table.figure_column or 2
    parent = level.path[-1][0] if level.path else None
    bars = []
    for row in level.table.rows:
        amount = row[amount_column]
        if row[0] and row[0] != parent:
            bars.append(Bar(str(row[1]), (amount if isinstance(amount, Decimal) else None,)))
    if not bars:
        return ""
    where = f"“{level.path[-1][1]}”下各{level.level_label}" if level.path else "各类"
    return bar_chart(bars, title=f"{level.table.title}：{where}",
                     description="每个科目一条横条，长度与金额成正比；数字见下表。",
                     series=(report.stage.amount_label,), ident="level-chart")


def table_download(year: int, report_slug: str, table_slug: str, fmt: str) -> FileDownload:
    """A whole table of a public report, with its comparisons, as CSV, XLSX or JSON."""
    session = get_session()
    report, context = _report(session, year, report_slug)
    table, _ = _table(report, table_slug)
    return render(report_table(report, table, context), fmt)
