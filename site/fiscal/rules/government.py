"""Rules of 政府预决算公开: the government's own budget, adjustments, execution report and final
accounts (预算法 Art. 14 ¶1, rules.md §5.1–5.2). Plain Python, no Flask, no database.

What the finance department publishes within twenty days of the 人大's approval:

- the four budgets (四本预算, 预算法 Art. 5): 一般公共预算, 政府性基金预算, 国有资本经营预算 and
  社会保险基金预算, each as revenue by 收入分类 to 项 and expenditure by 功能分类 to 项, the
  一般公共预算 also by 经济分类 to 款 (Art. 32, 46);
- 转移支付 by region and by project (实施条例 Art. 6), 政府债务 (限额, 余额, 举借, 还本付息);
- a 收支总表 of the four budgets, and the 情况说明 (转移支付 and 举借债务 explained, Art. 14 ¶1).

Every check returns :class:`Problem` values naming the table and source line, as the
department tables' checks do; warnings are things worth a second look that do not stop saving.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from opengov.site.fiscal.rules.disclosures import (
    ZERO,
    Level,
    Problem,
    Row,
    SubjectScheme,
    check_subject_rows,
    days_after_approval,
    fold,
    format_amount,
    is_late,
    parent_code,
    total,
    unlisted_codes,
    year_on_year,
)
from opengov.site.fiscal.rules.subjects import (
    FUNCTIONAL_SUBJECTS,
    GOVERNMENT_ECONOMIC_SUBJECTS,
    REVENUE_SUBJECTS,
)

# --- the four budgets and the stages of a year -----------------------------------------------


class Budget(StrEnum):
    """四本预算 (预算法 Art. 5)."""

    GENERAL = "一般公共预算"
    FUND = "政府性基金预算"
    STATE_CAPITAL = "国有资本经营预算"
    SOCIAL_INSURANCE = "社会保险基金预算"

    @property
    def slug(self) -> str:
        return _BUDGET_SLUGS[self]


_BUDGET_SLUGS = {Budget.GENERAL: "general", Budget.FUND: "fund",
                 Budget.STATE_CAPITAL: "state-capital",
                 Budget.SOCIAL_INSURANCE: "social-insurance"}


class ReportStage(StrEnum):
    """What the 人大 (or its 常委会) approves for a year, in the order of the year."""

    BUDGET = "预算"
    ADJUSTMENT = "预算调整"
    EXECUTION = "预算执行情况"
    FINAL = "决算"

    @property
    def slug(self) -> str:
        return _STAGE_SLUGS[self]

    @property
    def amount_label(self) -> str:
        """The column a table of this stage publishes: 预算数, 调整预算数, 执行数, 决算数."""
        return _AMOUNT_LABELS[self]

    @property
    def order(self) -> int:
        return list(ReportStage).index(self)


_STAGE_SLUGS = {ReportStage.BUDGET: "budget", ReportStage.ADJUSTMENT: "adjustment",
                ReportStage.EXECUTION: "execution", ReportStage.FINAL: "final"}
_AMOUNT_LABELS = {ReportStage.BUDGET: "预算数", ReportStage.ADJUSTMENT: "调整预算数",
                  ReportStage.EXECUTION: "执行数", ReportStage.FINAL: "决算数"}
_ORDINALS = "一二三四五六七八九"
#: A year's adjustments are numbered; more than this many is a typing error.
MAX_ADJUSTMENTS = len(_ORDINALS)


@dataclass(frozen=True)
class ReportKey:
    """Which report of a year: the stage and, for 预算调整, which adjustment (1, 2, …)."""

    stage: ReportStage
    sequence: int = 1

    @property
    def slug(self) -> str:
        """``budget``, ``adjustment``, ``adjustment-2``, ``execution``, ``final``."""
        return self.stage.slug if self.sequence == 1 else f"{self.stage.slug}-{self.sequence}"

    @property
    def label(self) -> str:
        """预算, 预算调整, 预算调整（第二次）, …"""
        if self.sequence == 1:
            return str(self.stage)
        return f"{self.stage}（第{_ORDINALS[self.sequence - 1]}次）"

    def sort_key(self) -> tuple[int, int]:
        return self.stage.order, self.sequence


def parse_report_slug(slug: str) -> ReportKey:
    """The key a URL names; ValueError for anything else."""
    match = re.fullmatch(r"([a-z]+)(?:-([2-9]))?", slug)
    stage = next((s for s in ReportStage if match and s.slug == match.group(1)), None)
    if match is None or stage is None:
        raise ValueError(f"未知的报告：{slug}")
    sequence = int(match.group(2) or 1)
    if sequence > 1 and stage is not ReportStage.ADJUSTMENT:
        raise ValueError(f"未知的报告：{slug}")
    return ReportKey(stage, sequence)


def report_title(place: str, year: int, key: ReportKey) -> str:
    """示例市2025年政府预算, 示例市2025年政府预算调整（第二次）, 示例市2024年预算执行情况."""
    if key.stage is ReportStage.EXECUTION:
        return f"{place}{year}年预算执行情况"
    return f"{place}{year}年政府{key.label}"


def place_name(government_name: str) -> str:
    """示例市人民政府 → 示例市: budgets are the place's, approved by its 人大."""
    return government_name.removesuffix("人民政府") or government_name


# --- the table set ------------------------------------------------------------------------------


class TableKind(StrEnum):
    SUMMARY = "收支总表"  # the four budgets, 收入 and 支出
    REVENUE = "收入表"  # 收入分类 to 项
    FUNCTIONAL = "支出表"  # 支出功能分类 to 项
    ECONOMIC = "基本支出表"  # 政府预算支出经济分类 to 款
    TRANSFERS_BY_REGION = "转移支付分地区表"
    TRANSFERS_BY_PROJECT = "转移支付分项目表"
    DEBT = "政府债务表"


#: 类 outside 本级收支: 债务收入 and 转移性收入; 转移性支出 and 债务还本支出. A 合计 row of
#: a revenue or expenditure table covers the others (本级收入/本级支出), a 总计 row all.
REVENUE_FINANCING = frozenset({"105", "110"})
EXPENDITURE_FINANCING = frozenset({"230", "231"})

REVENUE_SCHEME = SubjectScheme("收入分类", dict(REVENUE_SUBJECTS), Level.ITEM, strict=False,
                               financing=REVENUE_FINANCING)
FUNCTIONAL_SCHEME = SubjectScheme("支出功能分类", dict(FUNCTIONAL_SUBJECTS), Level.ITEM,
                                  strict=False, financing=EXPENDITURE_FINANCING)
ECONOMIC_SCHEME = SubjectScheme("政府预算支出经济分类", dict(GOVERNMENT_ECONOMIC_SUBJECTS),
                                Level.SECTION, strict=False)
_SCHEMES = {TableKind.REVENUE: REVENUE_SCHEME, TableKind.FUNCTIONAL: FUNCTIONAL_SCHEME,
            TableKind.ECONOMIC: ECONOMIC_SCHEME}

SUMMARY_COLUMNS = ("收入", "支出")
REGION_COLUMNS = ("合计", "税收返还", "一般性转移支付", "专项转移支付")
DEBT_COLUMNS = ("上年末余额", "本年举借", "其中：新增债券", "本年还本", "年末余额", "债务限额",
                "本年付息")


class DebtLine(StrEnum):
    GENERAL = "一般债务"
    SPECIAL = "专项债务"


@dataclass(frozen=True)
class TableSpec:
    """One table of a government report. Coded tables (revenue, expenditure) carry one amount,
    the stage's figure; the others have their own ``columns``."""

    slug: str
    title: str
    kind: TableKind
    budget: Budget | None = None
    columns: tuple[str, ...] = ()
    #: The first column is the sum of the others (转移支付分地区: 合计 = 返还 + 一般 + 专项).
    first_is_total: bool = False
    #: Other names the table is published under.
    aliases: tuple[str, ...] = ()
    #: Published for a 预算 and a 决算 as a matter of course (财预〔2016〕143号: 不得少公开).
    standard: bool = True

    @property
    def coded(self) -> bool:
        return self.kind in _SCHEMES

    @property
    def scheme(self) -> SubjectScheme | None:
        return _SCHEMES.get(self.kind)

    def amount_columns(self, stage: ReportStage) -> tuple[str, ...]:
        return (stage.amount_label,) if self.coded else self.columns

    @property
    def names(self) -> tuple[str, ...]:
        return (self.title, *self.aliases)


def _budget_tables(budget: Budget) -> tuple[TableSpec, ...]:
    prefix = budget.slug
    return (TableSpec(f"{prefix}-revenue", f"{budget}收入表", TableKind.REVENUE, budget),
            TableSpec(f"{prefix}-expenditure", f"{budget}支出表", TableKind.FUNCTIONAL, budget,
                      aliases=(f"{budget}支出表（按功能分类）", f"{budget}支出功能分类表")))


TABLE_SPECS: tuple[TableSpec, ...] = (
    TableSpec("summary", "四本预算收支总表", TableKind.SUMMARY, None, SUMMARY_COLUMNS,
              aliases=("全口径预算收支总表", "政府预算收支总表", "政府决算收支总表")),
    *_budget_tables(Budget.GENERAL),
    TableSpec("general-basic", "一般公共预算基本支出表", TableKind.ECONOMIC, Budget.GENERAL,
              aliases=("一般公共预算基本支出表（按经济分类）", "一般公共预算基本支出经济分类表")),
    TableSpec("general-transfers-region", "一般公共预算税收返还和转移支付表（分地区）",
              TableKind.TRANSFERS_BY_REGION, Budget.GENERAL, REGION_COLUMNS, first_is_total=True,
              aliases=("税收返还和转移支付分地区表", "一般公共预算转移支付分地区表")),
    TableSpec("general-transfers-project", "一般公共预算专项转移支付表（分项目）",
              TableKind.TRANSFERS_BY_PROJECT, Budget.GENERAL, ("金额",),
              aliases=("专项转移支付分项目表", "一般公共预算专项转移支付分项目表")),
    *_budget_tables(Budget.FUND),
    TableSpec("fund-transfers-region", "政府性基金预算转移支付表（分地区）",
              TableKind.TRANSFERS_BY_REGION, Budget.FUND, ("金额",),
              aliases=("政府性基金转移支付分地区表",)),
    TableSpec("fund-transfers-project", "政府性基金预算转移支付表（分项目）",
              TableKind.TRANSFERS_BY_PROJECT, Budget.FUND, ("金额",),
              aliases=("政府性基金转移支付分项目表",)),
    *_budget_tables(Budget.STATE_CAPITAL),
    *_budget_tables(Budget.SOCIAL_INSURANCE),
    TableSpec("debt", "政府债务限额和余额情况表", TableKind.DEBT, None, DEBT_COLUMNS,
              aliases=("地方政府债务限额和余额情况表", "政府债务情况表", "政府债务余额和限额情况表")),
)
SPECS_BY_SLUG = {spec.slug: spec for spec in TABLE_SPECS}
_POSITION = {spec.slug: position for position, spec in enumerate(TABLE_SPECS)}


def table_position(slug: str) -> int:
    """Where a table stands in the published order (总表, then budget by budget, then debt)."""
    return _POSITION[slug]


_STAGE_BEFORE_TABLE = re.compile(r"(?:调整预算|预算调整|预算执行情况|执行情况|预算|决算|执行)(?=表)")


def match_table(title: str) -> TableSpec | None:
    """The table whose name a title contains (“示例市2025年一般公共预算收入表”); the longest
    name wins, so 一般公共预算基本支出表 is not read as 一般公共预算支出表."""
    folded = fold(title)
    # 一般公共预算支出决算表, 政府性基金预算收入预算表: the stage word before 表 is dropped.
    plain = _STAGE_BEFORE_TABLE.sub("", folded)
    candidates = [(len(fold(name)), spec) for spec in TABLE_SPECS for name in spec.names
                  if fold(name) in folded or fold(name) in plain]
    if not candidates:
        return None
    return max(candidates, key=lambda pair: pair[0])[1]


def spec_for(budget: Budget, kind: TableKind) -> TableSpec | None:
    return next((spec for spec in TABLE_SPECS if spec.budget is budget and spec.kind is kind),
                None)


# --- revenue codes belong to one budget -----------------------------------------------------


def revenue_budgets(code: str) -> frozenset[Budget]:
    """Which budgets a 收入分类 code may appear in: 税收 and most 非税收入 are 一般公共预算,
    10301 政府性基金收入, 10306 国有资本经营收入, 102 社会保险基金收入; 一般债务收入 finances
    the 一般公共预算 and 专项债务收入 the 政府性基金预算; 转移性收入 any but 社保基金."""
    if code.startswith("102"):
        return frozenset({Budget.SOCIAL_INSURANCE})
    if code.startswith("10301"):
        return frozenset({Budget.FUND})
    if code.startswith("10306"):
        return frozenset({Budget.STATE_CAPITAL})
    if code.startswith("1050401"):
        return frozenset({Budget.GENERAL})
    if code.startswith("1050402"):
        return frozenset({Budget.FUND})
    if code[:3] in REVENUE_FINANCING:
        return frozenset({Budget.GENERAL, Budget.FUND, Budget.STATE_CAPITAL})
    if code == "103":  # the 类 itself spans budgets
        return frozenset({Budget.GENERAL, Budget.FUND, Budget.STATE_CAPITAL})
    return frozenset({Budget.GENERAL})


# --- a report as read, before it is saved ---------------------------------------------------


@dataclass
class ReportData:
    """A government report as read from a file or content."""

    year: int
    stage: ReportStage
    sequence: int = 1
    #: 批准机关: the 人大 session or 常委会 meeting that approved it.
    approved_by: str = ""
    #: 批准日期: the twenty days of 预算法 Art. 14 ¶1 run from here.
    approved_on: dt.date | None = None
    published_on: dt.date | None = None
    #: 情况说明 (Markdown); for 预算执行情况 the report itself.
    narrative: str = ""
    #: Rows by table slug.
    tables: dict[str, list[Row]] = field(default_factory=dict)

    @property
    def key(self) -> ReportKey:
        return ReportKey(self.stage, self.sequence)


# --- checks within a table ------------------------------------------------------------------


def _width_and_signs(spec: TableSpec, rows: Sequence[Row],
                     columns: Sequence[str]) -> list[Problem]:
    problems: list[Problem] = []
    for row in rows:
        if len(row.amounts) != len(columns):
            problems.append(Problem(f"应有{len(columns)}个金额列（{'、'.join(columns)}），"
                                    f"实有{len(row.amounts)}个", row.line))
            continue
        for column, amount in zip(columns, row.amounts, strict=True):
            if amount is not None and amount < 0:
                problems.append(Problem(f"{_describe(row)}的“{column}”为负数（{amount}），"
                                        "该栏不能为负", row.line))
        if spec.first_is_total and len(columns) > 1:
            parts = total(row.amounts[1:])
            if (row.amounts[0] or ZERO) != parts:
                problems.append(Problem(
                    f"{_describe(row)}的“{columns[0]}”为{format_amount(row.amounts[0] or ZERO)}，"
                    f"但{'、'.join(columns[1:])}之和为{format_amount(parts)}", row.line))
    return problems


def _describe(row: Row) -> str:
    return f"{row.code} {row.name}".strip()


def _check_named(rows: Sequence[Row], columns: Sequence[str]) -> list[Problem]:
    """Each total row = Σ of the rows other than totals, column by column."""
    problems: list[Problem] = []
    plain = [row for row in rows if not row.is_total]
    for row in rows:
        if not row.name:
            problems.append(Problem("缺少名称", row.line))
    for row in rows:
        if not row.is_total:
            continue
        for column, label in enumerate(columns):
            expected = total(other.amounts[column] for other in plain)
            actual = row.amounts[column] or ZERO
            if actual != expected:
                problems.append(Problem(f"{row.name}的“{label}”为{format_amount(actual)}，"
                                        f"但其他各行之和为{format_amount(expected)}", row.line))
    return problems


_BUDGET_NAMES = {fold(str(budget)): budget for budget in Budget}
_DEBT_NAMES = {"一般债务": DebtLine.GENERAL, "政府一般债务": DebtLine.GENERAL,
               "地方政府一般债务": DebtLine.GENERAL, "专项债务": DebtLine.SPECIAL,
               "政府专项债务": DebtLine.SPECIAL, "地方政府专项债务": DebtLine.SPECIAL}


def summary_budget(name: str) -> Budget | None:
    """The budget a 收支总表 row names (“一、一般公共预算” and the like)."""
    return _BUDGET_NAMES.get(_strip_numbering(fold(name)))


def debt_line(name: str) -> DebtLine | None:
    return _DEBT_NAMES.get(_strip_numbering(fold(name)))


def _strip_numbering(text: str) -> str:
    return re.sub(r"^([0-9一二三四五六七八九十]+[.、．]|（[0-9一二三四五六七八九十]+）)", "", text)


def _check_debt(rows: Sequence[Row]) -> list[Problem]:
    """年末余额 = 上年末余额 + 本年举借 − 本年还本; 新增债券 within 举借; one 一般债务 and one
    专项债务 row."""
    problems: list[Problem] = []
    seen: dict[DebtLine, Row] = {}
    for row in rows:
        if row.is_total:
            continue
        line = debt_line(row.name)
        if line is None:
            problems.append(Problem(f"债务表的行应为“一般债务”“专项债务”或“合计”，实为“{row.name}”",
                                    row.line))
            continue
        if line in seen:
            problems.append(Problem(f"“{line}”重复列出（另见第{seen[line].line}行）", row.line))
            continue
        seen[line] = row
    for row in rows:
        opening, borrowed, new_bonds, repaid, closing = (
            amount or ZERO for amount in row.amounts[:5])
        expected = opening + borrowed - repaid
        if row.amounts[4] is not None and closing != expected:
            problems.append(Problem(
                f"{row.name}的“年末余额”为{format_amount(closing)}，但上年末余额"
                f"{format_amount(opening)}＋本年举借{format_amount(borrowed)}－本年还本"
                f"{format_amount(repaid)}＝{format_amount(expected)}", row.line))
        if new_bonds > borrowed:
            problems.append(Problem(
                f"{row.name}的“新增债券”{format_amount(new_bonds)}大于“本年举借”"
                f"{format_amount(borrowed)}", row.line))
    return problems


def _check_summary(rows: Sequence[Row]) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[Budget, Row] = {}
    for row in rows:
        if row.is_total:
            continue
        budget = summary_budget(row.name)
        if budget is None:
            problems.append(Problem(f"收支总表的行应为四本预算之一或“合计”，实为“{row.name}”",
                                    row.line))
        elif budget in seen:
            problems.append(Problem(f"“{budget}”重复列出（另见第{seen[budget].line}行）", row.line))
        else:
            seen[budget] = row
    return problems


def check_table(spec: TableSpec, stage: ReportStage, rows: Sequence[Row]) -> list[Problem]:
    """Every problem of one table, each naming its line."""
    columns = spec.amount_columns(stage)
    problems = _width_and_signs(spec, rows, columns)
    if problems:
        return problems
    scheme = spec.scheme
    if scheme is not None:
        problems = check_subject_rows(scheme, rows, columns)
        if spec.kind is TableKind.REVENUE and spec.budget is not None and not problems:
            problems = _check_revenue_budget(spec.budget, rows)
        return problems
    if spec.kind is TableKind.SUMMARY:
        problems = _check_summary(rows)
    elif spec.kind is TableKind.DEBT:
        problems = _check_debt(rows)
    return problems or _check_named(rows, columns)


def _check_revenue_budget(budget: Budget, rows: Sequence[Row]) -> list[Problem]:
    """A revenue belongs to one budget: 国有土地使用权出让收入 in the 一般公共预算 is a mistake."""
    problems = []
    for row in rows:
        if row.code and budget not in revenue_budgets(row.code):
            belongs = "或".join(str(b) for b in Budget if b in revenue_budgets(row.code))
            problems.append(Problem(f"“{_describe(row)}”属于{belongs}收入，不应列入{budget}",
                                    row.line))
    return problems


# --- checks across the tables of a report ----------------------------------------------------


def top_rows(rows: Iterable[Row]) -> list[Row]:
    """Coded rows whose parent is not listed (usually the 类)."""
    coded = [row for row in rows if row.code and not row.is_total]
    codes = {row.code for row in coded}
    return [row for row in coded if parent_code(row.code) not in codes]


def own_total(rows: Iterable[Row], financing: frozenset[str]) -> Decimal:
    """本级收入 or 本级支出: the 类 other than transfers and debt."""
    return total(row.amounts[0] for row in top_rows(rows) if row.code[:3] not in financing)


def grand_total(rows: Iterable[Row]) -> Decimal:
    """收入总计 or 支出总计: every 类."""
    return total(row.amounts[0] for row in top_rows(rows))


def _total_row(rows: Sequence[Row], word: str) -> Row | None:
    return next((row for row in rows if row.is_total and word in row.name), None)


def _check_summary_against_budgets(data: ReportData) -> list[Problem]:
    summary = data.tables.get("summary")
    if not summary:
        return []
    problems = []
    title = SPECS_BY_SLUG["summary"].title
    for row in summary:
        budget = summary_budget(row.name) if not row.is_total else None
        if budget is None:
            continue
        for index, (kind, financing, side) in enumerate((
                (TableKind.REVENUE, REVENUE_FINANCING, "收入"),
                (TableKind.FUNCTIONAL, EXPENDITURE_FINANCING, "支出"))):
            spec = spec_for(budget, kind)
            rows = data.tables.get(spec.slug) if spec else None
            if spec is None or not rows:
                continue
            expected = own_total(rows, financing)
            actual = row.amounts[index] or ZERO
            if actual != expected:
                problems.append(Problem(
                    f"{budget}的“{side}”为{format_amount(actual)}，但{spec.title}中本级{side}"
                    f"（不含转移性和债务收支）为{format_amount(expected)}", row.line, title))
    return problems


def _check_balance(data: ReportData) -> list[Problem]:
    """收入总计 = 支出总计 for the budgets that must balance (预算法 Art. 12: 收支平衡); the
    社会保险基金预算 accumulates its 结余 and is left out."""
    problems = []
    for budget in (Budget.GENERAL, Budget.FUND, Budget.STATE_CAPITAL):
        revenue_spec, spending_spec = (spec_for(budget, TableKind.REVENUE),
                                       spec_for(budget, TableKind.FUNCTIONAL))
        assert revenue_spec is not None
        assert spending_spec is not None
        revenue = data.tables.get(revenue_spec.slug) or []
        spending = data.tables.get(spending_spec.slug) or []
        income_row, spending_row = _total_row(revenue, "总计"), _total_row(spending, "总计")
        if income_row is None or spending_row is None:
            continue
        income, outgo = income_row.amounts[0] or ZERO, spending_row.amounts[0] or ZERO
        if income != outgo:
            problems.append(Problem(
                f"{budget}收入总计{format_amount(income)}与支出总计{format_amount(outgo)}不相等"
                "（《预算法》第十二条：收支平衡；结余应列为“年终结余”或“结转下年”）",
                spending_row.line, spending_spec.title))
    return problems


#: 转移性支出 款 against the columns of the 分地区 table (common practice, confirm codes).
_REGION_CODES = {"税收返还": "23001", "一般性转移支付": "23002", "专项转移支付": "23003"}


def _column_total(rows: Sequence[Row], column: int) -> Decimal:
    return total(row.amounts[column] for row in rows if not row.is_total)


def _check_transfers(data: ReportData) -> list[Problem]:
    """By project = the 专项 part by region; by region = the 转移性支出 of the expenditure
    table, when it lists them."""
    problems = []
    for budget, column in ((Budget.GENERAL, REGION_COLUMNS.index("专项转移支付")),
                           (Budget.FUND, 0)):
        region_spec = spec_for(budget, TableKind.TRANSFERS_BY_REGION)
        project_spec = spec_for(budget, TableKind.TRANSFERS_BY_PROJECT)
        assert region_spec is not None
        assert project_spec is not None
        regions = data.tables.get(region_spec.slug)
        projects = data.tables.get(project_spec.slug)
        if regions and projects:
            by_region, by_project = _column_total(regions, column), _column_total(projects, 0)
            if by_region != by_project:
                label = region_spec.amount_columns(data.stage)[column]
                problems.append(Problem(
                    f"各项目合计{format_amount(by_project)}与{region_spec.title}的“{label}”合计"
                    f"{format_amount(by_region)}不一致", None, project_spec.title))
    regions = data.tables.get("general-transfers-region")
    spending = {row.code: row for row in data.tables.get("general-expenditure") or []
                if row.code}
    if regions:
        for label, code in _REGION_CODES.items():
            if code not in spending:
                continue
            expected = spending[code].amounts[0] or ZERO
            actual = _column_total(regions, REGION_COLUMNS.index(label))
            if actual != expected:
                problems.append(Problem(
                    f"“{label}”各地区合计{format_amount(actual)}，与一般公共预算支出表中"
                    f"“{code} {spending[code].name}”的{format_amount(expected)}不一致",
                    spending[code].line, "一般公共预算支出表"))
    return problems


def validate_report(data: ReportData) -> list[Problem]:
    """Every problem of a report: dates, each table, then the sums across tables (the four
    budgets add up to the 总表, each budget balances, transfers agree)."""
    problems: list[Problem] = []
    if data.approved_on and data.published_on and data.published_on < data.approved_on:
        problems.append(Problem("发布日期早于批准日期"))
    if data.sequence != 1 and data.stage is not ReportStage.ADJUSTMENT:
        problems.append(Problem("只有预算调整可以有第二次及以后"))
    if not 1 <= data.sequence <= MAX_ADJUSTMENTS:
        problems.append(Problem(f"预算调整的次数应在1至{MAX_ADJUSTMENTS}之间"))
    for slug, rows in sorted(data.tables.items(), key=lambda pair: table_position(pair[0])):
        spec = SPECS_BY_SLUG[slug]
        problems.extend(Problem(p.message, p.line, spec.title)
                        for p in check_table(spec, data.stage, rows))
    if problems:
        return problems
    return _check_summary_against_budgets(data) + _check_balance(data) + _check_transfers(data)


# --- warnings -------------------------------------------------------------------------------


def _debt_warnings(rows: Sequence[Row]) -> list[str]:
    warnings = []
    for row in rows:
        closing, limit = row.amounts[4], row.amounts[5]
        if closing is not None and limit is not None and closing > limit:
            warnings.append(f"{row.name}年末余额{format_amount(closing)}万元超过债务限额"
                            f"{format_amount(limit)}万元，请核对（地方政府债务余额不得突破批准的限额）")
    return warnings


def report_warnings(data: ReportData) -> list[str]:
    """What does not stop saving but deserves a second look: late publication, then
    :func:`content_warnings`."""
    warnings: list[str] = []
    if data.approved_on and data.published_on and is_late(data.approved_on, data.published_on):
        days = days_after_approval(data.approved_on, data.published_on)
        warnings.append(f"发布日期在批准后第{days}天，超过《预算法》第十四条规定的二十日，"
                        "将在公开情况中标为“逾期公开”。")
    return warnings + content_warnings(data)


def content_warnings(data: ReportData) -> list[str]:
    """What the report itself may lack: the 说明 Art. 14 asks for, standard tables, codes
    the shipped subject list does not know, debt within its limit."""
    warnings: list[str] = []
    if data.stage is not ReportStage.EXECUTION:
        for word in ("转移支付", "债务"):
            if word not in data.narrative:
                warnings.append(f"情况说明没有提到{word}：《预算法》第十四条要求对转移支付和举借债务"
                                "情况作出说明。")
    if data.stage in (ReportStage.BUDGET, ReportStage.FINAL):
        missing = [spec.title for spec in TABLE_SPECS if spec.standard
                   and spec.slug not in data.tables]
        if missing:
            warnings.append(f"未包含以下报表：{'、'.join(missing)}。没有相应收支的，"
                            "可上传空表或在情况说明中说明（财预〔2016〕143号：不得少公开）。")
    for slug, rows in data.tables.items():
        spec = SPECS_BY_SLUG[slug]
        if spec.scheme is not None:
            warnings.extend(str(Problem(p.message, p.line, spec.title))
                            for p in unlisted_codes(spec.scheme, rows))
        if spec.kind is TableKind.DEBT:
            warnings.extend(_debt_warnings(rows))
    return warnings


# --- comparisons ----------------------------------------------------------------------------

PERCENT = Decimal("0.1")


def percentage(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """``part`` as a percentage of ``whole`` to one decimal; None without a whole."""
    if part is None or whole is None or whole == 0:
        return None
    return (part * 100 / whole).quantize(PERCENT, rounding=ROUND_HALF_UP)


def execution_rate(actual: Decimal | None, planned: Decimal | None) -> Decimal | None:
    """决算数 (or 执行数) as a percentage of the budget, to one decimal (执行率); None
    without a budget to compare with."""
    return percentage(actual, planned)


def growth_rate(current: Decimal | None, prior: Decimal | None) -> Decimal | None:
    """增长% against last year (None when last year had nothing)."""
    change = year_on_year(current, prior)
    return change.percent if change else None


def difference(current: Decimal | None, prior: Decimal | None) -> Decimal | None:
    change = year_on_year(current, prior)
    return change.delta if change else None


def row_key(code: str, name: str) -> str:
    """How a row is matched across reports: its code, or its folded name for total rows."""
    return code or "#" + _strip_numbering(fold(name))
