"""Read the standard tables from an XLSX workbook or a CSV file in the layouts departments
publish, into :class:`DisclosureData` plus row-level problems in Chinese.

Layouts understood:

- a title line naming the table (“…2025年一般公共预算支出表”) or a sheet named after it, an
  optional ``单位：万元`` line, then a header row;
- 科目 tables with one 科目编码 column, with split 类 | 款 | 项 columns, or with the code at
  the start of the name (“2010601 行政运行”); a 合计 row anywhere;
- 收支总表 side by side (收入项目 | 金额 | 支出项目 | 金额) or one row per line (收支 | 项目 | 金额,
  the layout of this site's own downloads);
- the 三公 table wide (items as columns, rows 本年/上年, one or two header rows) or long
  (items as rows, columns 本年 | 上年 | 说明);
- the 政府采购预算表 / 政府采购情况表 long (项目 | 金额 | 说明: 货物, 工程, 服务, 合计, 授予中小企业
  合同金额, 其中授予小微企业).

Nothing is saved here: the staff preview shows the result and the problems first.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath

from opengov.site.fiscal.rules.disclosures import (
    PROCUREMENT_TITLES,
    SPECS_BY_NUMBER,
    AmountError,
    DisclosureData,
    Problem,
    ProcurementData,
    ProcurementItem,
    Row,
    SangongEntry,
    SangongFigures,
    SangongItem,
    TableKind,
    TableSpec,
    Unit,
    check_procurement,
    check_sangong,
    detect_unit,
    fold,
    join_code,
    match_procurement_label,
    match_procurement_title,
    match_sangong_label,
    match_spec,
    normalise_code,
    parse_amount,
    to_wan,
    validate_disclosure,
)

Grid = list[list[object]]
#: How far down a sheet the header row is looked for.
HEADER_SEARCH_ROWS = 12
ACCEPTED_SUFFIXES = (".xlsx", ".csv")


@dataclass
class ImportResult:
    data: DisclosureData
    problems: list[Problem] = field(default_factory=list)
    #: Which sheet became which table, for the preview.
    found: list[str] = field(default_factory=list)


@dataclass
class Sheet:
    name: str
    grid: Grid


def cell_text(value: object) -> str:
    return "" if value is None else str(value).strip()


def read_grids(filename: str, content: bytes) -> list[Sheet]:
    """The cells of every sheet of an XLSX, or of a CSV (UTF-8, with or without BOM, or
    GB18030 as saved by Excel on Chinese Windows; comma or tab separated)."""
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".xlsx":
        # Loaded on first use: fpdf, openpyxl and pypdf (≈80 MB) stay out of the web workers
        # that never build a file (tests/architecture/test_worker_memory.py).
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise ValueError("无法读取该 XLSX 文件，请确认是 Excel 2007 及以上格式（.xlsx）") from exc
        sheets = [Sheet(sheet.title, [list(row) for row in sheet.iter_rows(values_only=True)])
                  for sheet in workbook.worksheets]
        workbook.close()
        return sheets
    if suffix == ".csv":
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:  # pragma: no cover - gb18030 decodes any byte string
            raise ValueError("无法识别 CSV 文件的编码")
        sample = text[:4096]
        delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
        grid: Grid = [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
        return [Sheet(PurePath(filename).stem, grid)]
    raise ValueError("只接受 .xlsx 或 .csv 文件")


def read_disclosure(filename: str, content: bytes, base: DisclosureData,
                    table_number: int | None = None) -> ImportResult:
    """Parse a file into ``base`` (year, stage, dates and narrative already set).

    ``table_number`` names the table of a single-table file whose title does not say it.
    """
    result = ImportResult(base)
    try:
        sheets = read_grids(filename, content)
    except ValueError as exc:
        result.problems.append(Problem(str(exc)))
        return result
    for sheet in sheets:
        if not any(cell_text(cell) for row in sheet.grid for cell in row):
            continue
        _read_sheet(sheet, result, table_number if len(sheets) == 1 else None)
    if not (result.data.tables or result.data.sangong or result.data.procurement
            or result.problems):
        result.problems.append(Problem("文件中没有识别出任何报表"))
    if not result.problems:
        result.problems.extend(validate_disclosure(result.data))
    return result


def _read_sheet(sheet: Sheet, result: ImportResult, table_number: int | None) -> None:
    header_at = find_header(sheet.grid)
    preamble = " ".join(cell_text(cell) for row in sheet.grid[:header_at or 0] for cell in row)
    spec = match_spec(preamble) or match_spec(sheet.name)
    if spec is None and table_number is not None:
        spec = SPECS_BY_NUMBER.get(table_number)
    if spec is None and (match_procurement_title(preamble) or match_procurement_title(sheet.name)):
        _read_procurement(sheet, header_at, preamble, result)
        return
    if spec is None:
        result.problems.append(Problem(
            f"无法识别工作表“{sheet.name}”是哪张表：请在表头写明表名（如“一般公共预算支出表”）"
            "或以表名命名工作表"))
        return
    title = spec.title(result.data.stage)
    if spec.number in result.data.tables or (spec.kind is TableKind.SANGONG
                                             and result.data.sangong):
        result.problems.append(Problem(f"工作表“{sheet.name}”与前面的工作表是同一张表", table=title))
        return
    if header_at is None:
        result.problems.append(Problem("找不到表头行（应含“科目编码”“科目名称”或“项目”等列名）",
                                       table=title))
        return
    unit = detect_unit(preamble) or Unit.WAN
    reader = SheetReader(sheet.grid, header_at, unit, title)
    if spec.kind is TableKind.SANGONG:
        entries = reader.sangong()
        if not reader.problems:
            result.data.sangong = entries
    else:
        rows = reader.overview() if spec.kind is TableKind.OVERVIEW else reader.coded(spec)
        if not reader.problems:
            result.data.tables[spec.number] = rows
    result.problems.extend(reader.problems)
    unit_note = "" if unit is Unit.WAN else f"（原单位{unit}，已换算为万元）"
    result.found.append(f"工作表“{sheet.name}” → 表{spec.number} {title}{unit_note}")


def _read_procurement(sheet: Sheet, header_at: int | None, preamble: str,
                      result: ImportResult) -> None:
    title = PROCUREMENT_TITLES[result.data.stage]
    if result.data.procurement is not None:
        result.problems.append(Problem(f"工作表“{sheet.name}”与前面的工作表是同一张表", table=title))
        return
    if header_at is None:
        result.problems.append(Problem("找不到表头行（应为“项目、金额”）", table=title))
        return
    unit = detect_unit(preamble) or Unit.WAN
    reader = SheetReader(sheet.grid, header_at, unit, title)
    procurement = reader.procurement()
    if not reader.problems:
        result.data.procurement = procurement
    result.problems.extend(reader.problems)
    result.found.append(f"工作表“{sheet.name}” → {title}")


_HEADER_WORDS = ("科目编码", "编码", "科目名称", "项目", "收入", "支出", "类", "因公出国")


def find_header(grid: Grid, extra: tuple[str, ...] = ()) -> int | None:
    """The index of the header row: the first of the top rows naming a column such as
    科目编码, 科目名称 or 项目 (or one of ``extra``)."""
    words = (*_HEADER_WORDS, *extra)
    for index, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        cells = [fold(cell_text(cell)) for cell in row]
        if any(cell in words or cell.startswith(("科目编码", "功能分类科目", "经济分类科目"))
               or "因公出国" in cell or cell.endswith("项目") for cell in cells):
            return index
    return None


_CODE_IN_NAME = re.compile(r"^(\d{3}(?:\d{2}){0,2})\s+(.+)$")


def split_columns(cells: list[str]) -> list[int]:
    """Positions of separate 类 | 款 (| 项) code columns, or [] when the code is one column."""
    found = [cells.index(word) for word in ("类", "款", "项") if word in cells]
    return found if len(found) >= 2 else []


@dataclass(frozen=True)
class CodedLayout:
    split: list[int]
    code_col: int | None
    name_col: int
    body_start: int


class SplitCodes:
    """Codes from 类 | 款 | 项 columns. Many tables write the 类 only on its own row and the
    款 only on its row, leaving them blank below: those are carried down."""

    def __init__(self) -> None:
        self.class_part = ""
        self.section_part = ""

    def read(self, cells: list[object]) -> str:
        parts = [normalise_code(cell) for cell in cells] + [""]
        class_part, section_part, item_part = parts[0], parts[1], parts[2]
        if not (class_part + section_part + item_part).isdigit():
            return join_code(class_part, section_part, item_part)
        if not class_part:
            class_part = self.class_part
        if not section_part and item_part:
            section_part = self.section_part
        code = join_code(class_part, section_part, item_part)
        self.class_part = code[:3]
        self.section_part = code[3:5]
        return code


class SheetReader:
    """Reads rows below a header; collects problems with spreadsheet line numbers."""

    def __init__(self, grid: Grid, header_at: int, unit: Unit, title: str) -> None:
        self.grid = grid
        self.header_at = header_at
        self.header = [fold(cell_text(cell)) for cell in grid[header_at]]
        self.unit = unit
        self.title = title
        self.problems: list[Problem] = []

    def problem(self, message: str, line: int | None) -> None:
        self.problems.append(Problem(message, line, self.title))

    def body(self, start: int | None = None) -> Iterable[tuple[int, list[object]]]:
        for index in range((start if start is not None else self.header_at + 1), len(self.grid)):
            row = self.grid[index]
            if any(cell_text(cell) for cell in row):
                yield index + 1, row

    def amount(self, raw: object, line: int) -> Decimal | None:
        try:
            value = parse_amount(raw)
        except AmountError as exc:
            self.problem(str(exc), line)
            return None
        if value is None or self.unit is Unit.WAN:
            return value
        converted = to_wan(value, self.unit)
        if converted != value * self.unit.factor:
            self.problem(f"金额{value}{self.unit}换算为万元会损失精度，请以万元为单位、保留两位小数上传",
                         line)
        return converted

    # --- 科目 tables -------------------------------------------------------------------------

    def coded(self, spec: TableSpec) -> list[Row]:
        layout = self.coded_layout()
        width = len(spec.columns)
        header = self.header
        first_amount = layout.name_col + 1
        amount_cols = [i for i in range(first_amount, len(header))
                       if header[i] or i < first_amount + width][:width]
        if len(amount_cols) != width:
            self.problem(f"应有{width}个金额列（{'、'.join(spec.columns)}），表头只有"
                         f"{len(amount_cols)}个", self.header_at + 1)
            return []
        return self.coded_rows(layout, amount_cols)

    def coded_layout(self) -> CodedLayout:
        """Where a 科目 table keeps its code (one column, split 类 | 款 | 项 columns, or in
        the name) and its name, and where its rows begin."""
        header = self.header
        body_start = self.header_at + 1
        split = split_columns(header)
        if not split and body_start < len(self.grid):
            # 科目编码 merged over a second header line 类 | 款 | 项.
            split = split_columns([fold(cell_text(cell)) for cell in self.grid[body_start]])
            if split:
                body_start += 1
        code_col = next((i for i, cell in enumerate(header)
                         if cell.startswith(("科目编码", "功能分类科目编码", "经济分类科目编码"))
                         or cell in {"编码", "科目代码"}), None)
        name_col = next((i for i, cell in enumerate(header)
                         if cell in {"科目名称", "项目", "名称"} or cell.endswith("科目名称")),
                        None)
        if name_col is None:
            # The common merged header "功能分类科目" over 编码 and 名称 leaves one label.
            name_col = (code_col + 1) if code_col is not None else (max(split) + 1 if split else 0)
        return CodedLayout(split, code_col, name_col, body_start)

    def coded_rows(self, layout: CodedLayout, amount_cols: list[int]) -> list[Row]:
        """The rows of a 科目 table with the amounts of ``amount_cols``."""
        header, split, code_col, name_col = (self.header, layout.split, layout.code_col,
                                             layout.name_col)
        rows: list[Row] = []
        codes = SplitCodes()
        for line, cells in self.body(layout.body_start):
            cells = cells + [None] * (max(len(header), name_col + 1) - len(cells))
            if split:
                code_text = " ".join(cell_text(cells[i]) for i in split).strip()
                code = codes.read([cells[i] for i in split])
            else:
                code_text = cell_text(cells[code_col]) if code_col is not None else ""
                code = normalise_code(cells[code_col]) if code_col is not None else ""
            name = cell_text(cells[name_col])
            raw = [cells[i] if i < len(cells) else None for i in amount_cols]
            if not code.isdigit():
                # 合计 is often written in the code column.
                if "合计" in code_text or "总计" in code_text:
                    name, code = fold(code_text), ""
                elif not code_text and (match := _CODE_IN_NAME.match(name)):
                    code, name = match.group(1), match.group(2).strip()
                elif code_text and not name and all(not cell_text(value) for value in raw):
                    continue  # a note below the table (this site's downloads end with them)
                elif code_text:
                    self.problem(f"科目编码“{code_text}”不是数字", line)
                    continue
            if not name and not code:
                continue
            if not code and not ("合计" in name or "总计" in name) and all(
                    not cell_text(value) for value in raw):
                continue  # a caption or sub-header line without figures
            rows.append(Row(name=name, code=code, line=line,
                            amounts=tuple(self.amount(value, line) for value in raw)))
        return rows

    # --- 收支总表 ----------------------------------------------------------------------------

    def overview(self) -> list[Row]:
        header = self.header
        if "收支" in header:
            side_col = header.index("收支")
            name_col, amount_col = side_col + 1, side_col + 2
            rows = []
            for line, cells in self.body():
                cells = cells + [None] * (amount_col + 1 - len(cells))
                side = cell_text(cells[side_col])
                if side not in {"收入", "支出"}:
                    self.problem(f"“收支”列应为“收入”或“支出”，实为“{side}”", line)
                    continue
                rows.append(Row(name=cell_text(cells[name_col]), side=side, line=line,
                                amounts=(self.amount(cells[amount_col], line),)))
            return rows
        name_cols = [i for i, cell in enumerate(header)
                     if cell in {"收入", "支出", "项目"} or cell.endswith("项目")]
        if len(name_cols) != 2:
            self.problem("收支总表应为“收入项目、金额、支出项目、金额”并列，或“收支、项目、金额”三列",
                         self.header_at + 1)
            return []
        income: list[Row] = []
        spending: list[Row] = []
        for line, cells in self.body():
            cells = cells + [None] * (name_cols[1] + 2 - len(cells))
            for side, column, target in (("收入", name_cols[0], income),
                                         ("支出", name_cols[1], spending)):
                name = cell_text(cells[column])
                # Skip a second header line (项目 | 预算数) and unit captions.
                if name and fold(name) not in {"项目", "收入项目", "支出项目"} \
                        and not name.startswith("单位"):
                    target.append(Row(name=name, side=side, line=line,
                                      amounts=(self.amount(cells[column + 1], line),)))
        return income + spending

    # --- 三公 --------------------------------------------------------------------------------

    def sangong(self) -> dict[SangongItem, SangongEntry]:
        labels = [match_sangong_label(cell_text(cell)) for cell in self.grid[self.header_at]]
        if sum(label is not None for label in labels) >= 2:
            return self._sangong_wide()
        return self._sangong_long()

    def _sangong_wide(self) -> dict[SangongItem, SangongEntry]:
        first = self.grid[self.header_at]
        second = self.grid[self.header_at + 1] if self.header_at + 1 < len(self.grid) else []
        columns: dict[int, SangongItem | str] = {}
        second_used = False
        for index in range(max(len(first), len(second))):
            below = match_sangong_label(cell_text(second[index])) if index < len(second) else None
            above = match_sangong_label(cell_text(first[index])) if index < len(first) else None
            if below is not None:
                columns[index] = below
                second_used = True
            elif above is not None:
                columns[index] = above
        start = self.header_at + (2 if second_used else 1)
        current: dict[SangongItem | str, Decimal | None] = {}
        prior: dict[SangongItem | str, Decimal | None] = {}
        current_line = prior_line = None
        for line, cells in self.body(start):
            label = " ".join(cell_text(cells[i]) for i in range(len(cells)) if i not in columns)
            values = {key: self.amount(cells[i] if i < len(cells) else None, line)
                      for i, key in columns.items()}
            if "上年" in label:
                prior, prior_line = values, line
            elif current_line is None:
                current, current_line = values, line
        if current_line is None:
            self.problem("三公经费表没有数据行", self.header_at + 1)
            return {}
        entries = {item: SangongEntry(item, current.get(item), prior.get(item), line=current_line)
                   for item in SangongItem if item in current or item in prior}
        self._check(current, current_line)
        if prior_line is not None:
            self._check(prior, prior_line)
        return entries

    def _sangong_long(self) -> dict[SangongItem, SangongEntry]:
        header = self.header
        prior_col = next((i for i, cell in enumerate(header) if "上年" in cell), None)
        note_col = next((i for i, cell in enumerate(header)
                         if "说明" in cell or "原因" in cell), None)
        current_col = next((i for i, cell in enumerate(header)
                            if i > 0 and i not in {prior_col, note_col} and cell), None)
        if current_col is None:
            self.problem("三公经费表缺少本年金额列", self.header_at + 1)
            return {}
        current: dict[SangongItem | str, Decimal | None] = {}
        prior: dict[SangongItem | str, Decimal | None] = {}
        entries: dict[SangongItem, SangongEntry] = {}
        lines: dict[SangongItem | str, int] = {}
        for line, cells in self.body():
            cells = cells + [None] * (len(header) - len(cells))
            label = cell_text(cells[0])
            key = match_sangong_label(label)
            if key is None:
                self.problem(f"无法识别的三公经费项目“{label}”", line)
                continue
            lines[key] = line
            current[key] = self.amount(cells[current_col], line)
            prior[key] = self.amount(cells[prior_col], line) if prior_col is not None else None
            if isinstance(key, SangongItem):
                entries[key] = SangongEntry(key, current[key], prior[key],
                                            cell_text(cells[note_col]) if note_col is not None else "",
                                            line)
        total_line = lines.get("total") or lines.get("vehicle")
        self._check(current, total_line)
        if prior_col is not None:
            self._check(prior, total_line)
        return entries

    # --- 政府采购 ----------------------------------------------------------------------------

    def procurement(self) -> ProcurementData:
        header = self.header
        note_col = next((i for i, cell in enumerate(header) if "说明" in cell), None)
        amount_col = next((i for i, cell in enumerate(header)
                           if i > 0 and i != note_col and cell and "占比" not in cell), 1)
        data = ProcurementData(line=self.header_at + 1)
        declared: Decimal | None = None
        notes: list[str] = []
        for line, cells in self.body():
            cells = cells + [None] * (len(header) - len(cells))
            label = cell_text(cells[0])
            key = match_procurement_label(label)
            if key is None:
                self.problem(f"无法识别的政府采购项目“{label}”（应为货物、工程、服务、合计、"
                             "授予中小企业合同金额或其中授予小微企业合同金额）", line)
                continue
            amount = self.amount(cells[amount_col] if amount_col < len(cells) else None, line)
            if note_col is not None and cell_text(cells[note_col]):
                notes.append(cell_text(cells[note_col]))
            if isinstance(key, ProcurementItem):
                data.amounts[key] = amount
            else:
                declared, data.line = amount, line
        data.explanation = "\n".join(notes)
        for problem in check_procurement(data, declared_total=declared):
            self.problems.append(Problem(problem.message, problem.line, self.title))
        return data

    def _check(self, values: dict[SangongItem | str, Decimal | None], line: int | None) -> None:
        figures = SangongFigures({key: value for key, value in values.items()
                                  if isinstance(key, SangongItem)})
        for problem in check_sangong(figures, declared_total=values.get("total"),
                                     declared_vehicle=values.get("vehicle"), line=line):
            self.problems.append(Problem(problem.message, problem.line, self.title))
