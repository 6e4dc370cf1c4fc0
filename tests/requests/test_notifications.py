"""Notices of 依申请公开: queued in the mail outbox with the step, delivered by the mail
worker (`opengov mail send`) to a real SMTP server (aiosmtpd) started by the test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.cli import main
from opengov.site.db import get_session, unit_of_work
from opengov.site.mail.models import MailOutbox
from opengov.site.requests.models import InfoRequest
from opengov.site.requests.rules.clock import EventKind
from opengov.site.requests.service import handling as request_service
from opengov.site.requests.service.notifications import notify_applicant
from tests.requests.conftest import VALID_ID
from tests.support.smtp import SmtpServer

Filer = Callable[..., tuple[InfoRequest, str]]


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def app_config(app_config: dict[str, Any], smtp: SmtpServer) -> dict[str, Any]:
    app_config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp.port, SMTP_SECURITY="none")
    return app_config


def deliver(runner: FlaskCliRunner) -> str:
    result = runner.invoke(main, ["mail", "send"])
    assert result.exit_code == 0, result.output
    return result.output


def queued() -> int:
    return int(get_session().scalar(select(func.count(MailOutbox.id))
                                    .where(MailOutbox.sent_at.is_(None))) or 0)


def test_applicant_notices_are_queued_then_delivered(
        app: Flask, smtp: SmtpServer, file_request: Filer, db_session: Session,
        runner: FlaskCliRunner) -> None:
    filed, _ = file_request()
    with unit_of_work() as session:
        request = session.get(InfoRequest, filed.id)
        assert request is not None
        for what in ("confirmed", "correction_requested", "extended", "replied"):
            assert notify_applicant(session, request, what)
        assert not notify_applicant(session, request, "unknown")
    assert smtp.inbox.messages == []  # nothing is sent inside the step's transaction
    assert queued() == 4
    assert "已发出 4 封" in deliver(runner)
    inbox = smtp.inbox
    assert [m["To"] for m in inbox.messages] == ["zhangsan@example.com"] * 4
    subjects = [str(m["Subject"]) for m in inbox.messages]
    assert subjects[0] == f"政府信息公开申请已登记（{filed.number}）"
    assert "补正" in subjects[1]
    assert "延期" in subjects[2]
    assert "已答复" in subjects[3]
    assert "答复期限：2025-10-30" in inbox.bodies()[0]
    assert all(VALID_ID not in body for body in inbox.bodies())
    assert all(body.startswith("张三：") for body in inbox.bodies())  # the name, decrypted
    assert queued() == 0


def test_a_rolled_back_step_queues_nothing(app: Flask, file_request: Filer,
                                           db_session: Session) -> None:
    filed, _ = file_request()

    def failing_step() -> None:
        with unit_of_work() as session:
            request = session.get(InfoRequest, filed.id)
            assert request is not None
            assert notify_applicant(session, request, "confirmed")
            raise RuntimeError("the step failed")

    with pytest.raises(RuntimeError):
        failing_step()
    assert queued() == 0


def test_no_notice_without_server(app: Flask, file_request: Filer, db_session: Session,
                                  smtp: SmtpServer) -> None:
    app.config["SMTP_HOST"] = ""
    filed, _ = file_request()
    with unit_of_work() as session:
        request = session.get(InfoRequest, filed.id)
        assert request is not None
        assert not notify_applicant(session, request, "confirmed")
    assert queued() == 0


def test_handler_reminders_once_a_day(runner: FlaskCliRunner, smtp: SmtpServer,
                                      make_user: Callable[..., User], file_request: Filer,
                                      db_session: Session) -> None:
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
    # The timer ran twice on the last day: still one reminder.
    assert runner.invoke(main, ["requests", "remind", "--today", "2025-10-29"]).exit_code == 0
    quiet = runner.invoke(main, ["requests", "remind", "--today", "2025-10-24"])  # 4 left
    assert "答复期限" not in quiet.output
    late = runner.invoke(main, ["requests", "remind", "--today", "2025-10-31"])
    assert "已逾期1个工作日" in late.output
    deliver(runner)
    handler_mail = [m for m in smtp.inbox.messages if m["To"] == "handler1@example.gov.cn"]
    assert len(handler_mail) == 4
    assert filed.number in str(handler_mail[0]["Subject"])


def test_submitting_online_queues_the_applicants_notice(
        app: Flask, smtp: SmtpServer, client: Any, db_session: Session,
        runner: FlaskCliRunner) -> None:
    from tests.factories import make_agency
    from tests.requests.test_public_pages import form_data

    with unit_of_work() as session:
        agency = make_agency(session, "gov")
    data = {**form_data(agency.id, client), "action": "submit"}
    assert client.post("/requests/new", data=data).status_code == 200
    assert smtp.inbox.messages == []  # the page did not wait for the mail server
    deliver(runner)
    [message] = smtp.inbox.messages
    assert "政府信息公开申请已登记" in str(message["Subject"])
