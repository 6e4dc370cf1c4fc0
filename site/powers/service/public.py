"""What the public sees of the 权力清单: the list by agency and type (and words), one power
with its 裁量基准, the list as a workbook to download, and the same as JSON. Reads only."""

from __future__ import annotations

import io
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session, selectinload

from opengov.site.agencies import service as agencies
from opengov.site.agencies.models import Agency
from opengov.site.db import get_session
from opengov.site.exceptions import NotFoundError
from opengov.site.powers.models import Power, PowerRevision
from opengov.site.powers.rules import POWER_TYPES, PowerContent
from opengov.site.powers.service.index_source import public_power_clause
from opengov.site.service_items.rules.guide import format_basis, format_steps
from opengov.site.service_items.rules.listing import ListQuery
from opengov.site.service_items.service import public as service_items
from opengov.site.service_items.service.public import LawLink, law_links

#: Most rows a download holds (a city's whole list is a few thousand).
EXPORT_LIMIT = 20_000


class UnknownAgencyError(NotFoundError):
    """The list names an agency that does not exist."""


def _conditions(query: ListQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [public_power_clause()]
    if query.agency:
        agency = agencies.find_agency(query.agency)
        if agency is None:
            raise UnknownAgencyError(f"没有代码为“{query.agency}”的机关。")
        conditions.append(Power.agency_id == agency.id)
    if query.type:
        conditions.append(Power.power_type == query.type)
    for word in query.words:
        conditions.append(Power.name.contains(word, autoescape=True))
    return conditions


@dataclass(frozen=True)
class PowerList:
    powers: list[Power]
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def list_powers(session: Session, query: ListQuery) -> PowerList:
    conditions = _conditions(query)
    total = int(session.scalar(select(func.count(Power.id)).where(*conditions)) or 0)
    powers = session.scalars(
        select(Power).join(Agency, Agency.id == Power.agency_id).where(*conditions)
        .order_by(Agency.sort_order, Agency.id, Power.code)
        .offset((query.page - 1) * query.size).limit(query.size)
        .options(selectinload(Power.agency))).all()
    return PowerList(list(powers), total, query.page, query.size)


@dataclass(frozen=True)
class PowersPage:
    result: PowerList
    query: ListQuery
    #: (agency, number of public powers) of agencies with powers.
    agencies: list[tuple[Agency, int]]
    #: (type, number of public powers) of the types in use, in the order of the list.
    types: list[tuple[str, int]]
    agency: Agency | None


def powers_page(query: ListQuery) -> PowersPage:
    """The list narrowed by ``query``; :class:`UnknownAgencyError` for an unknown agency."""
    session = get_session()
    result = list_powers(session, query)
    per_agency = dict(session.execute(select(Power.agency_id, func.count(Power.id))
                                      .where(public_power_clause())
                                      .group_by(Power.agency_id)).all())
    per_type = dict(session.execute(select(Power.power_type, func.count(Power.id))
                                    .where(public_power_clause())
                                    .group_by(Power.power_type)).all())
    return PowersPage(
        result, query,
        [(agency, int(per_agency[agency.id])) for agency in agencies.all_agencies()
         if agency.id in per_agency],
        [(value, int(per_type[value])) for value in POWER_TYPES if per_type.get(value)],
        agencies.find_agency(query.agency) if query.agency else None)


def power_list(query: ListQuery) -> PowerList:
    """The API's list: one page of public powers."""
    return list_powers(get_session(), query)


@dataclass(frozen=True)
class PowerPage:
    power: Power
    content: PowerContent
    version: int
    laws: dict[str, LawLink]
    #: The id of the public 办事指南 of the power, if there is one.
    service_item_id: int | None


def _public_power(session: Session, power_id: int) -> tuple[Power, PowerRevision]:
    row = session.execute(
        select(Power, PowerRevision)
        .join(PowerRevision, and_(PowerRevision.record_id == Power.id,
                                  PowerRevision.number == Power.live_number))
        .where(Power.id == power_id, public_power_clause())
        .options(selectinload(Power.agency))).one_or_none() if 0 < power_id < 2**31 else None
    if row is None:
        raise NotFoundError("没有这项行政职权，或已调整出权力清单。")
    return row[0], row[1]


def power_page(power_id: int) -> PowerPage:
    """One public power with its laws linked and its 办事指南; :class:`NotFoundError` unless
    it is public."""
    session = get_session()
    power, revision = _public_power(session, power_id)
    content = PowerContent.from_dict(revision.content)
    items = service_items.public_item_ids(session, [content.service_item_code])
    return PowerPage(power, content, revision.number,
                     law_links(session, content.basis),
                     items.get(content.service_item_code))


# --- the download ------------------------------------------------------------------------------

POWER_HEADERS = ("序号", "职权编码", "职权名称", "权力类型", "实施主体", "承办机构", "设定依据",
                 "责任事项", "追责情形", "运行流程", "监督电话", "对应办事事项编码", "更新日期")
DISCRETION_HEADERS = ("职权编码", "职权名称", "违法行为", "裁量阶次", "适用情形", "处罚种类和幅度",
                      "依据")


def _safe(value: str) -> str:
    # Text that starts like a formula would run as one in a spreadsheet.
    return "'" + value if value[:1] in {"=", "+", "-", "@"} else value


def export_workbook(query: ListQuery) -> bytes:
    """The public powers matching ``query`` (every page) as XLSX: one sheet of powers, one of
    the 裁量基准 rows."""
    session = get_session()
    rows = session.execute(
        select(Power, PowerRevision)
        .join(PowerRevision, and_(PowerRevision.record_id == Power.id,
                                  PowerRevision.number == Power.live_number))
        .join(Agency, Agency.id == Power.agency_id).where(*_conditions(query))
        .order_by(Agency.sort_order, Agency.id, Power.code).limit(EXPORT_LIMIT)
        .options(selectinload(Power.agency))).all()
    # Loaded on first use: fpdf, openpyxl and pypdf (≈80 MB) stay out of the web workers
    # that never build a file (tests/architecture/test_worker_memory.py).
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "权力清单"
    sheet.append(list(POWER_HEADERS))
    rules = workbook.create_sheet("裁量基准")
    rules.append(list(DISCRETION_HEADERS))
    for number, (power, revision) in enumerate(rows, start=1):
        content = PowerContent.from_dict(revision.content)
        sheet.append([number, power.code, _safe(content.name), content.power_type.value,
                      power.agency.name, _safe(content.handling_unit),
                      _safe(format_basis(content.basis)), _safe(content.responsibilities),
                      _safe(content.accountability), _safe(format_steps(content.process)),
                      _safe(content.supervision_phone), content.service_item_code,
                      power.published_on.isoformat() if power.published_on else ""])
        for rule in content.discretion:
            rules.append([power.code, _safe(content.name), _safe(rule.violation), rule.level,
                          _safe(rule.circumstance), _safe(rule.penalty), _safe(rule.basis)])
    for worksheet in (sheet, rules):
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
        for row in worksheet.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        worksheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHIJKLM", (6, 16, 30, 10, 22, 16, 40, 40, 40, 40, 16, 16, 12),
                             strict=True):
        sheet.column_dimensions[letter].width = width
    for letter, width in zip("ABCDEFG", (16, 30, 36, 10, 36, 44, 24), strict=True):
        rules.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
