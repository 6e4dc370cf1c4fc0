"""Fixtures of the staff back office tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from opengov.site.audit.models import AuditEntry
from opengov.site.db import get_session, unit_of_work
from tests.conftest import TEST_PASSWORD


def sign_in(client: FlaskClient, username: str, password: str = TEST_PASSWORD) -> None:
    response = client.post("/staff/login", data={"username": username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)


@pytest.fixture
def client_for(app: Flask) -> Callable[[str], FlaskClient]:
    """A new test client signed in as ``username`` (several people at once)."""

    def make(username: str) -> FlaskClient:
        client = app.test_client()
        sign_in(client, username)
        return client

    return make


@pytest.fixture
def audit_actions(app: Flask) -> Callable[[], list[tuple[str, str]]]:
    """(action, username) of every audit entry so far, oldest first."""

    def read() -> list[tuple[str, str]]:
        with app.app_context():
            entries = get_session().scalars(select(AuditEntry).order_by(AuditEntry.id))
            return [(entry.action, entry.username) for entry in entries]

    return read


def document_form(category_id: int, agency_id: int, **overrides: object) -> dict[str, object]:
    """Valid editor form data; override fields to test the rules."""
    data: dict[str, object] = {
        "title": "关于做好2026年政务公开工作的通知",
        "agency": str(agency_id),
        "category": str(category_id),
        "topic": "综合政务\\政务公开",
        "genre": "行政规范性文件",
        "issuer": "示例市人民政府办公室",
        "doc_number": "示政办发〔2026〕7号",
        "date_written": "2026-01-05",
        "changed_on": "",
        "effective_on": "2026-02-01",
        "repealed_on": "",
        "keywords": "政务公开",
        "source": "",
        "disclosure": "主动公开",
        "non_disclosure_reason": "",
        "summary": "部署2026年政务公开工作。",
        "body": "## 一、总体要求\n\n做好政务公开。",
        "deadline_basis": "",
        "intent": "save",
    }
    data.update(overrides)
    return data


@pytest.fixture
def catalog_ids(app: Flask) -> dict[str, int]:
    """Ids of the root agency and a few columns."""
    from opengov.site.catalog.service.columns import category_by_slug
    from tests.factories import make_agency

    with app.app_context(), unit_of_work() as session:
        agency = make_agency(session, "gov")
        other = make_agency(session, "czj")
        ids = {"agency": agency.id, "other_agency": other.id}
        for slug in ("policies", "interpretations", "news"):
            category = category_by_slug(session, slug)
            assert category is not None
            ids[slug] = category.id
        return ids
