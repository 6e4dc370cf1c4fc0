"""The government's tables as shown, downloaded and indexed: one :class:`TableData` per table
for the page, the CSV/XLSX/JSON downloads and the API, so they agree cell for cell.

A coded table (收入, 支出) is shown with the figures it is compared with, taken from the
other public reports of the same government:

- 预算: last year's 预算数, this year's, the change and the growth rate;
- 预算调整: the budget before the adjustment (年初预算数 or the previous adjustment) and after;
- 预算执行情况 and 决算: 年初预算数, 调整预算数 (the latest public adjustment; the 年初预算数
  when the budget was not adjusted), the figure, 执行率 against 调整预算数 and, for a 决算,
  last year's 决算数 and the growth rate.

Only public reports are compared with: a figure not yet published is not revealed here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from opengov.site.fiscal.models import GovernmentReport, GovernmentTable
from opengov.site.fiscal.rules.disclosures import ZERO, Row, total
from opengov.site.fiscal.rules.government import (
    EXPENDITURE_FINANCING,
    REVENUE_FINANCING,
    SPECS_BY_SLUG,
    Budget,
    ReportStage,
    TableKind,
    TableSpec,
    difference,
    execution_rate,
    growth_rate,
    own_total,
    percentage,
    place_name,
    row_key,
    spec_for,
    top_rows,
)
from opengov.site.fiscal.service.tables import Cell, TableData, table_markdown

Amounts = dict[str, Decimal | None]


@dataclass
class YearReports:
    """A year's public reports and last year's, which a table is compared with."""

    year: int
    budget: GovernmentReport | None = None
    adjustments: list[GovernmentReport] = field(default_factory=list)
    execution: GovernmentReport | None = None
    final: GovernmentReport | None = None
    prior_budget: GovernmentReport | None = None
    prior_final: GovernmentReport | None = None

    @classmethod
    def of(cls, year: int, reports: Sequence[GovernmentReport]) -> YearReports:
        """Sorted out of the public reports of ``year`` and ``year - 1``."""
        found = cls(year)
        for report in reports:
            stage = report.stage
            if report.year == year:
                if stage is ReportStage.BUDGET:
                    found.budget = report
                elif stage is ReportStage.ADJUSTMENT:
                    found.adjustments.append(report)
                elif stage is ReportStage.EXECUTION:
                    found.execution = report
                else:
                    found.final = report
            elif report.year == year - 1:
                if stage is ReportStage.BUDGET:
                    found.prior_budget = report
                elif stage is ReportStage.FINAL:
                    found.prior_final = report
        found.adjustments.sort(key=lambda report: report.sequence)
        return found

    @property
    def reports(self) -> list[GovernmentReport]:
        """This year's reports in the order of the year."""
        return [report for report in (self.budget, *self.adjustments, self.execution,
                                      self.final) if report is not None]

    def before_adjustment(self, sequence: int) -> GovernmentReport | None:
        """What adjustment ``sequence`` changed: the previous adjustment or the budget."""
        earlier = [report for report in self.adjustments if report.sequence < sequence]
        return earlier[-1] if earlier else self.budget

    def adjusted(self, slug: str) -> GovernmentReport | None:
        """The report holding 调整预算数 for a table: the latest adjustment that has it, else
        the budget (a budget never adjusted stands as adjusted)."""
        for report in reversed(self.adjustments):
            if report.table(slug) is not None:
                return report
        return self.budget

    def latest(self, slug: str) -> GovernmentReport | None:
        """The most advanced report of the year that has the table (决算 before 执行情况
        before the latest adjustment before the budget): what the year page charts."""
        for report in reversed(self.reports):
            if report.table(slug) is not None:
                return report
        return None


def _amounts(report: GovernmentReport | None, slug: str) -> Amounts | None:
    table = report.table(slug) if report is not None else None
    if table is None:
        return None
    return {row_key(row.code, row.name): row.amounts[0] for row in table.rows}


def _lookup(amounts: Amounts | None, key: str) -> Decimal | None:
    return None if amounts is None else amounts.get(key)


def table_title(report: GovernmentReport, table: GovernmentTable) -> str:
    return f"{place_name(report.agency.name)}{report.year}年{table.title}（{report.key.label}）"


def file_base(report: GovernmentReport) -> str:
    return f"{report.agency.code}-{report.year}-{report.key.slug}"


def _missing(report: GovernmentReport | None, what: str, notes: list[str]) -> None:
    if report is None:
        notes.append(f"本站尚未公开{what}，相应栏目为空。")


def report_table(report: GovernmentReport, table: GovernmentTable,
                 context: YearReports) -> TableData:
    """A table of ``report`` with its comparisons, as the page, downloads and API give it."""
    spec = SPECS_BY_SLUG[table.slug]
    title = table_title(report, table)
    filename = f"{file_base(report)}-{table.slug}"
    if not spec.coded:
        first = {TableKind.SUMMARY: "预算", TableKind.TRANSFERS_BY_REGION: "地区",
                 TableKind.TRANSFERS_BY_PROJECT: "项目", TableKind.DEBT: "类别"}[spec.kind]
        return TableData(title, [first, *table.columns],
                         [[row.name, *row.amounts] for row in table.rows], filename,
                         levels=[0 if _is_total(row.name, row.code) else 2
                                 for row in table.rows], notes=_named_notes(spec))
    columns, values, notes = _comparison(report, table.slug, context)
    rows: list[list[Cell]] = []
    for row in table.rows:
        rows.append([row.code, row.name, *values(row_key(row.code, row.name), row.amounts[0])])
    figure = next(index for index, column in enumerate(columns)
                  if column.endswith(report.stage.amount_label)
                  and not column.startswith(("调整前", "年初", f"{report.year - 1}年")))
    return TableData(title, ["科目编码", "科目名称", *columns], rows, filename,
                     levels=[row.level for row in table.rows], row_header=1, notes=notes,
                     figure_column=2 + figure)


Values = list[Cell]


def _comparison(report: GovernmentReport, slug: str, context: YearReports) -> tuple[
        list[str], Callable[[str, Decimal | None], Values], list[str]]:
    year = report.year
    notes: list[str] = []
    if report.stage is ReportStage.BUDGET:
        prior = _amounts(context.prior_budget, slug)
        _missing(context.prior_budget, f"{year - 1}年预算", notes)

        def budget(key: str, amount: Decimal | None) -> Values:
            before = _lookup(prior, key)
            return [before, amount, difference(amount, before), growth_rate(amount, before)]

        return [f"{year - 1}年预算数", f"{year}年预算数", "增减额", "增长（%）"], budget, notes
    if report.stage is ReportStage.ADJUSTMENT:
        earlier = context.before_adjustment(report.sequence)
        before_amounts = _amounts(earlier, slug)
        _missing(earlier, f"{year}年预算", notes)

        def adjustment(key: str, amount: Decimal | None) -> Values:
            before = _lookup(before_amounts, key)
            return [before, amount, difference(amount, before)]

        return ["调整前预算数", "调整预算数", "调整增减额"], adjustment, notes
    original = _amounts(context.budget, slug)
    adjusted_report = context.adjusted(slug)
    adjusted = _amounts(adjusted_report, slug)
    _missing(context.budget, f"{year}年预算", notes)
    if context.budget is not None and adjusted_report is context.budget:
        notes.append("本年预算未经调整（或调整未在本站公开），调整预算数即年初预算数。")
    notes.append("完成调整预算（%）= 本栏数 ÷ 调整预算数 × 100%。")
    if report.stage is ReportStage.EXECUTION:

        def execution(key: str, amount: Decimal | None) -> Values:
            planned = _lookup(adjusted, key)
            return [_lookup(original, key), planned, amount, execution_rate(amount, planned)]

        return ["年初预算数", "调整预算数", "执行数", "完成调整预算（%）"], execution, notes
    prior_final = _amounts(context.prior_final, slug)
    _missing(context.prior_final, f"{year - 1}年决算", notes)

    def final(key: str, amount: Decimal | None) -> Values:
        planned, prior = _lookup(adjusted, key), _lookup(prior_final, key)
        return [_lookup(original, key), planned, amount, execution_rate(amount, planned), prior,
                growth_rate(amount, prior)]

    return (["年初预算数", "调整预算数", "决算数", "完成调整预算（%）", f"{year - 1}年决算数",
             "比上年增长（%）"], final, notes)


def _is_total(name: str, code: str) -> bool:
    return not code and ("合计" in name or "总计" in name)


def _named_notes(spec: TableSpec) -> list[str]:
    if spec.kind is TableKind.SUMMARY:
        return ["收入、支出为本级收支，不含转移性收支和债务收支；合计为四本预算之和。"]
    if spec.kind is TableKind.DEBT:
        return ["年末余额 = 上年末余额 + 本年举借 − 本年还本；本年举借含新增债券和再融资债券。"]
    return []


def report_tables(report: GovernmentReport, context: YearReports) -> list[TableData]:
    return [report_table(report, table, context) for table in report.tables]


# --- the four budgets side by side (the year page) ------------------------------------------

BUDGETS_COLUMNS = ["预算", "收支", "年初预算数", "调整预算数", "执行数", "决算数", "完成调整预算（%）"]
_SIDES = ((TableKind.REVENUE, REVENUE_FINANCING, "收入"),
          (TableKind.FUNCTIONAL, EXPENDITURE_FINANCING, "支出"))


def _own(report: GovernmentReport | None, spec: TableSpec,
         financing: frozenset[str]) -> Decimal | None:
    table = report.table(spec.slug) if report is not None else None
    if table is None:
        return None
    return own_total(_rule_rows(table), financing)


def _rule_rows(table: GovernmentTable) -> list[Row]:
    return [Row(row.name, tuple(row.amounts), row.code) for row in table.rows]


def budgets_overview(context: YearReports, place: str, code: str) -> TableData:
    """本级收入 and 本级支出 of each of the four budgets through the year: budget, adjusted
    budget, execution, final account, 执行率 and growth on last year's final account."""
    year = context.year
    rows: list[list[Cell]] = []
    for budget in Budget:
        for kind, financing, side in _SIDES:
            spec = spec_for(budget, kind)
            assert spec is not None
            original = _own(context.budget, spec, financing)
            adjusted = _own(context.adjusted(spec.slug), spec, financing)
            executed = _own(context.execution, spec, financing)
            final = _own(context.final, spec, financing)
            prior = _own(context.prior_final, spec, financing)
            if all(value is None for value in (original, adjusted, executed, final)):
                continue
            achieved = final if final is not None else executed
            rows.append([str(budget), side, original, adjusted, executed, final,
                         execution_rate(achieved, adjusted), prior, growth_rate(final, prior)])
    notes = ["收入、支出为本级收支，不含转移性收支和债务收支。完成调整预算（%）以决算数（尚无决算时以"
             "执行数）除以调整预算数；本年预算未调整的，调整预算数即年初预算数。"]
    _missing(context.prior_final, f"{year - 1}年决算", notes)
    return TableData(
        f"{place}{year}年四本预算收支情况",
        [*BUDGETS_COLUMNS, f"{year - 1}年决算数", "比上年增长（%）"], rows,
        f"{code}-{year}-budgets", row_header=0, notes=notes)


# --- where the money comes from and where it goes ---------------------------------------------


@dataclass
class Composition:
    """The top-level rows of one table of one report, with their shares: a chart's data."""

    report: GovernmentReport
    table: GovernmentTable
    #: (code, name, amount, share %) of each 类 with an amount.
    parts: list[tuple[str, str, Decimal, Decimal | None]]

    @property
    def total(self) -> Decimal:
        return total(amount for _, _, amount, _ in self.parts)


def composition(report: GovernmentReport, slug: str) -> Composition | None:
    """The 类 of a table and what share of the whole each is."""
    table = report.table(slug)
    if table is None:
        return None
    tops = [row for row in top_rows(_rule_rows(table)) if (row.amounts[0] or ZERO) > 0]
    whole = total(row.amounts[0] for row in tops)
    parts = [(row.code, row.name, row.amounts[0] or ZERO, percentage(row.amounts[0], whole))
             for row in tops]
    return Composition(report, table, parts)


def composition_table(found: Composition) -> TableData:
    """The chart's table: every bar's figure and share."""
    title = f"{table_title(found.report, found.table)}：各类占比"
    rows: list[list[Cell]] = [[code, name, amount, share] for code, name, amount, share
                              in found.parts]
    rows.append(["", "合计", found.total, Decimal("100.0") if found.parts else None])
    return TableData(title, ["科目编码", "科目名称", found.report.stage.amount_label, "占比（%）"],
                     rows, f"{file_base(found.report)}-{found.table.slug}-shares",
                     levels=[1] * len(found.parts) + [0], row_header=1)


# --- drill-down from 类 to 款 to 项 ----------------------------------------------------------


@dataclass
class Drill:
    """One level of a coded table: the rows shown, which of them lead further down, and the
    path from the top."""

    table: TableData
    #: The code each shown row drills into, or None (a 项, or a row without children).
    links: list[str | None]
    #: (code, name) from the 类 down to the row whose children are shown.
    path: list[tuple[str, str]]
    #: The level shown (类, 款 or 项), for the chart's title.
    level_label: str


def drill(full: TableData, table: GovernmentTable, code: str | None) -> Drill | None:
    """The rows of ``full`` (the whole table) at one level: the 类 and total rows without a
    code; with one, that row and its children. None for a code the table does not have."""
    codes = [row.code for row in table.rows]
    children: dict[str, list[int]] = {}
    for index, row_code in enumerate(codes):
        if len(row_code) > 3:
            children.setdefault(row_code[:-2], []).append(index)
    path: list[tuple[str, str]] = []
    if code is None:
        present = set(codes)
        shown = [index for index, row_code in enumerate(codes)
                 if not row_code or row_code[:-2] not in present or len(row_code) == 3]
        label = "类"
    else:
        if code not in codes:
            return None
        index = codes.index(code)
        parent = code
        while parent:
            if parent in codes:
                path.insert(0, (parent, table.rows[codes.index(parent)].name))
            parent = parent[:-2] if len(parent) > 3 else ""
        shown = [index, *children.get(code, [])]
        label = {3: "款", 5: "项"}.get(len(code), "项")
    subset = TableData(full.title, full.columns, [full.rows[i] for i in shown], full.filename,
                       unit=full.unit, notes=full.notes, levels=[full.level(i) for i in shown],
                       row_header=full.row_header, figure_column=full.figure_column)
    links = [codes[i] if codes[i] and codes[i] in children and codes[i] != code else None
             for i in shown]
    return Drill(subset, links, path, label)


# --- Markdown for the catalog document ---------------------------------------------------------


def public_path(report: GovernmentReport) -> str:
    """The page of a report (the route ``public.fiscal_government_report``; a test checks the
    two agree). Built here because the document body is written outside requests."""
    return f"/fiscal/government/{report.year}/{report.key.slug}/"


def plain_table(report: GovernmentReport, table: GovernmentTable) -> TableData:
    """A table with its own figures only: what the searchable document body holds (the
    comparisons change as later reports are published)."""
    spec = SPECS_BY_SLUG[table.slug]
    first = ["科目编码", "科目名称"] if spec.coded else ["名称"]
    return TableData(table_title(report, table), [*first, *table.columns],
                     [[*([row.code] if spec.coded else []), row.name, *row.amounts]
                      for row in table.rows], f"{file_base(report)}-{table.slug}")


def _chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def report_markdown(report: GovernmentReport, title: str) -> str:
    """The searchable body: approval, the 情况说明, then every table."""
    parts = []
    if report.is_example:
        parts.append("> 示例数据：本页为虚构的演示数据，不是真实财政数据。\n")
    approval = "、".join(part for part in (
        report.approved_by, _chinese_date(report.approved_on) + "批准" if report.approved_on
        else "") if part)
    parts.append(f"{title}{'（' + approval + '）' if approval else ''}。各报表可在"
                 f"[政府预决算页面]({public_path(report)})逐级查看，并下载 CSV、XLSX 和 JSON 格式。\n")
    if report.narrative.strip():
        parts.append(report.narrative.strip() + "\n")
    if report.tables:
        parts.append("## 公开报表\n")
        parts.extend(table_markdown(plain_table(report, table)) for table in report.tables)
    return "\n".join(parts)
