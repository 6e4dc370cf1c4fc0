"""Saving and finding the government's own reports (政府预决算). Composable: every function
takes the caller's session and never commits.

The government is the site's ROOT_AGENCY; the finance department that publishes its reports
(预算法 Art. 14 ¶1: 本级政府财政部门) is FINANCE_AGENCY. Each published report is mirrored by
a catalog document in the 财政预决算 column, in the finance department's name, so search finds
it like any other document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from flask import current_app
from sqlalchemy import ColumnElement, CompoundSelect, and_, select, union
from sqlalchemy.orm import Session, selectinload

from opengov.site.agencies.models import Agency
from opengov.site.catalog.models import Document
from opengov.site.catalog.service.columns import agency_by_code
from opengov.site.fiscal.models import (
    FiscalDisclosure,
    GovernmentReport,
    GovernmentRow,
    GovernmentTable,
)
from opengov.site.fiscal.rules.disclosures import subject_level
from opengov.site.fiscal.rules.government import (
    SPECS_BY_SLUG,
    ReportData,
    ReportKey,
    ReportStage,
    place_name,
    report_title,
    table_position,
    validate_report,
)
from opengov.site.fiscal.service.disclosures import FiscalDataError, mirror_document
from opengov.site.fiscal.service.government_tables import report_markdown


def government(session: Session) -> Agency | None:
    """The government whose budget the site publishes (setting ROOT_AGENCY)."""
    return agency_by_code(session, current_app.config["ROOT_AGENCY"])


def publisher(session: Session, government_agency: Agency) -> Agency:
    """Who publishes the government's reports: its finance department (FINANCE_AGENCY), or
    the government itself when that agency is not set up."""
    return agency_by_code(session, current_app.config["FINANCE_AGENCY"]) or government_agency


def find_report(session: Session, government_agency: Agency, year: int,
                key: ReportKey) -> GovernmentReport | None:
    return session.scalars(select(GovernmentReport).where(
        GovernmentReport.agency_id == government_agency.id, GovernmentReport.year == year,
        GovernmentReport.stage == key.stage,
        GovernmentReport.sequence == key.sequence)).one_or_none()


def save_report(session: Session, government_agency: Agency, data: ReportData, *,
                is_example: bool = False) -> GovernmentReport:
    """Create or replace the report of ``data.year`` and ``data.key``.

    Refuses data that does not add up (:class:`FiscalDataError`, row by row). With a
    publication date the catalog document is created or updated and queued for indexing.
    """
    problems = validate_report(data)
    if problems:
        raise FiscalDataError(problems)
    report = find_report(session, government_agency, data.year, data.key)
    if report is None:
        report = GovernmentReport(agency=government_agency, year=data.year, stage=data.stage,
                                  sequence=data.sequence)
        session.add(report)
    report.approved_by = data.approved_by
    report.approved_on = data.approved_on
    report.published_on = data.published_on
    report.narrative = data.narrative
    report.is_example = is_example
    # Replace, not merge: a corrected upload is the whole report again.
    report.tables.clear()
    session.flush()
    report.tables.extend(build_tables(data))
    session.flush()
    if report.published_on is not None:
        sync_report_document(session, report)
    return report


def build_tables(data: ReportData) -> list[GovernmentTable]:
    """The rows of ``data`` as table objects (saved, or shown in a preview unsaved)."""
    tables = []
    for slug, rows in sorted(data.tables.items(), key=lambda pair: table_position(pair[0])):
        spec = SPECS_BY_SLUG[slug]
        table = GovernmentTable(slug=slug, position=table_position(slug), title=spec.title,
                                columns=list(spec.amount_columns(data.stage)))
        table.rows = [GovernmentRow(position=position, code=row.code, name=row.name,
                                    level=int(subject_level(row.code)) if row.code else 0,
                                    amounts=list(row.amounts))
                      for position, row in enumerate(rows)]
        tables.append(table)
    return tables


#: The catalog's 体裁 of each report (catalog.rules.metadata.GENRES).
_GENRES = {ReportStage.BUDGET: "预算", ReportStage.ADJUSTMENT: "预算",
           ReportStage.EXECUTION: "报告", ReportStage.FINAL: "决算"}


def mirrored_documents() -> CompoundSelect[tuple[int | None]]:
    """The catalog documents that mirror a department disclosure or a government report:
    they are rebuilt from content/fiscal by ``import-fiscal``, not exported as content."""
    return union(
        select(FiscalDisclosure.document_id).where(FiscalDisclosure.document_id.is_not(None)),
        select(GovernmentReport.document_id).where(GovernmentReport.document_id.is_not(None)))


def title_of(report: GovernmentReport) -> str:
    return report_title(place_name(report.agency.name), report.year, report.key)


def sync_report_document(session: Session, report: GovernmentReport) -> Document:
    """Create or update the catalog document of a published report, in the caller's
    transaction (queued for the search index when its text changed)."""
    assert report.published_on is not None, "only published reports have documents"
    place = place_name(report.agency.name)
    label = report.key.label
    document = mirror_document(
        session, report.document, agency=publisher(session, report.agency),
        title=title_of(report),
        summary=(f"{place}{report.year}年{label}：四本预算收支、转移支付和政府债务情况，"
                 f"报表{len(report.tables)}张。" if report.tables else
                 f"{place}{report.year}年{label}。"),
        body=report_markdown(report, title_of(report)),
        genre=_GENRES[report.stage],
        keywords="政府预算、预算调整、预算执行情况、政府决算、转移支付、政府债务、财政预决算",
        date_written=report.approved_on, published_on=report.published_on)
    report.document = document
    return document


# --- queries --------------------------------------------------------------------------------


def _public(today: dt.date) -> ColumnElement[bool]:
    return and_(GovernmentReport.published_on.is_not(None),
                GovernmentReport.published_on <= today)


def reports(session: Session, government_agency: Agency, *, today: dt.date | None = None,
            years: Sequence[int] = (), with_tables: bool = False) -> list[GovernmentReport]:
    """The government's reports, public ones only when ``today`` is given; by year (newest
    first) and then in the order of the year."""
    query = select(GovernmentReport).where(GovernmentReport.agency_id == government_agency.id)
    if today is not None:
        query = query.where(_public(today))
    if years:
        query = query.where(GovernmentReport.year.in_(list(years)))
    if with_tables:
        query = query.options(selectinload(GovernmentReport.tables)
                              .selectinload(GovernmentTable.rows))
    found = list(session.scalars(query))
    return sorted(found, key=lambda report: (-report.year, report.key.sort_key()))


def public_report(session: Session, government_agency: Agency, year: int, key: ReportKey,
                  today: dt.date) -> GovernmentReport | None:
    """A report the public may see (its publication date reached), with its tables."""
    return session.scalars(
        select(GovernmentReport)
        .where(GovernmentReport.agency_id == government_agency.id,
               GovernmentReport.year == year, GovernmentReport.stage == key.stage,
               GovernmentReport.sequence == key.sequence, _public(today))
        .options(selectinload(GovernmentReport.tables).selectinload(GovernmentTable.rows))
    ).one_or_none()


def report_years(session: Session, government_agency: Agency, today: dt.date) -> list[int]:
    years = session.scalars(select(GovernmentReport.year).distinct().where(
        GovernmentReport.agency_id == government_agency.id, _public(today)))
    return sorted(years, reverse=True)


def public_report_with_document(session: Session, document_id: int,
                                today: dt.date) -> GovernmentReport | None:
    """The public report whose catalog document is ``document_id``, if any."""
    return session.scalars(select(GovernmentReport).where(
        GovernmentReport.document_id == document_id, _public(today))).one_or_none()

