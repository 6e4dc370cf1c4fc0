"""E-mail through a real SMTP server (aiosmtpd) started by the test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy.orm import Session

from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.cli import main
from opengov.site.db import unit_of_work
from opengov.site.requests.models import InfoRequest
from opengov.site.requests.rules.clock import EventKind
from opengov.site.requests.service import handling as request_service
from opengov.site.requests.service.notifications import notify_applicant
from tests.requests.conftest import VALID_ID, Inbox

Filer = Callable[..., tuple[InfoRequest, str]]


@pytest.fixture
def app_config(app_config: dict[str, Any], smtp: tuple[Inbox, int]) -> dict[str, Any]:
    app_config["SMTP_HOST"] = "127.0.0.1"
    app_config["SMTP_PORT"] = smtp[1]
    return app_config


def test_applicant_notices(app: Flask, smtp: tuple[Inbox, int], file_request: Filer,
                           db_session: Session) -> None:
    inbox, _port = smtp
    filed, _ = file_request()
    for what in ("confirmed", "correction_requested", "extended", "replied"):
        assert notify_applicant(filed, what)
    assert [m["To"] for m in inbox.messages] == ["zhangsan@example.com"] * 4
    subjects = [str(m["Subject"]) for m in inbox.messages]
    assert subjects[0] == f"政府信息公开申请已登记（{filed.number}）"
    assert "补正" in subjects[1]
    assert "延期" in subjects[2]
    assert "已答复" in subjects[3]
    assert "答复期限：2025-10-30" in inbox.bodies()[0]
    assert all(VALID_ID not in body for body in inbox.bodies())
    assert not notify_applicant(filed, "unknown")


def test_no_mail_without_server(app: Flask, file_request: Filer, db_session: Session,
                                smtp: tuple[Inbox, int]) -> None:
    app.config["SMTP_HOST"] = ""
    filed, _ = file_request()
    assert not notify_applicant(filed, "confirmed")
    assert smtp[0].messages == []


def test_handler_reminders(runner: FlaskCliRunner, smtp: tuple[Inbox, int],
                           make_user: Callable[..., User], file_request: Filer,
                           db_session: Session) -> None:
    inbox, _port = smtp
    handler = make_user("handler1", Role.HANDLER)
    filed, _ = file_request()  # due 2025-10-30
    with unit_of_work() as session:
        account = session.get(User, handler.id)
        assert account is not None
        account.email = "handler1@example.gov.cn"
        request_service.record(session, filed, EventKind.ASSIGNED, dt.date(2025, 9, 26),
                               {"handler": "handler1", "handler_id": handler.id})
    expected = {"2025-10-23": 5, "2025-10-27": 3, "2025-10-29": 1}
    for today, left in expected.items():
        result = runner.invoke(main, ["requests", "remind", "--today", today])
        assert result.exit_code == 0, result.output
        assert f"还剩{left}个工作日" in result.output
    quiet = runner.invoke(main, ["requests", "remind", "--today", "2025-10-24"])  # 4 left
    assert "答复期限" not in quiet.output
    late = runner.invoke(main, ["requests", "remind", "--today", "2025-10-31"])
    assert "已逾期1个工作日" in late.output
    handler_mail = [m for m in inbox.messages if m["To"] == "handler1@example.gov.cn"]
    assert len(handler_mail) == 4
    assert filed.number in str(handler_mail[0]["Subject"])


def test_submitting_online_mails_the_applicant(app: Flask, smtp: tuple[Inbox, int],
                                               client: Any, db_session: Session) -> None:
    from tests.factories import make_agency
    from tests.requests.test_public_pages import form_data

    with unit_of_work() as session:
        agency = make_agency(session, "gov")
    data = {**form_data(agency.id, client), "action": "submit"}
    assert client.post("/requests/new", data=data).status_code == 200
    [message] = smtp[0].messages
    assert "政府信息公开申请已登记" in str(message["Subject"])
