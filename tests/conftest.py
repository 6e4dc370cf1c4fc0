"""Shared fixtures: the app on SQLite and on a real PostgreSQL, a client, a CLI runner,
signed-in staff, a live server and a real browser.

Tests that take ``app`` run twice: on SQLite and, marked ``postgres`` and ``slow``, on a
PostgreSQL cluster started for the session. Each test gets a fresh database copied from a
template migrated once.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from opengov.site import create_app
from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.accounts.service import users as accounts
from opengov.site.bootstrap import initialise
from opengov.site.db import get_session, unit_of_work
from tests.support.liveserver import LiveServer
from tests.support.postgres import PostgresServer
from tests.support.smtp import smtp  # noqa: F401 — the SMTP fixture for every test

SHARED = Path(__file__).resolve().parents[2] / "shared"
TEST_PASSWORD = "正确的马电池订书钉-2026"

_counter = itertools.count()


def base_config(instance: Path, database_url: str) -> dict[str, Any]:
    return {
        "INSTANCE_PATH": instance,
        "SECRET_KEY": "test-secret-key",
        "DATABASE_URL": database_url,
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        # The tests' SMTP servers (tests/support/smtp.py) are plain unless a test says so.
        "SMTP_SECURITY": "none",
    }


def _initialised_template(directory: Path, database_url: str) -> None:
    app = create_app(base_config(directory / "instance", database_url))
    with app.app_context():
        initialise()
    from opengov.site.db import get_database

    with app.app_context():
        get_database().engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("sqlite-template")
    path = directory / "template.sqlite3"
    _initialised_template(directory, f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    server = PostgresServer()
    server.start()
    try:
        admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text("CREATE DATABASE opengov_template"))
        admin.dispose()
        _initialised_template(tmp_path_factory.mktemp("pg-template"),
                              server.url("opengov_template"))
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=[pytest.mark.slow,
                                                                      pytest.mark.postgres])])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, migrated database for one test."""
    if request.param == "sqlite":
        path = tmp_path / "opengov.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = f"opengov_test_{next(_counter)}"
    admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE opengov_template'))
    admin.dispose()
    return server.url(name)


@pytest.fixture
def app_config(tmp_path: Path, database_url: str) -> dict[str, Any]:
    """Settings of the app under test; a test may change them before using ``app``."""
    return base_config(tmp_path / "instance", database_url)


@pytest.fixture
def app(app_config: dict[str, Any]) -> Iterator[Flask]:
    app = create_app(app_config)
    yield app
    from opengov.site.db import EXTENSION_KEY

    app.extensions[EXTENSION_KEY].engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def db_session(app: Flask) -> Iterator[Session]:
    """A session inside an app context, for service-level tests."""
    with app.app_context():
        yield get_session()


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    """Create a staff account with :data:`TEST_PASSWORD` through the accounts service:
    ``make_user("editor1", Role.EDITOR, Role.REVIEWER)``."""

    def make(username: str, *roles: Role, agency_id: int | None = None) -> User:
        with app.app_context(), unit_of_work() as session:
            return accounts.create_user(session, username=username, display_name=username,
                                        password=TEST_PASSWORD, roles=frozenset(roles),
                                        policy=accounts.password_policy(), agency_id=agency_id)

    return make


@pytest.fixture
def login(client: FlaskClient) -> Callable[[str], None]:
    """Sign ``username`` in on ``client`` through the real login form."""

    def sign_in(username: str, password: str = TEST_PASSWORD) -> None:
        response = client.post("/staff/login", data={"username": username, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)

    return sign_in


# --- browser tests --------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


@pytest.fixture
def live_server(app: Flask) -> Iterator[LiveServer]:
    """The app on a real port. Browser tests usually want CSRF on: set
    ``app_config["WTF_CSRF_ENABLED"] = True`` in the test's own fixture."""
    server = LiveServer(app)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium driven by Playwright (no browser download is possible here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()
