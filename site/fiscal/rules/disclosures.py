"""Rules of 预决算公开 (rules.md §5): subjects, amounts, the table set, sums, 三公经费,
year-on-year change and the 20-day publication rule. Plain Python, no Flask, no database.

Amounts are :class:`~decimal.Decimal` 万元 with two decimals, the unit of the published tables.
Every check returns :class:`Problem` values with a Chinese message naming the source line, so
an import can show them row by row.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import IntEnum, StrEnum

from opengov.site.fiscal.rules.subjects import ECONOMIC_SUBJECTS, FUNCTIONAL_SUBJECTS

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

# --- stages and units ---------------------------------------------------------------------


class Stage(StrEnum):
    """预算 or 决算 of a department (预算法 Art. 14 ¶2)."""

    BUDGET = "预算"
    FINAL = "决算"

    @property
    def slug(self) -> str:
        return "budget" if self is Stage.BUDGET else "final"

    @classmethod
    def from_slug(cls, slug: str) -> Stage:
        for stage in cls:
            if stage.slug == slug:
                return stage
        raise ValueError(f"未知的阶段：{slug}")


class Unit(StrEnum):
    """Units found in published tables; stored figures are converted to 万元."""

    YUAN = "元"
    WAN = "万元"
    YI = "亿元"

    @property
    def factor(self) -> Decimal:
        """How many 万元 one of this unit is."""
        return {Unit.YUAN: Decimal("0.0001"), Unit.WAN: Decimal(1), Unit.YI: Decimal(10000)}[self]


def detect_unit(text: str) -> Unit | None:
    """The unit named in a caption such as ``单位：万元`` (longest name first: 万元 before 元)."""
    match = re.search(r"(?:单位|金额单位)\s*[:：]\s*(亿元|万元|元)", text)
    return Unit(match.group(1)) if match else None


class AmountError(ValueError):
    """A cell that is not an amount."""


_BLANK = {"", "-", "—", "–", "/", "－"}


def parse_amount(raw: object) -> Decimal | None:
    """An amount cell as Decimal, ``None`` for an empty or dash cell.

    Accepts numbers from spreadsheets (floats are read through ``repr`` so 0.1 stays 0.1),
    thousands separators and full-width digits; refuses more than two decimals except for
    float noise such as 0.30000000000000004, since tables are published to the 分.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise AmountError(f"“{raw}”不是金额")
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int | float):
        value = Decimal(repr(raw))
    else:
        text = str(raw).strip().translate(_FULL_WIDTH).replace(",", "").replace(" ", "")
        if text in _BLANK:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise AmountError(f"“{raw}”不是金额") from None
    if not value.is_finite():
        raise AmountError(f"“{raw}”不是金额")
    rounded = value.quantize(CENT, rounding=ROUND_HALF_UP)
    if abs(rounded - value) > Decimal("0.000001"):
        raise AmountError(f"“{raw}”超过两位小数，金额应精确到分（0.01）")
    return rounded


_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，－", "0123456789.,-")


def to_wan(amount: Decimal, unit: Unit) -> Decimal:
    """``amount`` in ``unit`` as 万元 with two decimals (元 figures are rounded to the 百元)."""
    return (amount * unit.factor).quantize(CENT, rounding=ROUND_HALF_UP)


def format_amount(amount: Decimal | None) -> str:
    """Two decimals, no separators, the way the tables print; empty for a missing figure."""
    return "" if amount is None else f"{amount.quantize(CENT, rounding=ROUND_HALF_UP):f}"


def total(amounts: Iterable[Decimal | None]) -> Decimal:
    """Sum treating missing figures as zero."""
    return sum((amount for amount in amounts if amount is not None), ZERO)


# --- subjects (政府收支分类科目) ------------------------------------------------------------


class Classification(StrEnum):
    FUNCTIONAL = "功能分类"
    ECONOMIC = "经济分类"


class Level(IntEnum):
    CLASS = 1  # 类
    SECTION = 2  # 款
    ITEM = 3  # 项


LEVEL_LABELS = {Level.CLASS: "类", Level.SECTION: "款", Level.ITEM: "项"}
_LEVEL_BY_LENGTH = {3: Level.CLASS, 5: Level.SECTION, 7: Level.ITEM}
#: Deepest level each classification is published to (预算法 Art. 46, 实施条例 Art. 6).
DEEPEST_LEVEL = {Classification.FUNCTIONAL: Level.ITEM, Classification.ECONOMIC: Level.SECTION}

SUBJECTS: dict[Classification, dict[str, str]] = {
    Classification.FUNCTIONAL: dict(FUNCTIONAL_SUBJECTS),
    Classification.ECONOMIC: dict(ECONOMIC_SUBJECTS),
}


def subject_level(code: str) -> Level:
    """类 (3 digits), 款 (5) or 项 (7); ValueError for any other shape."""
    if not code.isdigit() or len(code) not in _LEVEL_BY_LENGTH:
        raise ValueError(f"科目编码“{code}”格式不对，应为3位（类）、5位（款）或7位（项）数字")
    return _LEVEL_BY_LENGTH[len(code)]


def parent_code(code: str) -> str | None:
    """The 类 of a 款, the 款 of a 项; None for a 类."""
    level = subject_level(code)
    return {Level.CLASS: None, Level.SECTION: code[:3], Level.ITEM: code[:5]}[level]


def subject_name(code: str, classification: Classification) -> str | None:
    return SUBJECTS[classification].get(code)


def normalise_code(raw: object) -> str:
    """A code cell as a digit string: spreadsheets give 2010601 as an int or 2010601.0."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw).strip().translate(_FULL_WIDTH).replace(" ", "")


def join_code(class_part: object, section_part: object, item_part: object) -> str:
    """A code from the split 类 | 款 | 项 columns of many published tables (201 | 06 | 01);
    款 and 项 given as numbers lose their leading zero, so they are padded back."""
    parts = [normalise_code(class_part), normalise_code(section_part), normalise_code(item_part)]
    code = parts[0]
    for part in parts[1:]:
        if not part:
            break
        code += part.zfill(2)
    return code


# --- the table set (rules.md §5.4) ---------------------------------------------------------


class TableKind(StrEnum):
    OVERVIEW = "收支总表"  # two sides, 收入 and 支出, rows by name
    FUNCTIONAL = "功能分类表"  # rows by 功能分类 code to 项
    ECONOMIC = "经济分类表"  # rows by 经济分类 code to 款
    SANGONG = "三公经费表"  # the "三公" lines


@dataclass(frozen=True)
class TableSpec:
    """One table of the standard set; the first amount column is the sum of the others
    when ``first_is_total``."""

    number: int
    kind: TableKind
    budget_title: str
    final_title: str
    columns: tuple[str, ...]
    first_is_total: bool = True
    optional: bool = False

    def title(self, stage: Stage) -> str:
        return self.budget_title if stage is Stage.BUDGET else self.final_title

    @property
    def classification(self) -> Classification | None:
        return {TableKind.FUNCTIONAL: Classification.FUNCTIONAL,
                TableKind.ECONOMIC: Classification.ECONOMIC}.get(self.kind)


_SPENDING = ("合计", "基本支出", "项目支出")

TABLE_SPECS: tuple[TableSpec, ...] = (
    TableSpec(1, TableKind.OVERVIEW, "部门收支总表", "收入支出决算总表", ("金额",), False),
    TableSpec(2, TableKind.FUNCTIONAL, "部门收入总表", "收入决算表",
              ("合计", "一般公共预算拨款收入", "政府性基金预算拨款收入",
               "国有资本经营预算拨款收入", "事业收入", "其他收入")),
    TableSpec(3, TableKind.FUNCTIONAL, "部门支出总表", "支出决算表", _SPENDING),
    TableSpec(4, TableKind.OVERVIEW, "财政拨款收支总表", "财政拨款收入支出决算总表", ("金额",),
              False),
    TableSpec(5, TableKind.FUNCTIONAL, "一般公共预算支出表", "一般公共预算财政拨款支出决算表",
              _SPENDING),
    TableSpec(6, TableKind.ECONOMIC, "一般公共预算基本支出表",
              "一般公共预算财政拨款基本支出决算表", ("合计", "人员经费", "公用经费")),
    TableSpec(7, TableKind.SANGONG, "一般公共预算“三公”经费支出表",
              "一般公共预算财政拨款“三公”经费支出决算表", ("本年", "上年"), False),
    TableSpec(8, TableKind.FUNCTIONAL, "政府性基金预算支出表",
              "政府性基金预算财政拨款收入支出决算表", _SPENDING),
    TableSpec(9, TableKind.FUNCTIONAL, "国有资本经营预算支出表",
              "国有资本经营预算财政拨款支出决算表", _SPENDING, optional=True),
)
SPECS_BY_NUMBER = {spec.number: spec for spec in TABLE_SPECS}


def fold(text: str) -> str:
    """Text compared loosely: half-width brackets, no spaces or quotes."""
    table = str.maketrans({"(": "（", ")": "）", '"': None, "“": None, "”": None,
                           " ": None, "\u3000": None, "'": None})
    return text.translate(table).strip()


def match_spec(title: str) -> TableSpec | None:
    """The spec whose name ends a table title such as “示例市财政局2025年部门支出总表”.

    The longest matching name wins, so 一般公共预算基本支出表 is not read as 部门支出总表.
    """
    folded = fold(title)
    candidates: list[tuple[int, TableSpec]] = []
    for spec in TABLE_SPECS:
        for name in (spec.budget_title, spec.final_title):
            if fold(name) in folded:
                candidates.append((len(name), spec))
    if not candidates:
        return None
    return max(candidates, key=lambda pair: pair[0])[1]


# --- rows and their checks ----------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Something wrong with an input; ``line`` is the source row (1-based) when known."""

    message: str
    line: int | None = None
    table: str = ""

    def __str__(self) -> str:
        where = f"第{self.line}行：" if self.line else ""
        prefix = f"【{self.table}】" if self.table else ""
        return f"{prefix}{where}{self.message}"


@dataclass
class Row:
    """One row of a table: coded (科目) or named (收支总表), amounts in 万元."""

    name: str
    amounts: tuple[Decimal | None, ...]
    code: str = ""
    line: int | None = None
    #: 收入 / 支出 for the two sides of a 收支总表.
    side: str = ""

    @property
    def is_total(self) -> bool:
        return not self.code and ("合计" in self.name or "总计" in self.name)


def _describe(row: Row) -> str:
    return f"{row.code} {row.name}".strip()


def check_rows(spec: TableSpec, rows: Sequence[Row]) -> list[Problem]:
    """Every problem of a table: unknown codes, negative amounts, row sums, column sums."""
    problems: list[Problem] = []
    width = len(spec.columns)
    for row in rows:
        if len(row.amounts) != width:
            problems.append(Problem(f"应有{width}个金额列（{'、'.join(spec.columns)}），"
                                    f"实有{len(row.amounts)}个", row.line))
            continue
        for column, amount in zip(spec.columns, row.amounts, strict=True):
            if amount is not None and amount < 0:
                problems.append(Problem(f"{_describe(row)}的“{column}”为负数（{amount}），"
                                        "该栏不能为负", row.line))
        if spec.first_is_total and width > 1:
            parts = total(row.amounts[1:])
            if (row.amounts[0] or ZERO) != parts:
                problems.append(Problem(
                    f"{_describe(row)}的“{spec.columns[0]}”为{format_amount(row.amounts[0] or ZERO)}，"
                    f"但{'、'.join(spec.columns[1:])}之和为{format_amount(parts)}", row.line))
    if problems:
        return problems
    if spec.kind is TableKind.OVERVIEW:
        return _check_overview(rows)
    classification = spec.classification
    assert classification is not None, "三公 lines are checked by check_sangong"
    return _check_coded(classification, rows, spec.columns)


@dataclass(frozen=True)
class SubjectScheme:
    """A classification as the row checks need it."""

    #: 功能分类, 经济分类, 收入分类: named in the messages.
    label: str
    subjects: Mapping[str, str]
    #: Deepest level published (预算法 Art. 46, 实施条例 Art. 6).
    deepest: Level
    #: Department tables refuse a code missing from ``subjects``; government tables refuse
    #: only an unknown 类 (see :mod:`.subjects`) and flag an unlisted 款 or 项.
    strict: bool = True
    #: 类 outside 本级收支 (转移性收支, 债务收支): a 合计 row leaves them out, a 总计 row
    #: counts every 类. Empty for department tables, where both mean all.
    financing: frozenset[str] = frozenset()

    def knows(self, code: str) -> bool:
        return code in self.subjects if self.strict else code[:3] in self.subjects


def _scheme(classification: Classification) -> SubjectScheme:
    return SubjectScheme(str(classification), SUBJECTS[classification],
                         DEEPEST_LEVEL[classification])


def _check_coded(classification: Classification, rows: Sequence[Row],
                 columns: Sequence[str]) -> list[Problem]:
    return check_subject_rows(_scheme(classification), rows, columns)


def check_subject_rows(scheme: SubjectScheme, rows: Sequence[Row],
                       columns: Sequence[str]) -> list[Problem]:
    """Codes well formed, known, not too deep and not repeated; then each 类 = Σ 款 and each
    款 = Σ 项 in every column, and each total row = Σ of the 类 it covers."""
    problems: list[Problem] = []
    by_code: dict[str, Row] = {}
    deepest = scheme.deepest
    for row in rows:
        if row.is_total:
            continue
        if not row.code:
            problems.append(Problem(f"“{row.name}”缺少科目编码", row.line))
            continue
        try:
            level = subject_level(row.code)
        except ValueError as exc:
            problems.append(Problem(str(exc), row.line))
            continue
        if level > deepest:
            problems.append(Problem(f"{scheme.label}只公开到{LEVEL_LABELS[deepest]}，"
                                    f"“{row.code}”是{LEVEL_LABELS[level]}级科目", row.line))
        elif not scheme.knows(row.code):
            problems.append(Problem(f"科目编码“{row.code}”不在《政府收支分类科目》"
                                    f"{scheme.label}中", row.line))
        elif row.code in by_code:
            problems.append(Problem(f"科目“{row.code}”重复列出（另见第{by_code[row.code].line}行）",
                                    row.line))
        else:
            by_code[row.code] = row
    if problems:
        return problems

    children: dict[str, list[Row]] = {}
    tops: list[Row] = []
    for row in by_code.values():
        parent = parent_code(row.code)
        if parent is not None and parent in by_code:
            children.setdefault(parent, []).append(row)
        else:
            tops.append(row)
    for code, kids in children.items():
        parent_row = by_code[code]
        for column, label in enumerate(columns):
            expected = total(kid.amounts[column] for kid in kids)
            actual = parent_row.amounts[column] or ZERO
            if actual != expected:
                kid_level = LEVEL_LABELS[subject_level(kids[0].code)]
                problems.append(Problem(
                    f"{_describe(parent_row)}的“{label}”为{format_amount(actual)}，"
                    f"但其下各{kid_level}之和为{format_amount(expected)}", parent_row.line))
    own = [top for top in tops if top.code[:3] not in scheme.financing]
    for row in rows:
        if not row.is_total:
            continue
        # 合计 covers 本级收支 only where financing 类 exist; 总计 always covers every 类.
        partial = "总计" not in row.name and len(own) != len(tops)
        covered = own if partial else tops
        for column, label in enumerate(columns):
            expected = total(top.amounts[column] for top in covered)
            actual = row.amounts[column] or ZERO
            if actual != expected:
                scope = ("不含转移性收支和债务收支的各科目之和" if partial else "各科目之和")
                problems.append(Problem(
                    f"{row.name}的“{label}”为{format_amount(actual)}，"
                    f"但{scope}为{format_amount(expected)}", row.line))
    return problems


def unlisted_codes(scheme: SubjectScheme, rows: Sequence[Row]) -> list[Problem]:
    """Codes of a known 类 that the shipped subject list lacks: worth a second look, not an
    error (the full 《政府收支分类科目》 has many more 款 and 项)."""
    return [Problem(f"科目编码“{row.code} {row.name}”未收录在本站的{scheme.label}科目表中，"
                    "请核对编码", row.line)
            for row in rows
            if row.code and row.code not in scheme.subjects and scheme.knows(row.code)]


def _check_overview(rows: Sequence[Row]) -> list[Problem]:
    """Each 合计/总计 row equals the sum of the plain rows above it on its side, and the
    last 收入 total equals the last 支出 total (a 收支总表 balances)."""
    problems: list[Problem] = []
    last_totals: dict[str, Row] = {}
    running: dict[str, Decimal] = {}
    for row in rows:
        side = row.side or "收入"
        if row.is_total:
            expected = running.get(side, ZERO)
            actual = row.amounts[0] or ZERO
            if actual != expected:
                problems.append(Problem(f"{side}方“{row.name}”为{format_amount(actual)}，"
                                        f"但其上各项之和为{format_amount(expected)}", row.line))
            last_totals[side] = row
        else:
            running[side] = running.get(side, ZERO) + (row.amounts[0] or ZERO)
    income, spending = last_totals.get("收入"), last_totals.get("支出")
    if (income is not None and spending is not None and not problems
            and (income.amounts[0] or ZERO) != (spending.amounts[0] or ZERO)):
        problems.append(Problem(
            f"收入方“{income.name}”{format_amount(income.amounts[0])}与支出方"
            f"“{spending.name}”{format_amount(spending.amounts[0])}不相等", spending.line))
    return problems


# --- 三公经费 (rules.md §5.5) ---------------------------------------------------------------


class SangongItem(StrEnum):
    """The four leaf lines of the 三公经费 and the figures published beside them."""

    OUTBOUND = "因公出国（境）费"
    VEHICLE_PURCHASE = "公务用车购置费"
    VEHICLE_OPERATION = "公务用车运行（维护）费"
    RECEPTION = "公务接待费"
    OPERATING_COST = "机关运行经费"
    MEETING = "会议费"
    TRAINING = "培训费"


#: The items whose sum is the 三公经费.
SANGONG_LEAVES = (SangongItem.OUTBOUND, SangongItem.VEHICLE_PURCHASE,
                  SangongItem.VEHICLE_OPERATION, SangongItem.RECEPTION)
TOTAL_LABEL = "“三公”经费合计"
VEHICLE_LABEL = "公务用车购置及运行（维护）费"

_SANGONG_ALIASES: dict[str, str] = {
    "合计": "total", "三公经费合计": "total", "三公经费": "total", "总计": "total",
    "因公出国（境）费": SangongItem.OUTBOUND, "因公出国（境）费用": SangongItem.OUTBOUND,
    "因公出国费": SangongItem.OUTBOUND, "因公出国（境）经费": SangongItem.OUTBOUND,
    "公务用车购置及运行（维护）费": "vehicle", "公务用车购置及运行费": "vehicle",
    "公务用车购置及运行维护费": "vehicle", "公务用车费": "vehicle", "小计": "vehicle",
    "公务用车购置费": SangongItem.VEHICLE_PURCHASE, "购置费": SangongItem.VEHICLE_PURCHASE,
    "公务用车运行（维护）费": SangongItem.VEHICLE_OPERATION,
    "公务用车运行维护费": SangongItem.VEHICLE_OPERATION,
    "公务用车运行费": SangongItem.VEHICLE_OPERATION, "运行费": SangongItem.VEHICLE_OPERATION,
    "运行（维护）费": SangongItem.VEHICLE_OPERATION, "运行维护费": SangongItem.VEHICLE_OPERATION,
    "公务接待费": SangongItem.RECEPTION, "机关运行经费": SangongItem.OPERATING_COST,
    "会议费": SangongItem.MEETING, "培训费": SangongItem.TRAINING,
}


def match_sangong_label(label: str) -> SangongItem | str | None:
    """An item, ``"total"``, ``"vehicle"`` (the subtotal) or None for a label of a 三公 table.
    Leading numbering (1. / 一、/ （1）/ 其中：) is ignored."""
    text = fold(label)
    text = re.sub(r"^(其中[:：]?|[0-9一二三四五六七八九十]+[.、．]|（[0-9一二三四五六七八九十]+）)+",
                  "", text)
    return _SANGONG_ALIASES.get(text)


@dataclass
class SangongFigures:
    """One year's figures in 万元; ``None`` where the table left the cell empty."""

    amounts: dict[SangongItem, Decimal | None] = field(default_factory=dict)

    def get(self, item: SangongItem) -> Decimal | None:
        return self.amounts.get(item)

    @property
    def vehicle(self) -> Decimal | None:
        """公务用车购置及运行（维护）费 = 购置费 + 运行费 (None when both are missing)."""
        parts = [self.get(SangongItem.VEHICLE_PURCHASE), self.get(SangongItem.VEHICLE_OPERATION)]
        return None if all(part is None for part in parts) else total(parts)

    @property
    def total(self) -> Decimal | None:
        """合计 = 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费."""
        parts = [self.get(item) for item in SANGONG_LEAVES]
        return None if all(part is None for part in parts) else total(parts)


def check_sangong(figures: SangongFigures, *, declared_total: Decimal | None = None,
                  declared_vehicle: Decimal | None = None,
                  line: int | None = None) -> list[Problem]:
    """Negative lines, and the declared 合计 / 公务用车 subtotal against their parts."""
    problems: list[Problem] = []
    for item, amount in figures.amounts.items():
        if amount is not None and amount < 0:
            problems.append(Problem(f"{item}为负数（{amount}），不能为负", line))
    if declared_vehicle is not None and declared_vehicle != (figures.vehicle or ZERO):
        problems.append(Problem(
            f"{VEHICLE_LABEL}为{format_amount(declared_vehicle)}，但购置费与运行（维护）费之和为"
            f"{format_amount(figures.vehicle or ZERO)}", line))
    if declared_total is not None and declared_total != (figures.total or ZERO):
        problems.append(Problem(
            f"{TOTAL_LABEL}为{format_amount(declared_total)}，但因公出国（境）费、公务用车购置及运行"
            f"（维护）费、公务接待费之和为{format_amount(figures.total or ZERO)}", line))
    return problems


# --- 政府采购情况 (预算法 Art. 14 ¶3; rules.md §5.1, §5.6 其他重要事项) -----------------------


class ProcurementItem(StrEnum):
    """The lines of a department's 政府采购 figures, as its 情况说明 states them."""

    GOODS = "货物"
    WORKS = "工程"
    SERVICES = "服务"
    #: 授予中小企业合同金额 (决算), and the part of it that went to 小微企业.
    SME = "授予中小企业合同金额"
    SMALL_MICRO = "其中：授予小微企业合同金额"


PROCUREMENT_CATEGORIES = (ProcurementItem.GOODS, ProcurementItem.WORKS,
                          ProcurementItem.SERVICES)
PROCUREMENT_TITLES = {"预算": "政府采购预算表", "决算": "政府采购情况表"}

_PROCUREMENT_ALIASES: dict[str, ProcurementItem | str] = {
    "合计": "total", "总计": "total", "政府采购合计": "total", "政府采购预算合计": "total",
    "政府采购支出总额": "total", "政府采购预算总额": "total",
    "货物": ProcurementItem.GOODS, "货物类": ProcurementItem.GOODS,
    "政府采购货物支出": ProcurementItem.GOODS, "货物采购": ProcurementItem.GOODS,
    "工程": ProcurementItem.WORKS, "工程类": ProcurementItem.WORKS,
    "政府采购工程支出": ProcurementItem.WORKS, "工程采购": ProcurementItem.WORKS,
    "服务": ProcurementItem.SERVICES, "服务类": ProcurementItem.SERVICES,
    "政府采购服务支出": ProcurementItem.SERVICES, "服务采购": ProcurementItem.SERVICES,
    "授予中小企业合同金额": ProcurementItem.SME,
    "授予小微企业合同金额": ProcurementItem.SMALL_MICRO,
    "其中：授予小微企业合同金额": ProcurementItem.SMALL_MICRO,
}


def match_procurement_label(label: str) -> ProcurementItem | str | None:
    """An item or ``"total"`` for a line of a 政府采购 table (numbering ignored)."""
    text = re.sub(r"^([0-9一二三四五六七八九十]+[.、．]|（[0-9一二三四五六七八九十]+）)+", "",
                  fold(label))
    return _PROCUREMENT_ALIASES.get(text) or _PROCUREMENT_ALIASES.get(
        text.removeprefix("其中：").removeprefix("其中"))


def match_procurement_title(title: str) -> bool:
    folded = fold(title)
    return any(name in folded for name in ("政府采购预算表", "政府采购情况表", "政府采购支出表"))


@dataclass
class ProcurementData:
    """A department's 政府采购 for the year in 万元: by category, and for a 决算 the contracts
    awarded to 中小企业 (of which 小微企业)."""

    amounts: dict[ProcurementItem, Decimal | None] = field(default_factory=dict)
    explanation: str = ""
    line: int | None = None

    def get(self, item: ProcurementItem) -> Decimal | None:
        return self.amounts.get(item)

    @property
    def total(self) -> Decimal | None:
        parts = [self.get(item) for item in PROCUREMENT_CATEGORIES]
        return None if all(part is None for part in parts) else total(parts)

    @property
    def sme_share(self) -> Decimal | None:
        """授予中小企业合同金额 as a percentage of the total, to one decimal."""
        return _share(self.get(ProcurementItem.SME), self.total)

    @property
    def small_micro_share(self) -> Decimal | None:
        """授予小微企业 as a percentage of 授予中小企业."""
        return _share(self.get(ProcurementItem.SMALL_MICRO), self.get(ProcurementItem.SME))


def _share(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    if part is None or whole is None or whole == 0:
        return None
    return (part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def check_procurement(data: ProcurementData, *,
                      declared_total: Decimal | None = None) -> list[Problem]:
    """No negative line; the declared 合计 = 货物 + 工程 + 服务; 中小企业 within the total and
    小微企业 within 中小企业."""
    problems: list[Problem] = []
    for item, amount in data.amounts.items():
        if amount is not None and amount < 0:
            problems.append(Problem(f"{item}为负数（{amount}），不能为负", data.line))
    computed = data.total or ZERO
    if declared_total is not None and declared_total != computed:
        problems.append(Problem(f"政府采购合计为{format_amount(declared_total)}，但货物、工程、"
                                f"服务之和为{format_amount(computed)}", data.line))
    sme, small = data.get(ProcurementItem.SME), data.get(ProcurementItem.SMALL_MICRO)
    if sme is not None and sme > computed:
        problems.append(Problem(f"授予中小企业合同金额{format_amount(sme)}大于政府采购合计"
                                f"{format_amount(computed)}", data.line))
    if small is not None and small > (sme or ZERO):
        problems.append(Problem(f"授予小微企业合同金额{format_amount(small)}大于授予中小企业合同金额"
                                f"{format_amount(sme or ZERO)}", data.line))
    return problems


# --- year-on-year change (rules.md §5.6) ---------------------------------------------------


@dataclass(frozen=True)
class Change:
    """This year against last year: 增减额 in 万元 and 增减% to one decimal."""

    current: Decimal
    prior: Decimal

    @property
    def delta(self) -> Decimal:
        return self.current - self.prior

    @property
    def percent(self) -> Decimal | None:
        """None when last year was zero: a growth rate from nothing is not a number."""
        if self.prior == 0:
            return None
        return (self.delta * 100 / self.prior).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def phrase(self) -> str:
        """The wording of the 情况说明: 比上年增加0.50万元，增长100.0%."""
        if self.delta == 0:
            return "与上年持平"
        verb, trend = ("增加", "增长") if self.delta > 0 else ("减少", "下降")
        text = f"比上年{verb}{format_amount(abs(self.delta))}万元"
        if self.percent is not None:
            text += f"，{trend}{abs(self.percent)}%"
        return text


def year_on_year(current: Decimal | None, prior: Decimal | None) -> Change | None:
    """The change, or None when either year has no figure."""
    if current is None or prior is None:
        return None
    return Change(current, prior)


_NARRATIVE_DELTA = re.compile(r"(增加|减少)\s*([0-9]+(?:\.[0-9]+)?)\s*万元")
_NARRATIVE_PERCENT = re.compile(r"(增长|下降)\s*([0-9]+(?:\.[0-9]+)?)\s*%")


def check_narrative(text: str, change: Change) -> list[str]:
    """Compare the 增减额/增减% stated in an explanation with the figures (rules.md §5.7).

    Only stated numbers are checked; an explanation giving reasons without figures passes.
    The percentage may be rounded to whole numbers in the text.
    """
    problems: list[str] = []
    delta = _NARRATIVE_DELTA.search(text)
    if delta is not None:
        stated = Decimal(delta.group(2)) * (1 if delta.group(1) == "增加" else -1)
        if stated.quantize(CENT) != change.delta:
            problems.append(f"说明称{delta.group(0)}，按数据应为{change.phrase()}")
    percent = _NARRATIVE_PERCENT.search(text)
    if percent is not None and change.percent is not None:
        stated = Decimal(percent.group(2)) * (1 if percent.group(1) == "增长" else -1)
        decimals = len(percent.group(2).partition(".")[2])
        # A text rounds to its own precision; the computed figure is itself to 0.1.
        tolerance = max(Decimal(5).scaleb(-decimals - 1), Decimal("0.05"))
        if abs(stated - change.percent) > tolerance:
            problems.append(f"说明称{percent.group(0)}，按数据应为{change.phrase()}")
    return problems


# --- the 20-day rule (预算法 Art. 14 ¶2, rules.md §5.1) ----------------------------------------

PUBLICATION_DAYS = 20


class Timeliness(StrEnum):
    ON_TIME = "按时公开"
    LATE = "逾期公开"
    OVERDUE = "逾期未公开"
    PENDING = "尚在公开期限内"
    UNKNOWN = "批复日期未录入"


def publication_due(approved_on: dt.date) -> dt.date:
    """Last day to publish: 20 calendar days after 批复 (not working days)."""
    return approved_on + dt.timedelta(days=PUBLICATION_DAYS)


def days_after_approval(approved_on: dt.date, published_on: dt.date) -> int:
    return (published_on - approved_on).days


def is_late(approved_on: dt.date, published_on: dt.date) -> bool:
    """Published more than 20 calendar days after 批复."""
    return days_after_approval(approved_on, published_on) > PUBLICATION_DAYS


def timeliness(approved_on: dt.date | None, published_on: dt.date | None,
               today: dt.date) -> Timeliness:
    """Where a disclosure stands against the 20-day rule on ``today``."""
    if approved_on is None:
        return Timeliness.UNKNOWN
    if published_on is not None:
        return Timeliness.LATE if is_late(approved_on, published_on) else Timeliness.ON_TIME
    return Timeliness.OVERDUE if today > publication_due(approved_on) else Timeliness.PENDING


# --- a whole disclosure --------------------------------------------------------------------


@dataclass
class SangongEntry:
    """One 三公 line as read: this year's and last year's figure and the explanation."""

    item: SangongItem
    amount: Decimal | None
    prior: Decimal | None = None
    explanation: str = ""
    line: int | None = None


@dataclass
class DisclosureData:
    """A department's 预算/决算 as read from a file or content, before it is saved."""

    year: int
    stage: Stage
    approved_on: dt.date | None = None
    published_on: dt.date | None = None
    narrative: str = ""
    tables: dict[int, list[Row]] = field(default_factory=dict)
    sangong: dict[SangongItem, SangongEntry] = field(default_factory=dict)
    #: 政府采购情况, published beside the tables (预算法 Art. 14 ¶3).
    procurement: ProcurementData | None = None

    def figures(self, prior: bool = False) -> SangongFigures:
        return SangongFigures({item: (entry.prior if prior else entry.amount)
                               for item, entry in self.sangong.items()})


def _total_row(rows: Sequence[Row]) -> Row | None:
    return next((row for row in rows if row.is_total), None)


def validate_disclosure(data: DisclosureData) -> list[Problem]:
    """Every problem of a disclosure, each naming its table: the checks of each table, the
    三公 lines of both years, the dates, and 基本支出 agreeing between tables 5 and 6."""
    problems: list[Problem] = []
    if data.approved_on and data.published_on and data.published_on < data.approved_on:
        problems.append(Problem("发布日期早于批复日期"))
    for number, rows in sorted(data.tables.items()):
        spec = SPECS_BY_NUMBER[number]
        title = spec.title(data.stage)
        problems.extend(Problem(p.message, p.line, title) for p in check_rows(spec, rows))
    sangong_title = SPECS_BY_NUMBER[7].title(data.stage)
    for entry in data.sangong.values():
        for label, amount in (("本年", entry.amount), ("上年", entry.prior)):
            if amount is not None and amount < 0:
                problems.append(Problem(f"{entry.item}（{label}）为负数（{amount}），不能为负",
                                        entry.line, sangong_title))
    if data.procurement is not None:
        problems.extend(Problem(p.message, p.line, PROCUREMENT_TITLES[data.stage])
                        for p in check_procurement(data.procurement))
    spending, basic = data.tables.get(5), data.tables.get(6)
    if spending and basic and not problems:
        spending_total, basic_total = _total_row(spending), _total_row(basic)
        if spending_total is not None and basic_total is not None:
            left = spending_total.amounts[1] or ZERO
            right = basic_total.amounts[0] or ZERO
            if left != right:
                problems.append(Problem(
                    f"{SPECS_BY_NUMBER[5].title(data.stage)}的基本支出合计{format_amount(left)}与"
                    f"{SPECS_BY_NUMBER[6].title(data.stage)}的合计{format_amount(right)}不一致",
                    basic_total.line, SPECS_BY_NUMBER[6].title(data.stage)))
    return problems


def narrative_mismatches(data: DisclosureData) -> list[str]:
    """三公 explanations whose figures disagree with the table, as “项目：问题”."""
    mismatches: list[str] = []
    for item, entry in data.sangong.items():
        change = year_on_year(entry.amount, entry.prior)
        if change is not None and entry.explanation:
            mismatches.extend(f"{item}：{message}"
                              for message in check_narrative(entry.explanation, change))
    return mismatches


def publication_warnings(data: DisclosureData) -> list[str]:
    """What does not stop saving but deserves a second look: a publication date later than
    预算法 Art. 14 allows, and explanations whose figures disagree with the table."""
    warnings = []
    if data.approved_on and data.published_on and is_late(data.approved_on, data.published_on):
        days = days_after_approval(data.approved_on, data.published_on)
        warnings.append(f"发布日期在批复后第{days}天，超过《预算法》第十四条规定的二十日，"
                        "将在公开情况中标为“逾期公开”。")
    return warnings + narrative_mismatches(data)
