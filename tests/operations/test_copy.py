"""`opengov db copy --to URL`: a whole site from SQLite to PostgreSQL and back, verified by
row counts and checksums; the copy then serves, and new rows get new ids."""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import create_engine, select, text

from opengov.site import create_app
from opengov.site.accounts.models import User
from opengov.site.cli import main
from opengov.site.db import get_database, get_session, make_engine, unit_of_work
from opengov.site.operations.service.copying import fingerprints
from opengov.site.requests.models import InfoRequest
from opengov.site.requests.service import handling
from tests.factories import make_agency, make_application
from tests.operations.conftest import populate
from tests.support.postgres import PostgresServer

_names = itertools.count()


def copy(runner: FlaskCliRunner, url: str) -> str:
    result = runner.invoke(main, ["db", "copy", "--to", url])
    assert result.exit_code == 0, result.output
    assert "行数与校验和一致" in result.output
    return result.output


@pytest.fixture
def database_url(tmp_path: Path, sqlite_template: Path) -> str:
    """Every copy here starts from SQLite, the way a county's site grows."""
    path = tmp_path / "opengov.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


def test_sqlite_to_sqlite_and_refusals(app: Flask, make_user: Callable[..., User],
                                       runner: FlaskCliRunner, tmp_path: Path,
                                       app_config: dict[str, Any]) -> None:
    populate(app, make_user)
    url = f"sqlite:///{tmp_path / 'copy.sqlite3'}"
    output = copy(runner, url)
    assert "info_requests: 1 行" in output
    with app.app_context():
        source = fingerprints(get_database().engine)
    target = make_engine(url)
    try:
        assert fingerprints(target) == source
    finally:
        target.dispose()
    again = runner.invoke(main, ["db", "copy", "--to", url])
    assert again.exit_code == 1
    assert "目标数据库不是空的" in again.output
    same = runner.invoke(main, ["db", "copy", "--to", app_config["DATABASE_URL"]])
    assert same.exit_code == 1
    assert "就是当前网站使用的数据库" in same.output
    other = runner.invoke(main, ["db", "copy", "--to", "mysql://x@y/z"])
    assert other.exit_code == 1
    assert "只支持" in other.output


def test_an_unknown_table_stops_the_copy(app: Flask, runner: FlaskCliRunner, tmp_path: Path,
                                         app_config: dict[str, Any]) -> None:
    with app.app_context(), unit_of_work() as session:
        session.execute(text("CREATE TABLE local_notes (id INTEGER PRIMARY KEY)"))
    result = runner.invoke(main, ["db", "copy", "--to", f"sqlite:///{tmp_path / 'c.sqlite3'}"])
    assert result.exit_code == 1
    assert "local_notes" in result.output


@pytest.mark.slow
@pytest.mark.postgres
def test_sqlite_to_postgresql_and_back(app: Flask, make_user: Callable[..., User],
                                       runner: FlaskCliRunner, tmp_path: Path,
                                       app_config: dict[str, Any],
                                       request: pytest.FixtureRequest) -> None:
    number = populate(app, make_user)
    with app.app_context():
        original = fingerprints(get_database().engine)
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = f"opengov_copy_{next(_names)}"
    admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    postgres_url = server.url(name)
    copy(runner, postgres_url)

    # The site runs on the copy: it reads what was there and adds rows with new ids.
    on_postgres = create_app({**app_config, "DATABASE_URL": postgres_url})
    with on_postgres.app_context():
        assert fingerprints(get_database().engine) == original
        found = get_session().scalars(select(InfoRequest).where(
            InfoRequest.number == number)).one()
        assert handling.personal_data(found).email == "zhangsan@example.com"
        with unit_of_work() as session:
            filed, _ = handling.file_request(session, make_agency(session, "gov"),
                                             make_application(description="迁移后的申请"),
                                             handling.Channel.IN_PERSON,
                                             dt.date(2025, 10, 9), refuse_duplicates=False)
        assert filed.id > found.id
        added = fingerprints(get_database().engine)
        back_runner = on_postgres.test_cli_runner()
        sqlite_url = f"sqlite:///{tmp_path / 'back.sqlite3'}"
        copy(back_runner, sqlite_url)
        get_database().engine.dispose()
    back = make_engine(sqlite_url)
    try:
        assert fingerprints(back) == added
    finally:
        back.dispose()
