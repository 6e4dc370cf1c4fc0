"""The spreadsheet layout of 政务服务事项 as provinces publish it: one sheet of items (one row
each), one sheet of 申请材料 (one row per material, joined to its item by 事项编码).

:func:`read_workbook` turns the cells of such a workbook into guides, or into problems that
name the sheet, the row and the column, in Chinese. It reads every row before it answers, so
an import either takes the whole file or nothing. The same column list writes the template
staff download (:data:`ITEM_COLUMNS`, :data:`MATERIAL_COLUMNS`), so the two cannot drift.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from opengov.site.service_items.rules.guide import (
    ORGANISATION_THEMES,
    PERSON_THEMES,
    ItemGuide,
    ItemType,
    Material,
    MaterialForm,
    Medium,
    Necessity,
    OnlineDepth,
    Target,
    check_guide,
    parse_basis,
    parse_steps,
    parse_workdays,
    split_list,
)

Grid = Sequence[Sequence[object]]

ITEMS_SHEET = "事项"
MATERIALS_SHEET = "申请材料"
INSTRUCTIONS_SHEET = "填表说明"
#: Other names provinces give the two sheets.
SHEET_ALIASES: dict[str, tuple[str, ...]] = {
    ITEMS_SHEET: ("事项", "事项目录", "事项清单", "办事指南"),
    MATERIALS_SHEET: ("申请材料", "材料", "材料清单", "申请材料清单"),
}
#: How far down a sheet the header row is looked for (a title line may come first).
HEADER_SEARCH_ROWS = 5
_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_-]{0,59}$")


@dataclass(frozen=True)
class Column:
    """A column of the layout: its header, whether a value is required, and the hint and
    example the template's 填表说明 sheet gives."""

    key: str
    header: str
    required: bool = False
    hint: str = ""
    example: str = ""
    aliases: tuple[str, ...] = ()


def _choices(values: Sequence[str]) -> str:
    return "、".join(values)


ITEM_COLUMNS: tuple[Column, ...] = (
    Column("code", "事项编码", True, "本市事项编码，字母、数字或连字符，全市唯一", "SL-MZ-001"),
    Column("name", "事项名称", True, "不超过200字", "内地居民结婚登记"),
    Column("item_type", "事项类型", True, _choices([t.value for t in ItemType]), "行政确认"),
    Column("agency", "实施主体", True, "本站机关的名称或代码", "示例市民政局"),
    Column("handling_unit", "承办机构", False, "机关内具体承办的科室或机构", "婚姻登记处"),
    Column("targets", "服务对象", True, "自然人、法人，可填多个，以“、”分隔", "自然人"),
    Column("themes", "主题分类", False,
           f"个人：{_choices(PERSON_THEMES)}；法人：{_choices(ORGANISATION_THEMES)}。"
           "可填多个，以“、”分隔", "婚姻登记"),
    Column("summary", "事项概述", False, "一两句话说明事项", ""),
    Column("basis", "设定依据", True, "《法律法规名称》条款，多项以“；”分隔",
           "《婚姻登记条例》第四条、第五条"),
    Column("conditions", "受理条件", False, "申请人应当具备的条件", "男女双方自愿结婚……"),
    Column("steps", "办理流程", True, "每行一个步骤，或以“；”分隔，可写“步骤：说明”",
           "申请：双方到婚姻登记处提出申请；受理审查：……；登记发证：……"),
    Column("legal_limit_days", "法定办结时限（工作日）", False,
           "整数个工作日；即办件填0或“即办”；法律法规未规定的留空", "0"),
    Column("promised_limit_days", "承诺办结时限（工作日）", True,
           "整数个工作日，不长于法定时限；即办件填0或“即办”", "0"),
    Column("limit_note", "时限说明", False, "时限的补充说明", ""),
    Column("charged", "是否收费", False, "是 / 否（留空为否）", "否"),
    Column("fee_standard", "收费标准", False, "收费的事项必填", ""),
    Column("fee_basis", "收费依据", False, "收费的事项必填", ""),
    Column("visits", "到办事现场次数", False, "0至10的整数，留空为1", "1"),
    Column("location", "办理地点", False, "需到现场办理的事项必填", "示例市政务服务中心一楼"),
    Column("hours", "办理时间", False, "", "法定工作日 9:00—17:00"),
    Column("phone", "咨询电话", False, "", "0000-12345678"),
    Column("online_url", "网上办理地址", False, "http:// 或 https:// 开头", ""),
    Column("online_depth", "网上办理深度", False, _choices([d.value for d in OnlineDepth]),
           "网上预约"),
    Column("result_name", "办理结果", False, "证照或批文名称", "结婚证"),
    Column("delivery", "送达方式", False, "", "当场发放"),
    Column("consult", "咨询方式", False, "", "窗口咨询、电话咨询"),
    Column("complaint", "监督投诉方式", False, "", "12345政务服务便民热线"),
    Column("aliases", "常用名称", False, "群众常用的叫法，以“、”分隔，用于搜索", "领结婚证、结婚证"),
)
MATERIAL_COLUMNS: tuple[Column, ...] = (
    Column("code", "事项编码", True, "“事项”工作表中的事项编码", "SL-MZ-001"),
    Column("name", "材料名称", True, "", "本人的居民户口簿"),
    Column("copies", "份数", False, "整数，留空为1", "1"),
    Column("form", "材料形式", False, _choices([f.value for f in MaterialForm]), "原件"),
    Column("medium", "材料类型", False, _choices([m.value for m in Medium]), "纸质"),
    Column("source", "来源渠道", False, "如：申请人自备、政府部门核发", "政府部门核发"),
    Column("necessity", "是否必需", False, _choices([n.value for n in Necessity]), "必需"),
    Column("note", "填报须知", False, "", "户口簿应为本人户籍所在地公安机关签发"),
)


@dataclass(frozen=True)
class Problem:
    """Something wrong in the workbook, located for the person who must fix it."""

    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"工作表“{self.sheet}”"
        if self.row is not None:
            where += f"第{self.row}行"
        if self.column:
            where += f"“{self.column}”列"
        return f"{where}：{self.message}"


@dataclass(frozen=True)
class ImportedItem:
    """One item read from the workbook: its code, its agency's code and its guide."""

    code: str
    agency_code: str
    guide: ItemGuide
    row: int


@dataclass
class ReadWorkbook:
    items: list[ImportedItem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.items)


def _fold(text: str) -> str:
    """A header as compared: no spaces or asterisks, half-width brackets."""
    return re.sub(r"[\s*＊]", "", text).replace("（", "(").replace("）", ")")


def cell_text(value: object) -> str:
    """A cell as text: integers without ``.0``, nothing for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _find_sheet(sheets: Mapping[str, Grid], name: str) -> tuple[str, Grid] | None:
    for title, grid in sheets.items():
        if title.strip() in SHEET_ALIASES[name]:
            return title, grid
    return None


class _Sheet:
    """The rows of one sheet below its header, cells looked up by column key."""

    def __init__(self, title: str, grid: Grid, columns: Sequence[Column],
                 problems: list[Problem]) -> None:
        self.title = title
        self.grid = grid
        self.columns = columns
        self.problems = problems
        self.positions: dict[str, int] = {}
        self.header_row = self._read_header()

    def _read_header(self) -> int | None:
        wanted = {_fold(alias): column for column in self.columns
                  for alias in (column.header, *column.aliases)}
        # Brackets may be left out: 法定办结时限 for 法定办结时限（工作日）.
        wanted.update({_fold(column.header).split("(")[0]: column for column in self.columns})
        first = _fold(self.columns[0].header)
        for index, row in enumerate(self.grid[:HEADER_SEARCH_ROWS]):
            cells = [_fold(cell_text(cell)) for cell in row]
            if first not in cells:
                continue
            for position, cell in enumerate(cells):
                if not cell:
                    continue
                column = wanted.get(cell)
                if column is None:
                    self.problems.append(Problem(
                        self.title, index + 1, cell_text(row[position]),
                        "无法识别的列，请使用模板中的列名（可从导入页面下载模板）。"))
                elif column.key in self.positions:
                    self.problems.append(Problem(self.title, index + 1, column.header,
                                                 "该列出现了两次。"))
                else:
                    self.positions[column.key] = position
            for column in self.columns:
                if column.required and column.key not in self.positions:
                    self.problems.append(Problem(self.title, index + 1, column.header,
                                                 "缺少必填列。"))
            return index
        self.problems.append(Problem(
            self.title, None, self.columns[0].header,
            f"找不到表头行：前{HEADER_SEARCH_ROWS}行中应有一行以“{self.columns[0].header}”等列名开头。"))
        return None

    def rows(self) -> list[tuple[int, dict[str, object]]]:
        """(spreadsheet row number, cells by key) of the non-empty rows below the header."""
        if self.header_row is None:
            return []
        found = []
        for index in range(self.header_row + 1, len(self.grid)):
            row = self.grid[index]
            if not any(cell_text(cell) for cell in row):
                continue
            found.append((index + 1, {key: row[position] if position < len(row) else None
                                      for key, position in self.positions.items()}))
        return found

    def header_of(self, key: str) -> str:
        return next(column.header for column in self.columns if column.key == key)


class _RowReader:
    """Reads the cells of one row, noting each bad value as a problem of its column."""

    def __init__(self, sheet: _Sheet, line: int, cells: dict[str, object]) -> None:
        self.sheet = sheet
        self.line = line
        self.cells = cells
        self.failed = False

    def problem(self, key: str, message: str) -> None:
        self.sheet.problems.append(Problem(self.sheet.title, self.line,
                                           self.sheet.header_of(key), message))
        self.failed = True

    def text(self, key: str, required: bool = False) -> str:
        value = cell_text(self.cells.get(key))
        if required and not value:
            self.problem(key, "不能为空。")
        return value

    def choice(self, key: str, kind: type[ItemType] | type[MaterialForm] | type[Medium]
               | type[Necessity] | type[OnlineDepth], default: str) -> str:
        value = self.text(key) or default
        allowed = [member.value for member in kind]
        if value not in allowed:
            self.problem(key, f"“{value}”不是可选值，应为{'、'.join(allowed)}之一。")
            return default
        return value

    def workdays(self, key: str, required: bool) -> int | None:
        raw = self.cells.get(key)
        if cell_text(raw) == "":
            if required:
                self.problem(key, "不能为空：请填写整数个工作日，即办件填 0。")
            return None
        try:
            return parse_workdays(raw)
        except ValueError as exc:
            self.problem(key, str(exc))
            return None

    def integer(self, key: str, default: int, low: int, high: int) -> int:
        raw = cell_text(self.cells.get(key))
        if not raw:
            return default
        if re.fullmatch(r"\d{1,3}(\.0+)?", raw) is None or not low <= int(float(raw)) <= high:
            self.problem(key, f"“{raw}”应为{low}至{high}之间的整数。")
            return default
        return int(float(raw))

    def flag(self, key: str) -> bool:
        value = self.text(key)
        if value in ("", "否", "不收费", "无"):
            return False
        if value in ("是", "收费"):
            return True
        self.problem(key, f"“{value}”应为“是”或“否”。")
        return False


#: Which item column a rule of :func:`check_guide` is about.
_FIELD_COLUMNS = {"basis": "basis", "steps": "steps", "legal_limit_days": "legal_limit_days",
                  "promised_limit_days": "promised_limit_days", "visits": "visits",
                  "fee_standard": "fee_standard", "fee_basis": "fee_basis",
                  "online_url": "online_url", "location": "location", "name": "name",
                  "targets": "targets", "themes": "themes"}


def read_workbook(sheets: Mapping[str, Grid], agencies: Mapping[str, str]) -> ReadWorkbook:
    """Items and their materials from the cells of a workbook (sheet title → rows of cells).

    ``agencies`` maps each accepted way of naming an agency (its code, name, short name) to
    its code; naming any other agency is a problem of the row. Nothing is returned as an item
    unless the whole workbook is free of problems.
    """
    result = ReadWorkbook()
    problems = result.problems
    found_items = _find_sheet(sheets, ITEMS_SHEET)
    found_materials = _find_sheet(sheets, MATERIALS_SHEET)
    for name, found in ((ITEMS_SHEET, found_items), (MATERIALS_SHEET, found_materials)):
        if found is None:
            problems.append(Problem(name, None, None,
                                    f"缺少工作表“{name}”（工作簿中有：{'、'.join(sheets) or '无'}）。"))
    if found_items is None or found_materials is None:
        return result
    item_sheet = _Sheet(*found_items, ITEM_COLUMNS, problems)
    material_sheet = _Sheet(*found_materials, MATERIAL_COLUMNS, problems)
    if item_sheet.header_row is None or material_sheet.header_row is None:
        return result

    materials = _read_materials(material_sheet)
    read: list[tuple[_RowReader, str, str, ItemGuide]] = []
    seen: dict[str, int] = {}
    for line, cells in item_sheet.rows():
        reader = _RowReader(item_sheet, line, cells)
        code = reader.text("code", required=True)
        if code and not _CODE.match(code):
            reader.problem("code", f"“{code}”无效：事项编码只能由字母、数字、“-”和“_”组成，"
                                   "不超过60个字符。")
        elif code in seen:
            reader.problem("code", f"与第{seen[code]}行的事项编码“{code}”重复。")
        elif code:
            seen[code] = line
        agency_name = reader.text("agency", required=True)
        agency_code = agencies.get(agency_name.strip(), "")
        if agency_name and not agency_code:
            reader.problem("agency", f"本站没有名为“{agency_name}”的机关（请填写机关全称或代码）。")
        guide = _read_item(reader, materials.get(code, []))
        if not reader.failed and code and agency_code:
            read.append((reader, code, agency_code, guide))

    for code, entries in materials.items():
        if code not in seen:
            problems.append(Problem(material_sheet.title, entries[0][0],
                                    material_sheet.header_of("code"),
                                    f"事项编码“{code}”不在“{item_sheet.title}”工作表中。"))
    for reader, code, agency_code, guide in read:
        if not materials.get(code):
            reader.problem("code", f"“{material_sheet.title}”工作表中没有该事项的申请材料"
                                   "（不需要材料的，填一行“无需提交材料”）。")
            continue
        for problem in check_guide(guide):
            key = _FIELD_COLUMNS.get(problem.field.split(".")[0])
            if key is not None and key in item_sheet.positions:
                reader.problem(key, problem.message)
            elif key is not None:
                problems.append(Problem(item_sheet.title, reader.line, item_sheet.header_of(key),
                                        problem.message + "（该列缺失）"))
        result.items.append(ImportedItem(code, agency_code, guide, reader.line))
    if not result.items and not problems:
        problems.append(Problem(item_sheet.title, None, None, "工作表中没有任何事项。"))
    if problems:
        result.items = []
    return result


def _read_materials(sheet: _Sheet) -> dict[str, list[tuple[int, Material]]]:
    """(row, material) by item code, in sheet order."""
    by_code: dict[str, list[tuple[int, Material]]] = {}
    for line, cells in sheet.rows():
        reader = _RowReader(sheet, line, cells)
        code = reader.text("code", required=True)
        name = reader.text("name")
        if not name:
            reader.problem("name", "材料名称不能为空。")
        material = Material(
            name=name,
            copies=reader.integer("copies", 1, 0, 99),
            form=MaterialForm(reader.choice("form", MaterialForm, MaterialForm.ORIGINAL)),
            medium=Medium(reader.choice("medium", Medium, Medium.PAPER)),
            source=reader.text("source") or "申请人自备",
            necessity=Necessity(reader.choice("necessity", Necessity, Necessity.REQUIRED)),
            note=reader.text("note"))
        if code:
            by_code.setdefault(code, []).append((line, material))
    return by_code


def _read_item(reader: _RowReader, materials: Sequence[tuple[int, Material]]) -> ItemGuide:
    targets_text = reader.text("targets", required=True)
    targets: list[Target] = []
    for part in split_list(targets_text):
        label = {"个人": "自然人", "企业": "法人", "法人或其他组织": "法人"}.get(part, part)
        try:
            targets.append(Target(label))
        except ValueError:
            reader.problem("targets", f"“{part}”不是服务对象，应为“自然人”“法人”或两者。")
    basis_text = reader.text("basis", required=True)
    basis = parse_basis(basis_text)
    if basis_text and not basis:
        reader.problem("basis", "请用书名号写出法律法规的名称，如“《婚姻登记条例》第四条”。")
    return ItemGuide(
        name=reader.text("name", required=True),
        item_type=ItemType(reader.choice("item_type", ItemType, ItemType.PUBLIC_SERVICE)),
        targets=tuple(dict.fromkeys(targets)),
        themes=split_list(reader.text("themes")),
        handling_unit=reader.text("handling_unit"),
        summary=reader.text("summary"),
        basis=basis,
        conditions=reader.text("conditions"),
        materials=tuple(material for _line, material in materials),
        steps=parse_steps(reader.text("steps")),
        legal_limit_days=reader.workdays("legal_limit_days", required=False),
        promised_limit_days=reader.workdays("promised_limit_days", required=True) or 0,
        limit_note=reader.text("limit_note"),
        charged=reader.flag("charged"),
        fee_standard=reader.text("fee_standard"),
        fee_basis=reader.text("fee_basis"),
        visits=reader.integer("visits", 1, 0, 10),
        location=reader.text("location"),
        hours=reader.text("hours"),
        phone=reader.text("phone"),
        online_url=reader.text("online_url"),
        online_depth=OnlineDepth(reader.choice("online_depth", OnlineDepth, OnlineDepth.NONE)),
        result_name=reader.text("result_name"),
        delivery=reader.text("delivery"),
        consult=reader.text("consult"),
        complaint=reader.text("complaint"),
        aliases=split_list(reader.text("aliases")),
    )


def merge_imported(current: ItemGuide | None, imported: ItemGuide) -> ItemGuide:
    """What an import makes of an item that exists already: the workbook's fields replace
    the current ones; what the layout has no column for (常见问题, the blank forms and
    samples of materials of the same name, the 示例 mark) is kept."""
    if current is None:
        return imported
    files = {material.name: material for material in current.materials}
    materials = tuple(
        replace(material, blank_form=files[material.name].blank_form,
                sample=files[material.name].sample) if material.name in files else material
        for material in imported.materials)
    return replace(imported, materials=materials, faq=current.faq,
                   is_example=current.is_example)
