"""The annual report's tables counted from the database."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from opengov.site.domain.annual_report import TOTAL_COLUMN, ReviewGroup, ReviewResult
from opengov.site.domain.catalog import Validity
from opengov.site.models import ReviewCase
from opengov.site.services.annual_report import (
    get_or_create_report,
    regulation_counts,
    report_deadline,
    review_table,
)
from tests.factories import make_agency, make_document


def test_deadlines_follow_article_49(db_session: Session) -> None:
    assert report_deadline(make_agency(db_session, "gov"), 2025) == dt.date(2026, 3, 31)
    assert report_deadline(make_agency(db_session, "czj"), 2025) == dt.date(2026, 1, 31)


def test_regulation_counts_come_from_the_agencys_documents(db_session: Session) -> None:
    make_document(db_session, genre="行政规范性文件", date_written=dt.date(2025, 3, 1),
                  published_on=dt.date(2025, 3, 5))
    make_document(db_session, genre="行政规范性文件", date_written=dt.date(2021, 3, 1),
                  published_on=dt.date(2021, 3, 5), validity=Validity.REPEALED,
                  repealed_on=dt.date(2025, 9, 1))
    make_document(db_session, genre="规章", date_written=dt.date(2024, 3, 1),
                  published_on=dt.date(2024, 3, 5))
    make_document(db_session, agency="czj", genre="规章", date_written=dt.date(2025, 3, 1),
                  published_on=dt.date(2025, 3, 5))
    counts = regulation_counts(db_session, make_agency(db_session, "gov"), 2025)
    assert (counts["行政规范性文件"].made, counts["行政规范性文件"].repealed,
            counts["行政规范性文件"].in_force) == (1, 1, 1)
    assert (counts["规章"].made, counts["规章"].repealed, counts["规章"].in_force) == (0, 0, 1)


def test_review_table_counts_the_register(db_session: Session) -> None:
    gov = make_agency(db_session, "gov")
    db_session.add_all([
        ReviewCase(agency=gov, year=2025, group=ReviewGroup.RECONSIDERATION,
                   result=ReviewResult.UPHELD),
        ReviewCase(agency=gov, year=2025, group=ReviewGroup.LITIGATION_DIRECT,
                   result=ReviewResult.PENDING),
        ReviewCase(agency=gov, year=2024, group=ReviewGroup.RECONSIDERATION,
                   result=ReviewResult.CORRECTED),
    ])
    db_session.flush()
    table = review_table(db_session, gov, 2025)
    assert table[ReviewGroup.RECONSIDERATION][TOTAL_COLUMN] == 1
    assert table[ReviewGroup.RECONSIDERATION]["结果维持"] == 1
    assert table[ReviewGroup.LITIGATION_DIRECT]["尚未审结"] == 1


def test_one_report_per_agency_and_year(db_session: Session) -> None:
    gov = make_agency(db_session, "gov")
    first = get_or_create_report(db_session, gov, 2025)
    assert get_or_create_report(db_session, gov, 2025) is first
    assert get_or_create_report(db_session, gov, 2024) is not first
