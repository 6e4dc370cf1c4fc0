"""/healthz (liveness), /healthz/ready and `opengov status` (readiness)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import text

from opengov.site import clock
from opengov.site.catalog.models import SearchOutbox
from opengov.site.cli import main
from opengov.site.db import unit_of_work
from opengov.site.mail.service import outbox


@pytest.fixture(autouse=True)
def search_index(runner: FlaskCliRunner) -> None:
    """The test's instance gets its (empty) search index, as `opengov init` makes it."""
    result = runner.invoke(main, ["index", "rebuild"])
    assert result.exit_code == 0, result.output


def checks(client: FlaskClient) -> tuple[int, dict[str, Any]]:
    response = client.get("/healthz/ready")
    body = response.get_json()
    return response.status_code, {check["name"]: check for check in body["checks"]}


def test_liveness(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_a_fresh_site_is_ready_with_warnings(client: FlaskClient, app: Flask) -> None:
    app.config["SMTP_HOST"] = ""
    status, found = checks(client)
    assert status == 200, found
    assert set(found) == {"database", "search", "search_outbox", "calendar", "mail", "disk",
                          "backup"}
    assert found["database"]["level"] == "ok"
    assert found["search"]["level"] == "ok"
    assert found["mail"]["level"] == "warning"  # no mail server configured
    assert found["backup"]["level"] == "warning"  # never backed up


def test_failing_and_stalled_search_updates(client: FlaskClient, app: Flask,
                                            runner: FlaskCliRunner) -> None:
    with app.app_context(), unit_of_work() as session:
        session.add(SearchOutbox(document_id=1, attempts=0,
                                 next_attempt_at=clock.utcnow() - dt.timedelta(minutes=30)))
    status, found = checks(client)
    assert status == 503
    assert found["search_outbox"]["level"] == "error"
    assert "是否在运行" in found["search_outbox"]["detail"]
    with app.app_context(), unit_of_work() as session:
        session.execute(text("UPDATE search_outbox SET attempts = 2, next_attempt_at = :later"),
                        {"later": clock.utcnow() + dt.timedelta(minutes=5)})
    status, found = checks(client)
    assert status == 503
    assert "失败重试 1 条" in found["search_outbox"]["detail"]
    result = runner.invoke(main, ["status"])
    assert result.exit_code == 1
    assert "✗ 搜索索引更新队列：异常" in result.output


def test_failed_notices(client: FlaskClient, app: Flask) -> None:
    app.config["SMTP_HOST"] = "127.0.0.1"
    with app.app_context(), unit_of_work() as session:
        assert outbox.enqueue(session, kind="k", to="a@example.gov.cn", subject="s", body="b")
        session.flush()
        session.execute(text("UPDATE mail_outbox SET attempts = 12, failed_at = :now"),
                        {"now": clock.utcnow()})
    status, found = checks(client)
    assert status == 503
    assert "已放弃 1 封" in found["mail"]["detail"]


def test_low_disk(client: FlaskClient, app: Flask) -> None:
    app.config["MIN_FREE_DISK_MB"] = 1 << 40
    status, found = checks(client)
    assert status == 503
    assert found["disk"]["level"] == "error"
    assert "OPENGOV_MIN_FREE_DISK_MB" in found["disk"]["detail"]


def test_search_index_missing(client: FlaskClient, app: Flask) -> None:
    app.config["WHOOSH_INDEX_DIR"] = app.config["WHOOSH_INDEX_DIR"] + "-elsewhere"
    app.extensions.pop("opengov.search", None)
    status, found = checks(client)
    assert status == 503
    assert "没有搜索索引" in found["search"]["detail"]


def test_schema_behind_the_program(client: FlaskClient, app: Flask) -> None:
    with app.app_context(), unit_of_work() as session:
        session.execute(text("UPDATE alembic_version SET version_num = '0001_initial'"))
    status, found = checks(client)
    assert status == 503
    assert "opengov upgrade" in found["database"]["detail"]


@pytest.mark.parametrize(("today", "level"), [
    (dt.datetime(2026, 6, 1, 12, 0, tzinfo=clock.CHINA), "ok"),  # next year not yet needed
    (dt.datetime(2026, 11, 20, 12, 0, tzinfo=clock.CHINA), "warning"),  # 2027 missing
    (dt.datetime(2027, 3, 1, 12, 0, tzinfo=clock.CHINA), "error"),  # deadlines guessed now
])
def test_calendar_coverage(client: FlaskClient, monkeypatch: pytest.MonkeyPatch,
                           today: dt.datetime, level: str) -> None:
    monkeypatch.setattr(clock, "now", lambda: today)
    _status, found = checks(client)
    assert found["calendar"]["level"] == level, found["calendar"]


def test_status_command(runner: FlaskCliRunner, app: Flask) -> None:
    app.config["SMTP_HOST"] = ""
    result = runner.invoke(main, ["status"])
    assert result.exit_code == 0, result.output
    assert "✓ 数据库：正常" in result.output
    assert "! 通知邮件：注意" in result.output
    as_json = runner.invoke(main, ["status", "--json"])
    assert json.loads(as_json.output)["status"] == "warning"
