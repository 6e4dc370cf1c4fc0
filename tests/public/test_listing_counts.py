"""Public lists count once per change of the catalog, not on every request (issue 18 item 5),
and the counts follow every change all the same."""

from __future__ import annotations

import datetime as dt

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from opengov.site.catalog.models import Document
from opengov.site.catalog.rules.listing import DocumentFilters
from opengov.site.catalog.rules.metadata import PublicationStatus
from opengov.site.catalog.service.outbox import catalog_generation, enqueue
from opengov.site.catalog.service.public import list_documents, publication_years
from opengov.site.db import unit_of_work
from tests.factories import make_document


def test_counts_follow_every_change_that_bumps_the_catalog_generation(
        db_session: Session, client: FlaskClient) -> None:
    with unit_of_work() as session:
        first = make_document(session, title="第一份文件", published_on=dt.date(2023, 1, 2))
        make_document(session, title="第二份文件", published_on=dt.date(2024, 1, 2))
    generation = catalog_generation(db_session)
    assert generation >= 2
    assert client.get("/api/v1/documents").get_json()["total"] == 2
    assert client.get("/api/v1/documents?column=policies").get_json()["total"] == 2
    with unit_of_work() as session:
        make_document(session, title="第三份文件", category="news")
    assert catalog_generation(db_session) == generation + 1
    assert client.get("/api/v1/documents").get_json()["total"] == 3
    assert client.get("/api/v1/documents?column=policies").get_json()["total"] == 2
    with unit_of_work() as session:
        withdrawn = session.get(Document, first.id)
        assert withdrawn is not None
        withdrawn.status = PublicationStatus.WITHDRAWN
        enqueue(session, first.id)
    assert client.get("/api/v1/documents").get_json()["total"] == 2


def test_lists_merge_the_columns_of_a_family_newest_first(db_session: Session) -> None:
    with unit_of_work() as session:
        for day, column in ((1, "policies"), (3, "news"), (2, "policies"), (4, "news")):
            make_document(session, title=f"文件{day}", category=column,
                          published_on=dt.date(2024, 5, day))
    page = list_documents(db_session, DocumentFilters(), page=1, size=3)
    assert [document.title for document in page.items] == ["文件4", "文件3", "文件2"]
    assert (page.total, page.pages) == (4, 2)
    second = list_documents(db_session, DocumentFilters(), page=2, size=3)
    assert [document.title for document in second.items] == ["文件1"]
    assert publication_years(db_session) == [2024]
