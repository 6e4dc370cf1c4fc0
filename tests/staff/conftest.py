"""Fixtures of the staff back office tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from opengov.site.db import get_session
from opengov.site.models import AuditEntry
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
