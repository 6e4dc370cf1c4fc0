"""The standard catalog (基层政务公开标准目录): rows per agency and domain, their import from
XLSX, the documents that fulfil them, and when a row falls due (rules.md §10.1).

Entry functions take the acting person (``actor``) where staff act: administrators and
site-wide staff work on every agency's catalog, a department's or township's staff on their
own agency's only. The public reads rows with the documents the public may see.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import case, delete, func, select
from sqlalchemy.orm import Session, load_only, selectinload

from opengov.site import clock
from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.agencies import service as agencies
from opengov.site.agencies.models import Agency
from opengov.site.audit import service as audit
from opengov.site.audit.service import COMMAND_LINE_USERNAME, AuditAction, Origin
from opengov.site.catalog.models import Document
from opengov.site.catalog.service.public import public_clause
from opengov.site.db import get_session, unit_of_work
from opengov.site.exceptions import ForbiddenError, InvalidInputError, NotFoundError
from opengov.site.standard_catalog.models import StandardCatalogLink, StandardCatalogRow
from opengov.site.standard_catalog.rules import (
    DOMAINS,
    DOMAINS_BY_SLUG,
    FIELDS,
    Domain,
    ImportedRow,
    RowData,
    RowStatus,
    check_row,
    domain_for_sheet,
    parse_time_limit,
    read_rows,
    row_status,
)
from opengov.site.workdays.service import load_calendar

#: Largest XLSX accepted for import.
MAX_IMPORT_BYTES = 5 * 1024 * 1024


class RowProblemsError(InvalidInputError):
    """A row breaks the catalog's rules; ``problems`` names the fields."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("；".join(problems.values()))
        self.problems = problems


# --- scope ---------------------------------------------------------------------------------

def _sees_every_agency(actor: User) -> bool:
    return actor.agency_id is None or Role.ADMIN in actor.roles


def _require_staff(actor: User) -> None:
    if not actor.has_role(Role.EDITOR, Role.REVIEWER, Role.ADMIN):
        raise ForbiddenError("您没有维护标准目录的权限。")


def _scoped_agency(actor: User, agency_id: int) -> Agency:
    _require_staff(actor)
    agency = agencies.get_agency(agency_id)
    if not _sees_every_agency(actor) and actor.agency_id != agency.id:
        raise NotFoundError("没有这个机关")
    return agency


def _scoped_row(session: Session, actor: User, row_id: int) -> StandardCatalogRow:
    _require_staff(actor)
    row = session.get(StandardCatalogRow, row_id) if 0 < row_id < 2**31 else None
    if row is None or not (_sees_every_agency(actor) or row.agency_id == actor.agency_id):
        raise NotFoundError("没有这个标准目录事项。")
    return row


def _domain(slug: str) -> Domain:
    domain = DOMAINS_BY_SLUG.get(slug)
    if domain is None:
        raise NotFoundError("没有这个试点领域。")
    return domain


# --- status ----------------------------------------------------------------------------------

@dataclass
class RowView:
    """A row with what fulfils it and whether it is overdue."""

    row: StandardCatalogRow
    documents: list[Document]
    status: RowStatus


def _fulfilment_dates(session: Session, ids: Sequence[int],
                      today: dt.date) -> dict[int, list[dt.date]]:
    """Per row, the publication dates of its public documents (a draft fulfils nothing)."""
    dates: dict[int, list[dt.date]] = {row_id: [] for row_id in ids}
    if ids:
        for row_id, published_on in session.execute(
                select(StandardCatalogLink.row_id, Document.published_on)
                .join(Document, Document.id == StandardCatalogLink.document_id)
                .where(StandardCatalogLink.row_id.in_(ids), public_clause(today))):
            if published_on is not None:  # always, by public_clause
                dates[row_id].append(published_on)
    return dates


def _statuses(session: Session, rows: Sequence[StandardCatalogRow],
              today: dt.date) -> list[RowStatus]:
    fulfilled = _fulfilment_dates(session, [row.id for row in rows], today)
    calendar = load_calendar(session)
    return [row_status(parse_time_limit(row.time_limit), fulfilled=fulfilled[row.id],
                       listed_on=clock.to_beijing(row.created_at).date(),
                       formed_on=row.formed_on, today=today,
                       add_workdays=calendar.add_workdays) for row in rows]


def _views(session: Session, rows: Sequence[StandardCatalogRow], *, public: bool,
           today: dt.date) -> list[RowView]:
    """Each row with its documents (public ones only when ``public``), newest first, and its
    status, which only public documents count for."""
    ids = [row.id for row in rows]
    linked: dict[int, list[Document]] = {row_id: [] for row_id in ids}
    if ids:
        # Only what the tables show: a row's documents are listed, never their bodies.
        statement = (select(StandardCatalogLink.row_id, Document)
                     .join(Document, Document.id == StandardCatalogLink.document_id)
                     .where(StandardCatalogLink.row_id.in_(ids))
                     .options(load_only(Document.id, Document.title, Document.published_on,
                                        Document.status, Document.agency_id))
                     .order_by(Document.published_on.desc(), Document.id.desc()))
        if public:
            statement = statement.where(public_clause(today))
        for row_id, document in session.execute(statement):
            linked[row_id].append(document)
    return [RowView(row, linked[row.id], status)
            for row, status in zip(rows, _statuses(session, rows, today), strict=True)]


def _rows(session: Session, agency_id: int, domain: str | None = None) -> list[StandardCatalogRow]:
    statement = (select(StandardCatalogRow).where(StandardCatalogRow.agency_id == agency_id)
                 .order_by(StandardCatalogRow.domain, StandardCatalogRow.position,
                           StandardCatalogRow.id))
    if domain is not None:
        statement = statement.where(StandardCatalogRow.domain == domain)
    return list(session.scalars(statement))


# --- public pages ----------------------------------------------------------------------------

@dataclass(frozen=True)
class DomainSummary:
    domain: Domain
    rows: int
    example: bool


@dataclass(frozen=True)
class AgencyCatalogPage:
    """An agency's standard catalog: the domains it has rows in."""

    agency: Agency
    domains: list[DomainSummary]
    updated: dt.datetime | None


def _summaries(session: Session, agency_id: int) -> list[DomainSummary]:
    counts = {domain: (count, bool(example)) for domain, count, example in session.execute(
        # max() of a boolean is not portable (PostgreSQL has no max(boolean)): count the 示例.
        select(StandardCatalogRow.domain, func.count(),
               func.sum(case((StandardCatalogRow.is_example, 1), else_=0)))
        .where(StandardCatalogRow.agency_id == agency_id)
        .group_by(StandardCatalogRow.domain))}
    return [DomainSummary(domain, *counts[domain.slug]) for domain in DOMAINS
            if domain.slug in counts]


def agency_catalog_page(code: str) -> AgencyCatalogPage:
    """The standard catalog of the agency ``code``; :class:`NotFoundError` for no agency."""
    agency = agencies.agency_by_code(code)
    session = get_session()
    updated = session.scalar(select(func.max(StandardCatalogRow.updated_at))
                             .where(StandardCatalogRow.agency_id == agency.id))
    return AgencyCatalogPage(agency, _summaries(session, agency.id), updated)


@dataclass(frozen=True)
class CatalogIndexPage:
    """Every agency that has a standard catalog, with its domains."""

    entries: list[tuple[Agency, list[DomainSummary]]]


def catalog_index_page() -> CatalogIndexPage:
    session = get_session()
    entries = [(agency, _summaries(session, agency.id)) for agency in agencies.all_agencies()]
    return CatalogIndexPage([(agency, domains) for agency, domains in entries if domains])


@dataclass(frozen=True)
class DomainPage:
    """The rows of one agency and domain, each with the public documents that fulfil it."""

    agency: Agency
    domain: Domain
    rows: list[RowView]
    other_domains: list[DomainSummary]

    @property
    def example(self) -> bool:
        return any(view.row.is_example for view in self.rows)


def domain_page(code: str, domain_slug: str) -> DomainPage:
    """The public table of ``domain_slug`` of agency ``code``; :class:`NotFoundError` for an
    unknown agency or domain, or one the agency has no rows in."""
    agency = agencies.agency_by_code(code)
    domain = _domain(domain_slug)
    session = get_session()
    rows = _rows(session, agency.id, domain.slug)
    if not rows:
        raise NotFoundError(f"{agency.name}尚未公布“{domain.name}”领域的标准目录。")
    return DomainPage(agency, domain, _views(session, rows, public=True, today=clock.today()),
                      _summaries(session, agency.id))


# --- staff pages -----------------------------------------------------------------------------

@dataclass(frozen=True)
class AgencyOverview:
    agency: Agency
    rows: int
    overdue: int
    domains: list[DomainSummary]


def staff_overview(actor: User) -> list[AgencyOverview]:
    """Per agency in ``actor``'s scope: its rows, how many are overdue, its domains."""
    _require_staff(actor)
    session = get_session()
    today = clock.today()
    result = []
    for agency in agencies.all_agencies():
        if not (_sees_every_agency(actor) or agency.id == actor.agency_id):
            continue
        rows = _rows(session, agency.id)
        overdue = sum(1 for status in _statuses(session, rows, today) if status.overdue)
        result.append(AgencyOverview(agency, len(rows), overdue, _summaries(session, agency.id)))
    return result


@dataclass(frozen=True)
class StaffDomainPage:
    agency: Agency
    domain: Domain
    rows: list[RowView]


def staff_domain_page(actor: User, agency_id: int, domain_slug: str) -> StaffDomainPage:
    """An agency's rows of one domain with their documents (any status) and warnings."""
    agency = _scoped_agency(actor, agency_id)
    domain = _domain(domain_slug)
    session = get_session()
    return StaffDomainPage(agency, domain, _views(session, _rows(session, agency.id, domain.slug),
                                                  public=False, today=clock.today()))


def get_row(actor: User, row_id: int) -> RowView:
    session = get_session()
    row = _scoped_row(session, actor, row_id)
    return _views(session, [row], public=False, today=clock.today())[0]


def _record(session: Session, actor: User | None, origin: Origin, row_id: int,
            detail: str) -> None:
    audit.record(session, AuditAction.EDIT, actor=actor, origin=origin,
                 object_type="standard_catalog_row", object_id=row_id, detail=detail[:300])


def _set_fields(row: StandardCatalogRow, data: RowData) -> None:
    row.domain = data.domain
    for name, _label in FIELDS:
        setattr(row, name, getattr(data, name).strip())


def _check(data: RowData) -> None:
    problems = check_row(data)
    if problems:
        raise RowProblemsError(problems)


def _next_position(session: Session, agency_id: int, domain: str) -> int:
    last = session.scalar(select(func.max(StandardCatalogRow.position)).where(
        StandardCatalogRow.agency_id == agency_id, StandardCatalogRow.domain == domain))
    return (last or 0) + 1


def create_row(actor: User, agency_id: int, data: RowData, *, origin: Origin) -> int:
    """A new row at the end of its domain; returns its id."""
    agency = _scoped_agency(actor, agency_id)
    _check(data)
    with unit_of_work() as session:
        row = StandardCatalogRow(agency_id=agency.id,
                                 position=_next_position(session, agency.id, data.domain))
        _set_fields(row, data)
        session.add(row)
        session.flush()
        audit.record(session, AuditAction.CREATE, actor=actor, origin=origin,
                     object_type="standard_catalog_row", object_id=row.id,
                     detail=f"新建标准目录事项：{agency.name} {row.item}"[:300])
        return row.id


def update_row(actor: User, row_id: int, data: RowData, *, formed_on: dt.date | None,
               origin: Origin) -> None:
    """Change a row's fields and the day its pending information arose."""
    _check(data)
    with unit_of_work() as session:
        row = _scoped_row(session, actor, row_id)
        if row.domain != data.domain:
            row.position = _next_position(session, row.agency_id, data.domain)
        _set_fields(row, data)
        row.formed_on = formed_on
        row.updated_at = clock.utcnow()
        _record(session, actor, origin, row.id, f"修改标准目录事项：{row.item}")


def delete_row(actor: User, row_id: int, *, origin: Origin) -> tuple[int, str]:
    """Remove a row (its links go with it); returns its agency id and domain."""
    with unit_of_work() as session:
        row = _scoped_row(session, actor, row_id)
        where = (row.agency_id, row.domain)
        _record(session, actor, origin, row.id, f"删除标准目录事项：{row.item}")
        session.delete(row)
        return where


# --- links to documents ------------------------------------------------------------------------

@dataclass(frozen=True)
class DocumentRows:
    """The rows a document may fulfil (its agency's) and those it does."""

    document_id: int
    rows: list[StandardCatalogRow]
    chosen: set[int]

    def by_domain(self) -> list[tuple[Domain, list[StandardCatalogRow]]]:
        groups: dict[str, list[StandardCatalogRow]] = {}
        for row in self.rows:
            groups.setdefault(row.domain, []).append(row)
        return [(domain, groups[domain.slug]) for domain in DOMAINS if domain.slug in groups]


def _scoped_document(session: Session, actor: User, document_id: int) -> Document:
    _require_staff(actor)
    document = session.get(Document, document_id) if 0 < document_id < 2**31 else None
    if document is None or not (_sees_every_agency(actor)
                                or document.agency_id == actor.agency_id):
        raise NotFoundError("没有这个文件。")
    return document


def document_rows(actor: User, document_id: int) -> DocumentRows:
    """What the document's staff page offers: its agency's rows, and which it fulfils."""
    session = get_session()
    document = _scoped_document(session, actor, document_id)
    chosen = set(session.scalars(select(StandardCatalogLink.row_id).where(
        StandardCatalogLink.document_id == document.id)))
    return DocumentRows(document.id, _rows(session, document.agency_id), chosen)


def set_document_rows(actor: User, document_id: int, row_ids: Sequence[int], *,
                      origin: Origin) -> int:
    """The rows ``document_id`` fulfils, replacing the earlier choice; only rows of the
    document's own agency. Returns how many are linked now."""
    with unit_of_work() as session:
        document = _scoped_document(session, actor, document_id)
        allowed = {row.id for row in _rows(session, document.agency_id)}
        wanted = set(row_ids)
        if wanted - allowed:
            raise InvalidInputError("只能选择本机关标准目录中的事项。")
        current = set(session.scalars(select(StandardCatalogLink.row_id).where(
            StandardCatalogLink.document_id == document.id)))
        if current - wanted:
            session.execute(delete(StandardCatalogLink).where(
                StandardCatalogLink.document_id == document.id,
                StandardCatalogLink.row_id.in_(current - wanted)))
        for row_id in sorted(wanted - current):
            session.add(StandardCatalogLink(row_id=row_id, document_id=document.id))
        if wanted != current:
            audit.record(session, AuditAction.EDIT, actor=actor, origin=origin,
                         object_type="document", object_id=document.id,
                         detail=f"标准目录事项：{len(wanted)} 项"[:300])
        return len(wanted)


# --- import ------------------------------------------------------------------------------------

@dataclass
class ImportReport:
    """What an import did, or would do: rows per domain and the problems by line."""

    agency: str
    created: int = 0
    replaced_domains: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _grid(sheet: Any) -> list[list[str]]:
    return [["" if value is None else str(value).strip() for value in row]
            for row in sheet.iter_rows(values_only=True)]


def read_workbook(data: bytes) -> list[ImportedRow]:
    """The rows of every sheet of an XLSX catalog (a sheet per domain, or a 领域 column)."""
    if len(data) > MAX_IMPORT_BYTES:
        raise InvalidInputError("文件超过 5 MB 的上限。")
    # Loaded on first use: fpdf, openpyxl and pypdf (≈80 MB) stay out of the web workers
    # that never build a file (tests/architecture/test_worker_memory.py).
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not XLSX
        raise InvalidInputError("无法读取该文件，请上传 Excel（.xlsx）格式的标准目录。") from exc
    rows: list[ImportedRow] = []
    problems: list[str] = []
    try:
        for sheet in workbook.worksheets:
            grid = _grid(sheet)
            if not any(any(cell for cell in row) for row in grid):
                continue
            try:
                found = read_rows(grid, domain_for_sheet(sheet.title))
            except ValueError as exc:
                problems.append(f"工作表“{sheet.title}”：{exc}")
                continue
            rows.extend(replace(item, problems={
                name: f"工作表“{sheet.title}”第 {item.line} 行：{message}"
                for name, message in item.problems.items()}) for item in found)
    finally:
        workbook.close()
    if not rows:
        raise InvalidInputError("；".join(problems) or "文件中没有标准目录事项。")
    return rows


def _import(session: Session, agency: Agency, rows: Sequence[ImportedRow], *,
            example: bool, actor: User | None, origin: Origin) -> ImportReport:
    """Replace the agency's rows of every domain the import covers (idempotent: the same
    file gives the same catalog; links of replaced rows with the same 事项 are kept)."""
    report = ImportReport(agency.name)
    for item in rows:
        report.problems.extend(item.problems.values())
    if report.problems:
        return report
    domains = sorted({item.data.domain for item in rows})
    kept: dict[tuple[str, str, str], list[int]] = {}
    for old in session.scalars(select(StandardCatalogRow).where(
            StandardCatalogRow.agency_id == agency.id, StandardCatalogRow.domain.in_(domains))
            .options(selectinload(StandardCatalogRow.links))):
        kept[(old.domain, old.item, old.sub_item)] = [link.document_id for link in old.links]
        session.delete(old)
    session.flush()
    positions: dict[str, int] = {}
    for item in rows:
        position = positions[item.data.domain] = positions.get(item.data.domain, 0) + 1
        row = StandardCatalogRow(agency_id=agency.id, position=position, is_example=example)
        _set_fields(row, item.data)
        row.links = [StandardCatalogLink(document_id=document_id) for document_id in
                     kept.get((item.data.domain, row.item, row.sub_item), [])]
        session.add(row)
        report.created += 1
    report.replaced_domains = [DOMAINS_BY_SLUG[slug].name for slug in domains]
    audit.record(session, AuditAction.SETTINGS, actor=actor, origin=origin,
                 object_type="agency", object_id=agency.id,
                 username=None if actor is not None else COMMAND_LINE_USERNAME,
                 detail=f"导入标准目录：{agency.name}，{report.created} 项，领域："
                        + "、".join(report.replaced_domains))
    return report


def import_workbook(actor: User | None, agency_id: int, data: bytes, *, origin: Origin,
                    example: bool = False) -> ImportReport:
    """Import an XLSX catalog for an agency: the domains it covers are replaced; nothing is
    written when any row has a problem (the report lists them by sheet and line).
    ``actor`` None is the command line."""
    agency = _scoped_agency(actor, agency_id) if actor is not None else agencies.get_agency(agency_id)
    rows = read_workbook(data)
    with unit_of_work() as session:
        # Nothing is written when the report has problems: _import checks before it writes.
        return _import(session, agency, rows, example=example, actor=actor, origin=origin)


def load_content(folder: Path, *, origin: Origin) -> list[ImportReport]:
    """Load the catalogs of ``folder`` (``*.yaml``: an agency code, whether it is 示例, and
    rows by domain), as ``opengov standard-catalog load`` does for the demo content."""
    reports = []
    for path in sorted(folder.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        agency = agencies.find_agency(str(spec.get("agency", "")))
        if agency is None:
            raise InvalidInputError(f"{path.name}：机构“{spec.get('agency')}”不存在，"
                                    "请先运行 import-content。")
        rows: list[ImportedRow] = []
        for domain_name, items in (spec.get("domains") or {}).items():
            domain = next((d for d in DOMAINS if d.name == domain_name), None)
            for number, item in enumerate(items or [], start=1):
                data = RowData(domain=domain.slug if domain else str(domain_name),
                               **{name: str(item.get(name, "") or "") for name, _ in FIELDS
                                  if name not in {"audience", "mode"}},
                               audience=str(item.get("audience") or "全社会"),
                               mode=str(item.get("mode") or "主动"))
                problems = {name: f"{path.name} {domain_name} 第 {number} 项：{message}"
                            for name, message in check_row(data).items()}
                rows.append(ImportedRow(number, data, problems))
        with unit_of_work() as session:
            reports.append(_import(session, agency, rows, example=bool(spec.get("example")),
                                   actor=None, origin=origin))
    return reports


def agency_choices(actor: User) -> list[Agency]:
    """The agencies whose catalog ``actor`` maintains."""
    _require_staff(actor)
    return [agency for agency in agencies.all_agencies()
            if _sees_every_agency(actor) or agency.id == actor.agency_id]
