"""`opengov deadline`, `opengov calendar …` and `opengov requests …`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy.orm import Session

from opengov.site.cli import main
from opengov.site.requests.models import InfoRequest
from opengov.site.requests.rules.clock import EventKind
from tests.requests.conftest import record

Filer = Callable[..., tuple[InfoRequest, str]]


@pytest.mark.parametrize(("args", "expected"), [
    (["2025-09-26"], "2025-10-30"),
    (["2025-09-27"], "2025-10-30"),
    (["2025-09-26", "--days", "7"], "2025-10-13"),
    (["2026-12-20"], "2027-01-15 provisional"),
    (["2026-11-02", "--days", "0"], "2026-11-02"),
])
def test_deadline(runner: FlaskCliRunner, args: list[str], expected: str) -> None:
    result = runner.invoke(main, ["deadline", *args])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == expected


def test_deadline_rejects_bad_dates(runner: FlaskCliRunner) -> None:
    result = runner.invoke(main, ["deadline", "2025-13-01"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_calendar_override_flow(runner: FlaskCliRunner, file_request: Filer,
                                db_session: Session) -> None:
    filed, _ = file_request(received_on=dt.date(2026, 12, 20))
    check = runner.invoke(main, ["calendar", "check", "--today", "2026-11-23"])
    assert check.exit_code == 1
    assert "2027年的放假安排尚未录入" in check.output
    assert runner.invoke(main, ["calendar", "check", "--today", "2026-10-31"]).exit_code == 0
    result = runner.invoke(main, ["calendar", "set", "2027-01-01", "holiday", "--note", "元旦"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(main, ["deadline", "2026-12-20"]).stdout.strip() == (
        "2027-01-18 provisional")
    listing = runner.invoke(main, ["calendar", "list", "2027"])
    assert listing.stdout.strip() == "2027-01-01 holiday 元旦"
    assert runner.invoke(main, ["calendar", "confirm", "2027", "--note", "通知"]).exit_code == 0
    assert runner.invoke(main, ["deadline", "2026-12-20"]).stdout.strip() == "2027-01-18"
    assert runner.invoke(main, ["calendar", "check", "--today", "2026-11-23"]).exit_code == 0
    db_session.expire_all()
    refreshed = db_session.get(InfoRequest, filed.id)
    assert refreshed is not None
    assert (refreshed.due_on, refreshed.due_provisional) == (dt.date(2027, 1, 18), False)
    assert runner.invoke(main, ["calendar", "unset", "2027-01-01"]).exit_code == 0
    assert runner.invoke(main, ["calendar", "unset", "2027-01-01"]).exit_code == 1


def test_requests_commands(runner: FlaskCliRunner, file_request: Filer,
                           db_session: Session) -> None:
    filed, _ = file_request()
    record(filed, EventKind.CORRECTION_REQUESTED, dt.date(2025, 10, 9),
           {"deadline": "2025-10-20"})
    remind = runner.invoke(main, ["requests", "remind", "--today", "2025-10-21"])
    assert remind.exit_code == 0, remind.output
    assert f"{filed.number} 视为放弃申请" in remind.output
    anonymise = runner.invoke(main, ["requests", "anonymise", "--today", "2035-10-22"])
    assert "已匿名化 1 件申请（保存期限 10 年）" in anonymise.output
    assert "已重新计算 0 件" in runner.invoke(main, ["requests", "recompute"]).output
