"""Tables as shown, downloaded and indexed: one :class:`TableData` shape for the HTML page,
the CSV/XLSX/JSON downloads and the Markdown body of the catalog document."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from opengov.site.fiscal.models import FiscalDisclosure, SangongReference
from opengov.site.fiscal.rules.disclosures import (
    PROCUREMENT_CATEGORIES,
    PROCUREMENT_TITLES,
    SANGONG_LEAVES,
    SPECS_BY_NUMBER,
    TOTAL_LABEL,
    VEHICLE_LABEL,
    ProcurementData,
    ProcurementItem,
    SangongFigures,
    SangongItem,
    TableKind,
    format_amount,
    to_wan,
    year_on_year,
)
from opengov.site.fiscal.rules.references import chinese_note, source_label

Cell = str | int | Decimal | None


@dataclass
class TableData:
    """A titled table: text, integer (years) and Decimal cells; ``levels`` indent rows
    (0 total or named row, 1 类, 2 款, 3 项)."""

    title: str
    columns: list[str]
    rows: list[list[Cell]]
    filename: str
    unit: str = "万元"
    notes: list[str] = field(default_factory=list)
    levels: list[int] = field(default_factory=list)
    #: The column that names each row (a row header for screen readers).
    row_header: int = 0
    #: The column of the table's own figure when others stand beside it for comparison
    #: (what a chart of the table draws).
    figure_column: int | None = None

    def level(self, index: int) -> int:
        return self.levels[index] if index < len(self.levels) else 0


def _file_base(disclosure: FiscalDisclosure) -> str:
    return f"{disclosure.agency.code}-{disclosure.year}-{disclosure.stage.slug}"


def disclosure_tables(disclosure: FiscalDisclosure) -> list[tuple[int, TableData]]:
    """Every table of a disclosure in number order, table 7 built from the 三公 lines."""
    numbers = sorted({table.number for table in disclosure.tables}
                     | ({7} if disclosure.sangong_lines else set()))
    result = []
    for number in numbers:
        table = disclosure_table(disclosure, number)
        if table is not None:
            result.append((number, table))
    return result


def disclosure_table(disclosure: FiscalDisclosure, number: int) -> TableData | None:
    spec = SPECS_BY_NUMBER.get(number)
    if spec is None:
        return None
    if spec.kind is TableKind.SANGONG:
        return sangong_table(disclosure) if disclosure.sangong_lines else None
    stored = disclosure.table(number)
    if stored is None:
        return None
    title = f"{disclosure.agency.name}{disclosure.year}年{stored.title}"
    filename = f"{_file_base(disclosure)}-table{number}"
    if spec.kind is TableKind.OVERVIEW:
        return TableData(title, ["收支", "项目", *stored.columns],
                         [[row.side, row.name, *row.amounts] for row in stored.rows],
                         filename, levels=[0 for _ in stored.rows], row_header=1)
    return TableData(title, ["科目编码", "科目名称", *stored.columns],
                     [[row.code, row.name, *row.amounts] for row in stored.rows],
                     filename, levels=[row.level for row in stored.rows], row_header=1)


def sangong_table(disclosure: FiscalDisclosure) -> TableData:
    """三公经费 with last year, the change in 万元 and %, and the explanation; 合计 and the
    vehicle subtotal are computed from the four leaf lines (rules.md §5.7)."""
    lines = {line.item: line for line in disclosure.sangong_lines}
    current = SangongFigures({item: line.amount for item, line in lines.items()})
    prior = SangongFigures({item: line.prior_amount for item, line in lines.items()})

    def row(label: str, now: Decimal | None, before: Decimal | None,
            explanation: str = "") -> list[Cell]:
        change = year_on_year(now, before)
        return [label, now, before, change.delta if change else None,
                change.percent if change else None, explanation]

    def explained(item: SangongItem) -> str:
        line = lines.get(item)
        return line.explanation if line else ""

    rows = [row(TOTAL_LABEL, current.total, prior.total),
            row(f"1.{SangongItem.OUTBOUND}", current.get(SangongItem.OUTBOUND),
                prior.get(SangongItem.OUTBOUND), explained(SangongItem.OUTBOUND)),
            row(f"2.{VEHICLE_LABEL}", current.vehicle, prior.vehicle),
            row(f"其中：{SangongItem.VEHICLE_PURCHASE}", current.get(SangongItem.VEHICLE_PURCHASE),
                prior.get(SangongItem.VEHICLE_PURCHASE), explained(SangongItem.VEHICLE_PURCHASE)),
            row(f"　　　{SangongItem.VEHICLE_OPERATION}",
                current.get(SangongItem.VEHICLE_OPERATION),
                prior.get(SangongItem.VEHICLE_OPERATION),
                explained(SangongItem.VEHICLE_OPERATION)),
            row(f"3.{SangongItem.RECEPTION}", current.get(SangongItem.RECEPTION),
                prior.get(SangongItem.RECEPTION), explained(SangongItem.RECEPTION))]
    levels = [0, 1, 1, 2, 2, 1]
    for item in (SangongItem.OPERATING_COST, SangongItem.MEETING, SangongItem.TRAINING):
        if item in lines:
            rows.append(row(str(item), lines[item].amount, lines[item].prior_amount,
                            lines[item].explanation))
            levels.append(0)
    spec = SPECS_BY_NUMBER[7]
    return TableData(
        f"{disclosure.agency.name}{disclosure.year}年{spec.title(disclosure.stage)}",
        ["项目", f"{disclosure.year}年", f"{disclosure.year - 1}年", "增减额", "增减率（%）",
         "说明"],
        rows, f"{_file_base(disclosure)}-table7", levels=levels,
        notes=["“三公”经费合计及公务用车购置及运行（维护）费由各分项计算。"])


def procurement_figures(disclosure: FiscalDisclosure) -> ProcurementData | None:
    """The disclosure's 政府采购 as the rules compute with it."""
    stored = disclosure.procurement
    if stored is None:
        return None
    return ProcurementData(stored.amounts(), stored.explanation)


def procurement_table(disclosure: FiscalDisclosure) -> TableData | None:
    """政府采购预算表 / 政府采购情况表: 合计 (computed), 货物, 工程, 服务 and, for a 决算, the
    contracts awarded to 中小企业 and 小微企业 with their shares; None without figures."""
    figures = procurement_figures(disclosure)
    if figures is None:
        return None
    rows: list[list[Cell]] = [["政府采购合计", figures.total, None]]
    levels = [0]
    for item in PROCUREMENT_CATEGORIES:
        rows.append([str(item), figures.get(item), None])
        levels.append(2)
    if figures.get(ProcurementItem.SME) is not None:
        rows.append([str(ProcurementItem.SME), figures.get(ProcurementItem.SME),
                     figures.sme_share])
        levels.append(0)
    if figures.get(ProcurementItem.SMALL_MICRO) is not None:
        rows.append([str(ProcurementItem.SMALL_MICRO), figures.get(ProcurementItem.SMALL_MICRO),
                     figures.small_micro_share])
        levels.append(2)
    notes = ["政府采购合计由货物、工程、服务计算；授予中小企业合同金额的占比以政府采购合计为基数，"
             "授予小微企业合同金额的占比以授予中小企业合同金额为基数。"]
    if figures.explanation:
        notes.append(figures.explanation)
    return TableData(
        f"{disclosure.agency.name}{disclosure.year}年{PROCUREMENT_TITLES[disclosure.stage]}",
        ["项目", "金额", "占比（%）"], rows, f"{_file_base(disclosure)}-procurement",
        notes=notes, levels=levels)


OPERATIONS_COLUMNS = ["部门", "阶段", str(SangongItem.OPERATING_COST), "政府采购合计",
                      *(str(item) for item in PROCUREMENT_CATEGORIES), str(ProcurementItem.SME),
                      "中小企业占比（%）"]


def operations_table(disclosures: Sequence[FiscalDisclosure], *, title: str,
                     filename: str) -> TableData:
    """Each department's 机关运行经费 and 政府采购 (预算法 Art. 14 ¶2–3), one row per
    disclosure that gives either."""
    rows: list[list[Cell]] = []
    for disclosure in disclosures:
        operating = next((line.amount for line in disclosure.sangong_lines
                          if line.item is SangongItem.OPERATING_COST), None)
        procurement = procurement_figures(disclosure)
        if operating is None and procurement is None:
            continue
        amounts = procurement.amounts if procurement is not None else {}
        rows.append([disclosure.agency.name, f"部门{disclosure.stage}", operating,
                     procurement.total if procurement is not None else None,
                     *(amounts.get(item) for item in PROCUREMENT_CATEGORIES),
                     amounts.get(ProcurementItem.SME),
                     procurement.sme_share if procurement is not None else None])
    notes = ["机关运行经费指行政单位（含参照公务员法管理的事业单位）运行用于购买货物和服务的各项资金；"
             "政府采购合计由货物、工程、服务计算。"]
    if any(disclosure.is_example for disclosure in disclosures):
        notes.insert(0, "示例数据：虚构的示例市各部门数据，仅用于演示，不是真实财政数据。")
    return TableData(title, OPERATIONS_COLUMNS, rows, filename, notes=notes)


COMPARISON_COLUMNS = ["部门", "年度", "阶段", str(SangongItem.OUTBOUND), VEHICLE_LABEL,
                      str(SangongItem.VEHICLE_PURCHASE), str(SangongItem.VEHICLE_OPERATION),
                      str(SangongItem.RECEPTION), "合计", "上年合计", "增减额", "增减率（%）"]


def comparison_table(disclosures: Sequence[FiscalDisclosure], *, example: bool) -> TableData:
    """One row per department, year and stage: the journalist's view across years."""
    rows: list[list[Cell]] = []
    for disclosure in disclosures:
        lines = {line.item: line for line in disclosure.sangong_lines}
        if not any(item in lines for item in SANGONG_LEAVES):
            continue
        now = SangongFigures({item: line.amount for item, line in lines.items()})
        before = SangongFigures({item: line.prior_amount for item, line in lines.items()})
        change = year_on_year(now.total, before.total)
        rows.append([disclosure.agency.name, disclosure.year, str(disclosure.stage),
                     now.get(SangongItem.OUTBOUND), now.vehicle,
                     now.get(SangongItem.VEHICLE_PURCHASE),
                     now.get(SangongItem.VEHICLE_OPERATION), now.get(SangongItem.RECEPTION),
                     now.total, before.total, change.delta if change else None,
                     change.percent if change else None])
    notes = ["示例数据：虚构的示例市各部门数据，仅用于演示，不是真实财政数据。"] if example else []
    return TableData("“三公”经费对比（示例市各部门）", COMPARISON_COLUMNS, rows,
                     "sangong-departments", notes=notes)


REFERENCE_COLUMNS = ["单位", "范围", "年度", "阶段", "计量单位", "合计", str(SangongItem.OUTBOUND),
                     VEHICLE_LABEL, str(SangongItem.VEHICLE_PURCHASE),
                     str(SangongItem.VEHICLE_OPERATION), str(SangongItem.RECEPTION),
                     "合计（折合万元）", "来源类型", "来源网址", "备注"]


def reference_table(references: Sequence[SangongReference]) -> TableData:
    """Real published figures in the unit of their source, with the 万元 equivalent of the
    total so that rows in 元, 万元 and 亿元 can be compared without re-reading the unit."""
    rows: list[list[Cell]] = []
    for ref in references:
        rows.append([ref.entity, ref.scope, ref.year, ref.stage_label, str(ref.unit), ref.total,
                     ref.outbound, ref.vehicle, ref.vehicle_purchase, ref.vehicle_operation,
                     ref.reception, to_wan(ref.total, ref.unit) if ref.total is not None else None,
                     source_label(ref.source_type), ref.source_url, chinese_note(ref.note)])
    return TableData("公开发布的“三公”经费数据（真实数据，按来源单位）", REFERENCE_COLUMNS, rows,
                     "sangong-published-sources", unit="见“计量单位”列",
                     notes=["数据摘自所列来源网页，金额按来源的计量单位（元、万元或亿元）记录；"
                            "空白表示来源未给出该项。"])


# --- Markdown for the catalog document ---------------------------------------------------------


def _md_cell(value: Cell) -> str:
    if isinstance(value, Decimal):
        return format_amount(value)
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def table_markdown(table: TableData) -> str:
    lines = [f"### {table.title}", "", f"单位：{table.unit}", "",
             "| " + " | ".join(_md_cell(column) for column in table.columns) + " |",
             "|" + "---|" * len(table.columns)]
    for row in table.rows:
        lines.append("| " + " | ".join(_md_cell(cell) for cell in row) + " |")
    lines.extend(["", *table.notes])
    return "\n".join(lines).rstrip() + "\n"


def public_path(disclosure: FiscalDisclosure) -> str:
    """The department page of a disclosure (the route ``public.fiscal_disclosure``; a test
    checks the two agree). Built here because the document body is written outside requests."""
    return f"/fiscal/{disclosure.agency.code}/{disclosure.year}/{disclosure.stage.slug}/"


def disclosure_markdown(disclosure: FiscalDisclosure) -> str:
    """The searchable body: the 情况说明 followed by every table, with a link to the page
    where each table downloads as CSV, XLSX and JSON."""
    parts = []
    if disclosure.is_example:
        parts.append("> 示例数据：本页为虚构的演示数据，不是真实财政数据。\n")
    parts.append(f"各报表可在[预决算公开页面]({public_path(disclosure)})下载 CSV、XLSX 和 JSON 格式。\n")
    if disclosure.narrative.strip():
        parts.append(disclosure.narrative.strip() + "\n")
    parts.append("## 公开报表\n")
    parts.extend(table_markdown(table) for _, table in disclosure_tables(disclosure))
    procurement = procurement_table(disclosure)
    if procurement is not None:
        parts.append(table_markdown(procurement))
    return "\n".join(parts)
