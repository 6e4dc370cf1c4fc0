"""Fixtures of the staff-managed structure, standard catalog and 找错 tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.db import unit_of_work
from opengov.site.personal_data import key_from_secret
from tests.conftest import TEST_PASSWORD
from tests.factories import make_agency


@pytest.fixture(autouse=True)
def personal_data_key(app_config: dict[str, Any]) -> None:
    """找错 contacts are encrypted: the key `opengov init` would have made."""
    app_config["PERSONAL_DATA_KEY"] = key_from_secret("structure-tests")


def signed_in(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    response = client.post("/staff/login", data={"username": username,
                                                 "password": TEST_PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def agencies(app: Flask) -> dict[str, int]:
    """The government, a department and the township 青石镇, by code → id."""
    with app.app_context(), unit_of_work() as session:
        return {code: make_agency(session, code).id for code in ("gov", "czj", "qsz")}


@pytest.fixture
def admin(app: Flask, make_user: Callable[..., User]) -> FlaskClient:
    make_user("admin1", Role.ADMIN)
    return signed_in(app, "admin1")
