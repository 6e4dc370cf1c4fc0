"""Complaint notices through a real SMTP server, and ``opengov complaints remind``."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from opengov.site.accounts.models import User
from opengov.site.cli import main
from opengov.site.complaints.rules import Step
from opengov.site.complaints.service import public as complainants
from opengov.site.complaints.service import staff as casework
from opengov.site.db import unit_of_work
from tests.complaints.conftest import RECEIVED, Filer, complaint_input
from tests.consultations.conftest import SetClock
from tests.support.smtp import Inbox, deliver


@pytest.fixture
def mailing(app: Flask, smtp: tuple[Inbox, int], staff: dict[str, User]) -> Inbox:
    inbox, port = smtp
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port)
    with unit_of_work() as session:
        for user in staff.values():
            session.get(User, user.id).email = f"{user.username}@gov.example"  # type: ignore[union-attr]
    return inbox


def test_the_complainant_and_the_office_are_told(mailing: Inbox, agencies: dict[str, int],
                                                 staff: dict[str, User], today: SetClock,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    filed = complainants.submit_complaint(complaint_input(agencies["czj"]), client="10.0.0.1")
    assert mailing.messages == []  # queued with the complaint; the mail worker sends them
    deliver()
    recipients = sorted(message["To"] for message in mailing.messages)
    assert recipients == ["gov_handler@gov.example", "zhaoliu@example.com"]
    to_office = next(m for m in mailing.messages if m["To"] == "gov_handler@gov.example")
    office_text = str(to_office.get_content())
    assert filed.complaint.number in office_text
    assert "赵六" not in office_text
    assert "13700000000" not in office_text
    mailing.messages.clear()
    casework.record_step(staff["office"], filed.complaint.number, Step.EXPLANATION_REQUESTED,
                         RECEIVED, {"note": "请说明答复情况。"})
    deliver()
    assert [m["To"] for m in mailing.messages] == ["czj_handler@gov.example"]
    assert "赵六" not in str(mailing.messages[0].get_content())
    mailing.messages.clear()
    casework.record_step(staff["office"], filed.complaint.number, Step.ANSWERED, RECEIVED,
                         {"finding": "不属实", "answer": "经查，该局已按期答复。"})
    deliver()
    assert [m["To"] for m in mailing.messages] == ["zhaoliu@example.com"]
    assert "已于2025-09-22作出书面答复" in str(mailing.messages[0].get_content())
    ours = " ".join(r.getMessage() for r in caplog.records if r.name.startswith("opengov"))
    assert "zhaoliu" not in ours
    assert "赵六" not in ours


def test_remind_mails_the_handlers_before_and_after_the_due_date(
        mailing: Inbox, runner: FlaskCliRunner, file_complaint: Filer, staff: dict[str, User],
        today: SetClock) -> None:
    due_soon, _ = file_complaint(received_on=dt.date(2025, 9, 1))  # due 22 September
    file_complaint()  # due 17 October: nothing yet
    result = runner.invoke(main, ["complaints", "remind", "--today", "2025-09-19"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"{due_soon.number} 答复期限 2025-09-22 还剩1个工作日"
    deliver()
    assert [m["To"] for m in mailing.messages] == ["gov_handler@gov.example"]
    result = runner.invoke(main, ["complaints", "remind", "--today", "2025-09-17"])
    assert result.output.strip() == f"{due_soon.number} 答复期限 2025-09-22 还剩3个工作日"
    result = runner.invoke(main, ["complaints", "remind", "--today", "2025-09-18"])
    assert result.output.strip() == ""  # 2 working days left: no reminder that day
    result = runner.invoke(main, ["complaints", "remind", "--today", "2025-09-24"])
    assert "已逾期2个工作日" in result.output
    result = runner.invoke(main, ["complaints", "recompute"])
    assert result.exit_code == 0
    assert "已重新计算 2 件" in result.output
