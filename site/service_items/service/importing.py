"""Import items from the spreadsheet layout provinces publish (:mod:`..rules.layout`):
upload, preview with every problem located by sheet, row and column, confirm.

The file waits in the instance folder under a random token bound to the person who uploaded
it; confirming reads the very bytes that were previewed and writes every item in one unit of
work, or nothing. Each imported item becomes a new version submitted for review (new items
their first version): an import publishes nothing by itself.
"""

from __future__ import annotations

import io
import json
import re
import secrets
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.agencies import service as agencies
from opengov.site.agencies.models import Agency
from opengov.site.audit.service import Origin
from opengov.site.db import get_session, unit_of_work
from opengov.site.exceptions import ForbiddenError, InvalidInputError, NotFoundError
from opengov.site.service_items.models import ServiceItem
from opengov.site.service_items.rules import workflow
from opengov.site.service_items.rules.guide import ItemGuide

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

from opengov.site.service_items.rules.layout import (
    INSTRUCTIONS_SHEET,
    ITEM_COLUMNS,
    ITEMS_SHEET,
    MATERIAL_COLUMNS,
    MATERIALS_SHEET,
    Column,
    Grid,
    Problem,
    merge_imported,
    read_workbook,
)
from opengov.site.service_items.rules.workflow import Action
from opengov.site.service_items.service import revisions
from opengov.site.service_items.service.records import ITEMS

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
#: Largest workbook accepted: a province's whole list is well under this.
MAX_BYTES = 10 * 1024 * 1024


def read_sheets(content: bytes) -> dict[str, Grid]:
    """The cells of every sheet of an XLSX; ``ValueError`` with a message if it is not one."""
    # Loaded on first use: fpdf, openpyxl and pypdf (≈80 MB) stay out of the web workers
    # that never build a file (tests/architecture/test_worker_memory.py).
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ValueError("无法读取该文件：请上传 Excel 2007 及以上格式（.xlsx）的工作簿。") from exc
    try:
        return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
                for sheet in workbook.worksheets}
    finally:
        workbook.close()


def agency_lookup() -> dict[str, str]:
    """Every way a workbook may name an agency (code, name, short name) → its code."""
    found: dict[str, str] = {}
    for agency in agencies.all_agencies():
        for name in (agency.code, agency.name, agency.short_name):
            if name:
                found.setdefault(name.strip(), agency.code)
    return found


# --- planning ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedItem:
    """What confirming does with one item of the workbook."""

    code: str
    agency: Agency
    guide: ItemGuide
    row: int
    #: 新增 / 新版本 / 无变化
    action: str
    item_id: int | None = None


@dataclass
class ImportPreview:
    filename: str
    items: list[PlannedItem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: Versions submitted for review by the confirmation, when it happened.
    saved: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and any(item.action != "无变化" for item in self.items)

    @property
    def changes(self) -> int:
        return sum(item.action != "无变化" for item in self.items)


def plan(session: Session, actor: User, filename: str, content: bytes) -> ImportPreview:
    """Read the workbook and decide, item by item, what an import would do."""
    preview = ImportPreview(filename)
    try:
        sheets = read_sheets(content)
    except ValueError as exc:
        preview.problems.append(Problem(PurePath(filename).name or "文件", None, None, str(exc)))
        return preview
    read = read_workbook(sheets, agency_lookup())
    preview.problems.extend(read.problems)
    by_code = {agency.code: agency for agency in agencies.all_agencies()}
    existing = {item.code: item for item in session.scalars(select(ServiceItem).where(
        ServiceItem.code.in_([imported.code for imported in read.items])))}
    for imported in read.items:
        agency = by_code[imported.agency_code]

        def refuse(column: str, message: str, row: int = imported.row) -> None:
            preview.problems.append(Problem(ITEMS_SHEET, row, column, message))

        if not revisions.in_scope(actor, agency.id):
            refuse("实施主体", f"您不能为{agency.name}维护事项。")
            continue
        item = existing.get(imported.code)
        if item is None:
            preview.items.append(PlannedItem(imported.code, agency, imported.guide,
                                             imported.row, "新增"))
            continue
        if item.agency_id != agency.id:
            refuse("事项编码", f"该编码已是{item.agency.name}的事项“{item.name}”。")
            continue
        draft = revisions.open_revision(session, ITEMS, item)
        if draft is not None and draft.status not in workflow.EDITABLE:
            refuse("事项编码", f"事项“{item.name}”有一个“{workflow.STATUS_LABELS[draft.status]}”"
                               "的新版本：请先撤回修改或等审核结束后再导入。")
            continue
        source = draft or revisions.live_revision(session, ITEMS, item)
        current = ItemGuide.from_dict(source.content) if source is not None else None
        merged = merge_imported(current, imported.guide)
        preview.items.append(PlannedItem(imported.code, agency, merged, imported.row,
                                         "无变化" if merged == current else "新版本", item.id))
    if preview.problems:
        preview.items = []
    return preview


def apply(session: Session, actor: User, preview: ImportPreview, origin: Origin) -> int:
    """Write the planned versions and submit each for review; returns how many."""
    saved = 0
    for planned in preview.items:
        if planned.action == "无变化":
            continue
        if planned.item_id is None:
            item, _revision = revisions.create_record(
                session, ITEMS, agency=planned.agency, code=planned.code,
                content=planned.guide.to_dict(), actor=actor, origin=origin,
                note=f"由 {preview.filename} 导入")
        else:
            item = revisions.scoped_record(session, ITEMS, actor, planned.item_id, fresh=True)
            revisions.save_draft(session, ITEMS, item, content=planned.guide.to_dict(),
                                 actor=actor, origin=origin, expected_version=None,
                                 note=f"由 {preview.filename} 导入")
        revisions.transition(session, ITEMS, item, Action.SUBMIT, actor=actor, origin=origin)
        saved += 1
    return saved


# --- pending uploads ----------------------------------------------------------------------------


def _folder() -> Path:
    return Path(current_app.instance_path) / "service-item-imports"


def _paths(token: str) -> tuple[Path, Path]:
    return _folder() / f"{token}.json", _folder() / f"{token}.xlsx"


def _require_importer(actor: User) -> None:
    if not actor.has_role(Role.EDITOR):
        raise ForbiddenError("您没有导入事项的权限。")


def start_import(actor: User, filename: str, content: bytes) -> str:
    """Keep an uploaded workbook for preview; returns its token."""
    _require_importer(actor)
    if PurePath(filename).suffix.lower() != ".xlsx":
        raise InvalidInputError("请上传 .xlsx 格式的工作簿（可先下载模板）。")
    if not content:
        raise InvalidInputError("文件是空的。")
    if len(content) > MAX_BYTES:
        raise InvalidInputError(f"文件超过 {MAX_BYTES // (1024 * 1024)} MB。")
    _folder().mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(24)
    meta, data = _paths(token)
    data.write_bytes(content)
    meta.write_text(json.dumps({"user_id": actor.id, "filename": PurePath(filename).name},
                               ensure_ascii=False), encoding="utf-8")
    return token


def _pending(actor: User, token: str) -> tuple[str, bytes]:
    if _TOKEN.match(token):
        meta, data = _paths(token)
        if meta.is_file() and data.is_file():
            info = json.loads(meta.read_text(encoding="utf-8"))
            if info.get("user_id") == actor.id:
                return str(info.get("filename", "")), data.read_bytes()
    raise NotFoundError("没有这个待导入的文件（可能已导入或已过期），请重新上传。")


def import_preview(actor: User, token: str) -> ImportPreview:
    """What confirming the upload ``token`` would do, and every problem of the file."""
    _require_importer(actor)
    filename, content = _pending(actor, token)
    return plan(get_session(), actor, filename, content)


def confirm_import(actor: User, token: str, *, origin: Origin) -> ImportPreview:
    """Import the previewed workbook in one unit of work; the file is then discarded. When
    the file has problems (or the items changed since the preview so that it has now),
    nothing is written and the preview with the problems is returned."""
    _require_importer(actor)
    filename, content = _pending(actor, token)
    with unit_of_work() as session:
        preview = plan(session, actor, filename, content)
        if preview.problems or not preview.ok:
            return preview
        preview.saved = apply(session, actor, preview, origin)
    for path in _paths(token):
        path.unlink(missing_ok=True)
    return preview


# --- the template -------------------------------------------------------------------------------

_HEADER_COLOUR = "DDEBF7"
_REQUIRED_COLOUR = "FCE4D6"


def _header(sheet: Worksheet, columns: tuple[Column, ...]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=_REQUIRED_COLOUR if column.required
                                else _HEADER_COLOUR)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[cell.column_letter].width = max(12, len(column.header) * 2 + 2)
    sheet.freeze_panes = "A2"


def template_workbook() -> bytes:
    """The layout as an empty workbook with a sheet explaining every column; its data sheets
    have headers only, so a file made from it imports exactly what staff filled in."""
    # Loaded on first use: fpdf, openpyxl and pypdf (≈80 MB) stay out of the web workers
    # that never build a file (tests/architecture/test_worker_memory.py).
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    items = workbook.active
    assert items is not None
    items.title = ITEMS_SHEET
    _header(items, ITEM_COLUMNS)
    materials = workbook.create_sheet(MATERIALS_SHEET)
    _header(materials, MATERIAL_COLUMNS)
    notes = workbook.create_sheet(INSTRUCTIONS_SHEET)
    notes.append(["政务服务事项导入模板填表说明"])
    notes["A1"].font = Font(bold=True, size=14)
    notes.append(["“事项”工作表每行一个事项；“申请材料”工作表每行一项材料，以事项编码与事项对应。"
                  "橙色表头为必填列。导入后每个事项生成一个待审核的新版本，审核通过并发布后才对外公开。"
                  "导入时会逐行检查，任何一处有误都不会导入，请按提示修改后重新上传。"])
    notes.append([])
    notes.append(["工作表", "列名", "必填", "填写说明", "示例"])
    for cell in notes[4]:
        cell.font = Font(bold=True)
    for sheet_name, columns in ((ITEMS_SHEET, ITEM_COLUMNS), (MATERIALS_SHEET, MATERIAL_COLUMNS)):
        for column in columns:
            notes.append([sheet_name, column.header, "是" if column.required else "",
                          column.hint, column.example])
    for letter, width in zip("ABCDE", (10, 24, 6, 60, 40), strict=True):
        notes.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_filename() -> str:
    return "政务服务事项导入模板.xlsx"


def import_agencies(actor: User) -> list[Agency]:
    """The agencies ``actor`` may import items for (named on the upload page)."""
    _require_importer(actor)
    return [agency for agency in agencies.all_agencies()
            if revisions.in_scope(actor, agency.id)]
