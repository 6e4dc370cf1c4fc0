"""索引号 allocation, column sync and the factories' invariants."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from opengov.site.catalog.models import Category, SearchOutbox
from opengov.site.catalog.rules.metadata import COLUMNS, iter_columns
from opengov.site.catalog.service.columns import (
    issue_index_no,
    register_index_no,
    sync_categories,
)
from opengov.site.db import unit_of_work
from tests.factories import make_agency, make_document


def test_every_standard_column_exists(db_session: Session) -> None:
    slugs = set(db_session.scalars(select(Category.slug)))
    assert slugs == {column.slug for column, _ in iter_columns(COLUMNS)}
    assert sync_categories(db_session) == 0


def test_index_numbers_count_per_agency_and_year(db_session: Session) -> None:
    with unit_of_work() as session:
        gov = make_agency(session, "gov")
        czj = make_agency(session, "czj")
        assert issue_index_no(session, gov, 2025) == "007000001/2025-00001"
        assert issue_index_no(session, gov, 2025) == "007000001/2025-00002"
        assert issue_index_no(session, gov, 2026) == "007000001/2026-00001"
        assert issue_index_no(session, czj, 2025) == "007000002/2025-00001"


def test_registered_numbers_are_never_reissued(db_session: Session) -> None:
    with unit_of_work() as session:
        gov = make_agency(session, "gov")
        register_index_no(session, gov, "007000001/2011-00007")
        register_index_no(session, gov, "007000001/2011-00003")
        assert issue_index_no(session, gov, 2011) == "007000001/2011-00008"


def test_register_refuses_another_agencys_number(db_session: Session) -> None:
    with unit_of_work() as session:
        gov = make_agency(session, "gov")
        with pytest.raises(ValueError, match="机构代码"):
            register_index_no(session, gov, "007000002/2011-00001")


def test_documents_promise_an_index_update(db_session: Session) -> None:
    with unit_of_work() as session:
        document = make_document(session)
    assert document.is_public
    assert db_session.scalar(select(func.count()).select_from(SearchOutbox)
                             .where(SearchOutbox.document_id == document.id)) == 1
