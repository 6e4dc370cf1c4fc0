"""Assemble an agency's annual report from the documents, the requests and the register."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from opengov.site.domain.annual_report import (
    REGULATION_GENRES,
    DocumentRecord,
    RegulationCounts,
    ReviewGroup,
    compute_regulation_counts,
    compute_table4,
)
from opengov.site.domain.annual_report import (
    ReviewCase as ReviewCaseRecord,
)
from opengov.site.models import Agency, AnnualReport, Document, ReviewCase

#: Art. 49: departments publish by 31 January, the government's report by 31 March.
DEPARTMENT_DEADLINE = (1, 31)
GOVERNMENT_DEADLINE = (3, 31)


def report_deadline(agency: Agency, year: int) -> dt.date:
    """The day by which the report on ``year`` must be published (条例 Art. 49)."""
    month, day = GOVERNMENT_DEADLINE if agency.kind == "government" else DEPARTMENT_DEADLINE
    return dt.date(year + 1, month, day)


def get_or_create_report(session: Session, agency: Agency, year: int) -> AnnualReport:
    report = session.scalars(select(AnnualReport).where(
        AnnualReport.agency_id == agency.id, AnnualReport.year == year)).one_or_none()
    if report is None:
        report = AnnualReport(agency=agency, year=year)
        session.add(report)
        session.flush()
    return report


def regulation_counts(session: Session, agency: Agency, year: int) -> dict[str, RegulationCounts]:
    """Table 二, 第二十条第（一）项, from the agency's 规章 and 行政规范性文件."""
    rows = session.execute(
        select(Document.genre, Document.date_written, Document.published_on,
               Document.repealed_on)
        .where(Document.agency_id == agency.id, Document.genre.in_(REGULATION_GENRES)))
    records = [DocumentRecord(genre, written, published, repealed)
               for genre, written, published, repealed in rows]
    return compute_regulation_counts(year, records)


def review_table(session: Session, agency: Agency, year: int) -> dict[ReviewGroup, dict[str, int]]:
    """Table 四 from the register."""
    cases = session.scalars(select(ReviewCase).where(ReviewCase.agency_id == agency.id,
                                                     ReviewCase.year == year))
    return compute_table4(ReviewCaseRecord(case.group, case.result) for case in cases)
