"""Saving and finding 预决算 disclosures; each published one is mirrored by a catalog
document in the 财政预决算 column so that search finds it like any other document."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session, selectinload

from opengov.site import clock
from opengov.site.agencies.models import Agency
from opengov.site.catalog.models import Attachment, Document
from opengov.site.catalog.rules.metadata import Disclosure, PublicationStatus
from opengov.site.catalog.service import attachments
from opengov.site.catalog.service.columns import category_by_slug, issue_index_no
from opengov.site.catalog.service.editorial import publication_instant
from opengov.site.catalog.service.outbox import enqueue
from opengov.site.fiscal.models import (
    FiscalDisclosure,
    FiscalRow,
    FiscalTable,
    Procurement,
    SangongLine,
    SangongReference,
)
from opengov.site.fiscal.rules.disclosures import (
    SPECS_BY_NUMBER,
    DisclosureData,
    Problem,
    ProcurementData,
    Stage,
    Timeliness,
    days_after_approval,
    subject_level,
    timeliness,
    validate_disclosure,
)
from opengov.site.fiscal.service.tables import (
    TableData,
    disclosure_markdown,
    disclosure_tables,
    procurement_table,
)

#: The column (栏目) fiscal documents are filed in (catalog.COLUMNS, 条例 Art. 20 (七)).
FISCAL_COLUMN = "fiscal"
FISCAL_TOPIC = "财政、金融、审计\\财政"


class FiscalDataError(ValueError):
    """The data does not add up; ``problems`` says where, row by row."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("；".join(str(problem) for problem in problems))
        self.problems = problems


def find_disclosure(session: Session, agency: Agency, year: int,
                    stage: Stage) -> FiscalDisclosure | None:
    return session.scalars(select(FiscalDisclosure).where(
        FiscalDisclosure.agency_id == agency.id, FiscalDisclosure.year == year,
        FiscalDisclosure.stage == stage)).one_or_none()


def save_disclosure(session: Session, agency: Agency, data: DisclosureData, *,
                    is_example: bool = False) -> FiscalDisclosure:
    """Create or replace the agency's disclosure for ``data.year`` and ``data.stage``.

    Refuses data that does not add up (:class:`FiscalDataError`). A 三公 line without last
    year's figure takes it from last year's saved disclosure of the same stage. With a
    publication date the catalog document is created or updated and queued for indexing.
    """
    problems = validate_disclosure(data)
    if problems:
        raise FiscalDataError(problems)
    disclosure = find_disclosure(session, agency, data.year, data.stage)
    if disclosure is None:
        disclosure = FiscalDisclosure(agency=agency, year=data.year, stage=data.stage)
        session.add(disclosure)
    disclosure.approved_on = data.approved_on
    disclosure.published_on = data.published_on
    disclosure.narrative = data.narrative
    disclosure.is_example = is_example
    # Replace, not merge: a corrected upload is the whole table set again.
    disclosure.tables.clear()
    disclosure.sangong_lines.clear()
    session.flush()
    disclosure.tables.extend(_tables(data))
    previous = find_disclosure(session, agency, data.year - 1, data.stage)
    previous_lines = {line.item: line.amount for line in previous.sangong_lines} if previous else {}
    for item, entry in data.sangong.items():
        prior = entry.prior if entry.prior is not None else previous_lines.get(item)
        disclosure.sangong_lines.append(SangongLine(item=item, amount=entry.amount,
                                                    prior_amount=prior,
                                                    explanation=entry.explanation))
    disclosure.procurement = _procurement(data.procurement, disclosure.procurement)
    session.flush()
    if disclosure.published_on is not None:
        sync_document(session, disclosure)
    return disclosure


def _procurement(data: ProcurementData | None,
                 stored: Procurement | None = None) -> Procurement | None:
    """The row for ``data``; the stored one updated in place (one row per disclosure)."""
    if data is None:
        return None
    procurement = stored or Procurement()
    procurement.explanation = data.explanation
    for item, column in Procurement.COLUMNS.items():
        setattr(procurement, column, data.get(item))
    return procurement


def _tables(data: DisclosureData) -> list[FiscalTable]:
    tables = []
    for number, rows in sorted(data.tables.items()):
        spec = SPECS_BY_NUMBER[number]
        table = FiscalTable(number=number, title=spec.title(data.stage),
                            columns=list(spec.columns))
        table.rows = [FiscalRow(position=position, code=row.code, name=row.name,
                                level=int(subject_level(row.code)) if row.code else 0,
                                side=row.side, amounts=list(row.amounts))
                      for position, row in enumerate(rows)]
        tables.append(table)
    return tables


def sync_document(session: Session, disclosure: FiscalDisclosure) -> Document:
    """Create or update the catalog document of a published disclosure and queue it for
    the search index, in the caller's transaction."""
    assert disclosure.published_on is not None, "only published disclosures have documents"
    agency = disclosure.agency
    stage_word = "部门预算" if disclosure.stage is Stage.BUDGET else "部门决算"
    document = mirror_document(
        session, disclosure.document, agency=agency, title=disclosure.title,
        summary=(f"{agency.name}{disclosure.year}年{stage_word}公开：报表"
                 f"{len(disclosure.tables)}张，“三公”经费和机关运行经费情况说明。"),
        body=disclosure_markdown(disclosure), genre=str(disclosure.stage),
        keywords=f"{stage_word}、三公经费、机关运行经费、政府采购、财政预决算",
        date_written=disclosure.approved_on, published_on=disclosure.published_on)
    disclosure.document = document
    return document


def mirror_document(session: Session, document: Document | None, *, agency: Agency,
                    title: str, summary: str, body: str, genre: str, keywords: str,
                    date_written: dt.date | None, published_on: dt.date) -> Document:
    """Create or update the catalog document that mirrors a fiscal publication in the 财政预决算
    column, and queue it for the search index when what the index holds has changed."""
    category = category_by_slug(session, FISCAL_COLUMN)
    if category is None:
        raise LookupError(f"栏目“{FISCAL_COLUMN}”不存在，请先运行 opengov init")
    before = None if document is None else (document.title, document.summary,
                                             document.body_hash, document.published_on)
    if document is None:
        document = Document(agency=agency, category=category)
        session.add(document)
    document.title = title
    document.summary = summary
    document.body = body
    document.genre = genre
    document.issuer = agency.name
    document.source = agency.name
    document.date_written = date_written
    document.published_on = published_on
    document.topic = FISCAL_TOPIC
    document.keywords = keywords
    document.disclosure = Disclosure.PROACTIVE
    document.status = PublicationStatus.PUBLISHED
    document.body_hash = hashlib.sha256(body.encode("utf-8")).hexdigest()
    if document.index_no is None:
        document.index_no = issue_index_no(session, document.agency, published_on.year)
    session.flush()
    if before == (document.title, document.summary, document.body_hash, document.published_on):
        return document  # nothing the index holds has changed
    # A publication date ahead waits in the outbox until that day (the search index
    # holds public documents only).
    not_before = publication_instant(published_on) if published_on > clock.today() else None
    enqueue(session, document.id, not_before=not_before)
    return document


def attach_original(session: Session, disclosure: FiscalDisclosure, upload_dir: Path,
                    original_name: str, content: bytes, content_type: str) -> Attachment:
    """Keep the uploaded spreadsheet beside the structured data (rules.md §5.7), stored
    under a random name; the disclosure must be published (it attaches to its document)."""
    if disclosure.document is None:
        raise ValueError("预决算尚未发布，不能附加原始文件")
    return attach_to_document(session, disclosure.document, upload_dir, original_name, content,
                              content_type)


def attach_to_document(session: Session, document: Document, upload_dir: Path,
                       original_name: str, content: bytes, content_type: str) -> Attachment:
    """Store an original file with a publication's document, once (the same bytes again are
    the attachment already there)."""
    digest = hashlib.sha256(content).hexdigest()
    for existing in document.attachments:
        if existing.sha256 == digest:
            return existing
    attachment = attachments.store(upload_dir, content, original_name, content_type,
                                   suffix=Path(original_name).suffix.lower()[:10])
    document.attachments.append(attachment)
    session.flush()
    enqueue(session, document.id)
    return attachment


CONTENT_TYPES = {".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 ".csv": "text/csv"}


def save_uploaded(session: Session, agency: Agency, data: DisclosureData, *, upload_dir: Path,
                  filename: str, content: bytes) -> FiscalDisclosure:
    """Save a previewed upload and keep the spreadsheet it came from."""
    disclosure = save_disclosure(session, agency, data)
    content_type = CONTENT_TYPES.get(Path(filename).suffix.lower(), "application/octet-stream")
    attach_original(session, disclosure, upload_dir, filename, content, content_type)
    return disclosure


def preview_tables(agency: Agency, data: DisclosureData) -> list[TableData]:
    """The tables exactly as the public page will show them, built from transient objects
    that never join the session."""
    preview = FiscalDisclosure(agency=agency, year=data.year, stage=data.stage)
    preview.tables.extend(_tables(data))
    for item, entry in data.sangong.items():
        preview.sangong_lines.append(SangongLine(item=item, amount=entry.amount,
                                                 prior_amount=entry.prior,
                                                 explanation=entry.explanation))
    preview.procurement = _procurement(data.procurement)
    tables = [table for _, table in disclosure_tables(preview)]
    procurement = procurement_table(preview)
    return tables + ([procurement] if procurement is not None else [])


# --- queries --------------------------------------------------------------------------------


def _published(today: dt.date) -> ColumnElement[bool]:
    return and_(FiscalDisclosure.published_on.is_not(None), FiscalDisclosure.published_on <= today)


def public_disclosure(session: Session, agency_code: str, year: int, stage: Stage,
                      today: dt.date) -> FiscalDisclosure | None:
    """A disclosure the public may see (its publication date reached)."""
    return session.scalars(
        select(FiscalDisclosure).join(Agency)
        .where(Agency.code == agency_code, FiscalDisclosure.year == year,
               FiscalDisclosure.stage == stage, _published(today))
        .options(selectinload(FiscalDisclosure.tables).selectinload(FiscalTable.rows),
                 selectinload(FiscalDisclosure.sangong_lines),
                 selectinload(FiscalDisclosure.procurement))).one_or_none()


def public_disclosures(session: Session, today: dt.date, *, years: list[int] | None = None,
                       agency_codes: list[str] | None = None) -> list[FiscalDisclosure]:
    """Published disclosures, newest year first, then by agency order."""
    query = (select(FiscalDisclosure).join(Agency).where(_published(today))
             .options(selectinload(FiscalDisclosure.sangong_lines),
                      selectinload(FiscalDisclosure.procurement),
                      selectinload(FiscalDisclosure.agency))
             .order_by(FiscalDisclosure.year.desc(), Agency.sort_order, Agency.code,
                       FiscalDisclosure.stage))
    if years:
        query = query.where(FiscalDisclosure.year.in_(years))
    if agency_codes:
        query = query.where(Agency.code.in_(agency_codes))
    return list(session.scalars(query))


def disclosure_years(session: Session, today: dt.date) -> list[int]:
    years = session.scalars(select(FiscalDisclosure.year).where(_published(today)).distinct())
    return sorted(years, reverse=True)


@dataclass
class StageStatus:
    """One agency's 预算 or 决算 for a year as the overview shows it."""

    stage: Stage
    disclosure: FiscalDisclosure | None
    timeliness: Timeliness | None
    days: int | None
    #: Public now (its publication date reached).
    published: bool = False


@dataclass
class OverviewEntry:
    agency: Agency
    stages: list[StageStatus]


def overview(session: Session, year: int, today: dt.date) -> list[OverviewEntry]:
    """For every agency: has it published its 预算 and 决算 of ``year``, and in time?

    A publication date in the future counts as not yet published."""
    agencies = list(session.scalars(select(Agency).order_by(Agency.sort_order, Agency.code)))
    disclosures = {(d.agency_id, d.stage): d for d in session.scalars(
        select(FiscalDisclosure).where(FiscalDisclosure.year == year))}
    entries = []
    for agency in agencies:
        stages = []
        for stage in Stage:
            disclosure = disclosures.get((agency.id, stage))
            if disclosure is None:
                stages.append(StageStatus(stage, None, None, None))
                continue
            published_on = disclosure.published_on
            if published_on is not None and published_on > today:
                published_on = None
            state = timeliness(disclosure.approved_on, published_on, today)
            days = (days_after_approval(disclosure.approved_on, published_on)
                    if published_on and disclosure.approved_on else None)
            stages.append(StageStatus(stage, disclosure, state, days, published_on is not None))
        entries.append(OverviewEntry(agency, stages))
    return entries


def published_with_document(session: Session, document_id: int,
                            today: dt.date) -> FiscalDisclosure | None:
    """The public disclosure whose catalog document is ``document_id``, if any."""
    return session.scalars(select(FiscalDisclosure).where(
        FiscalDisclosure.document_id == document_id, _published(today))).one_or_none()


def agencies_with_disclosures(session: Session) -> list[Agency]:
    """Agencies that have any disclosure saved, in their order (the comparison's filter)."""
    return list(session.scalars(
        select(Agency).where(Agency.id.in_(select(FiscalDisclosure.agency_id)))
        .order_by(Agency.sort_order, Agency.code)))


def sangong_references(session: Session, *, years: list[int] | None = None) -> list[SangongReference]:
    """Real published 三公 figures, by entity then year."""
    query = select(SangongReference).order_by(SangongReference.scope, SangongReference.entity,
                                              SangongReference.year, SangongReference.stage_label)
    if years:
        query = query.where(SangongReference.year.in_(years))
    return list(session.scalars(query))
