"""Read the government's tables from an XLSX workbook (a sheet per table) or a CSV file (one
table), in the layouts finance departments publish, into :class:`ReportData` plus row-level
problems in Chinese. The same reader as the department tables (:mod:`.importing`) finds the
header, the codes (one column, split 类 | 款 | 项, or in the name) and the amounts.

- A sheet is recognised by a title naming the table (“示例市2025年一般公共预算收入表”) or by
  its sheet name; a CSV by its title line, its file name or the table chosen on the form.
- 收入 and 支出 tables publish several figures side by side (上年预算数, 预算数, 调整预算数,
  决算数, 增长%…): the column of the report's stage is read (预算数 for a 预算, 决算数 for a
  决算 …), the others are the comparisons this site computes itself. This site's own
  downloads read back the same way.
- 总表, 转移支付 and 债务 tables are read by their column names, or by position when their
  headers differ but their number of columns is right.

Nothing is saved here: the staff preview shows the result and the problems first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from opengov.site.fiscal.rules.disclosures import Problem, Row, Unit, detect_unit, fold
from opengov.site.fiscal.rules.government import (
    SPECS_BY_SLUG,
    ReportData,
    ReportStage,
    TableSpec,
    match_table,
    report_warnings,
    validate_report,
)
from opengov.site.fiscal.service.importing import (
    Sheet,
    SheetReader,
    cell_text,
    find_header,
    read_grids,
)

#: Header words of the tables other than 科目 tables.
_HEADER_WORDS = ("地区", "类别", "预算", "名称", "项目名称", "预算科目", "债务类别")
#: Columns each stage's figure may be published under, best first.
_STAGE_COLUMNS = {
    ReportStage.BUDGET: ("预算数", "本年预算数", "预算"),
    ReportStage.ADJUSTMENT: ("调整预算数", "调整后预算数", "调整后预算", "调整后"),
    ReportStage.EXECUTION: ("执行数", "预计执行数", "完成数"),
    ReportStage.FINAL: ("决算数", "决算"),
}
#: Words that mark a figure of another report (last year's, the budget before adjustment).
_OTHER_FIGURES = ("上年", "年初", "调整前", "比上年", "增减", "增长", "%", "％")


@dataclass
class ReportImport:
    data: ReportData
    problems: list[Problem] = field(default_factory=list)
    #: Which sheet became which table, for the preview.
    found: list[str] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return report_warnings(self.data) if not self.problems else []


def read_report(filename: str, content: bytes, base: ReportData,
                table_slug: str | None = None) -> ReportImport:
    """Parse a file into ``base`` (year, stage, dates and 说明 already set); ``table_slug``
    names the table of a single-table file whose title does not say it."""
    result = ReportImport(base)
    try:
        sheets = read_grids(filename, content)
    except ValueError as exc:
        result.problems.append(Problem(str(exc)))
        return result
    for sheet in sheets:
        if any(cell_text(cell) for row in sheet.grid for cell in row):
            _read_sheet(sheet, result, table_slug if len(sheets) == 1 else None)
    if not result.data.tables and not result.problems:
        result.problems.append(Problem("文件中没有识别出任何报表"))
    if not result.problems:
        result.problems.extend(validate_report(result.data))
    return result


def _read_sheet(sheet: Sheet, result: ReportImport, table_slug: str | None) -> None:
    header_at = find_header(sheet.grid, _HEADER_WORDS)
    preamble = " ".join(cell_text(cell) for row in sheet.grid[:header_at or 0] for cell in row)
    spec = match_table(preamble) or match_table(sheet.name)
    if spec is None and table_slug is not None:
        spec = SPECS_BY_SLUG.get(table_slug)
    if spec is None:
        result.problems.append(Problem(
            f"无法识别工作表“{sheet.name}”是哪张表：请在表头写明表名（如“一般公共预算收入表”）"
            "或以表名命名工作表"))
        return
    if spec.slug in result.data.tables:
        result.problems.append(Problem(f"工作表“{sheet.name}”与前面的工作表是同一张表",
                                       table=spec.title))
        return
    if header_at is None:
        result.problems.append(Problem("找不到表头行（应含“科目编码”“科目名称”“项目”或“地区”等列名）",
                                       table=spec.title))
        return
    unit = detect_unit(preamble) or Unit.WAN
    reader = SheetReader(sheet.grid, header_at, unit, spec.title)
    rows = (_coded(reader, spec, result.data) if spec.coded
            else _named(reader, spec, result.data.stage))
    if not reader.problems:
        result.data.tables[spec.slug] = rows
    result.problems.extend(reader.problems)
    unit_note = "" if unit is Unit.WAN else f"（原单位{unit}，已换算为万元）"
    result.found.append(f"工作表“{sheet.name}” → {spec.title}{unit_note}")


def stage_column(header: list[str], first: int, stage: ReportStage,
                 year: int) -> int | str | None:
    """The column holding the stage's figure among ``header[first:]``: a column index, None
    when there is none, or a message when several qualify."""
    columns = [(index, label) for index, label in enumerate(header) if index >= first and label]
    if len(columns) == 1:
        return columns[0][0]
    names = _STAGE_COLUMNS[stage]
    candidates = [(index, label) for index, label in columns
                  if any(name in label for name in names)
                  and not any(word in label for word in _OTHER_FIGURES)
                  and f"{year - 1}年" not in label]
    if not candidates:
        return None
    exact = [(index, label) for index, label in candidates
             if label in names or label == f"{year}年{names[0]}"]
    if len(exact) == 1:
        return exact[0][0]
    if len(candidates) == 1:
        return candidates[0][0]
    return f"有多列可作为“{stage.amount_label}”（{'、'.join(label for _, label in candidates)}），无法确定"


def _coded(reader: SheetReader, spec: TableSpec, data: ReportData) -> list[Row]:
    layout = reader.coded_layout()
    column = stage_column(reader.header, layout.name_col + 1, data.stage, data.year)
    if column is None:
        reader.problem(f"找不到“{data.stage.amount_label}”列：{data.stage}报表应有一列"
                       f"{'、'.join(_STAGE_COLUMNS[data.stage][:2])}", reader.header_at + 1)
        return []
    if isinstance(column, str):
        reader.problem(column, reader.header_at + 1)
        return []
    return reader.coded_rows(layout, [column])


def _named(reader: SheetReader, spec: TableSpec, stage: ReportStage) -> list[Row]:
    header = reader.header
    name_col = next((index for index, label in enumerate(header) if label), 0)
    wanted = spec.amount_columns(stage)
    found: list[int] = []
    for column in wanted:
        target = fold(column).removeprefix("其中：")
        index = next((index for index, label in enumerate(header)
                      if index > name_col and index not in found
                      and (label == fold(column) or target in label)), None)
        if index is None:
            break
        found.append(index)
    if len(found) != len(wanted):
        # Headers worded otherwise: by position, when the count is right.
        found = [index for index, label in enumerate(header) if index > name_col and label]
    if len(found) != len(wanted):
        reader.problem(f"应有{len(wanted)}个金额列（{'、'.join(wanted)}），表头有"
                       f"{len(found)}个", reader.header_at + 1)
        return []
    rows = []
    for line, cells in reader.body():
        cells = cells + [None] * (max(found) + 1 - len(cells))
        name = cell_text(cells[name_col])
        raw = [cells[index] for index in found]
        if all(not cell_text(value) for value in raw):
            continue  # an empty line, a caption or a note below the table
        amounts: tuple[Decimal | None, ...] = tuple(reader.amount(value, line) for value in raw)
        rows.append(Row(name=name, amounts=amounts, line=line))
    return rows

