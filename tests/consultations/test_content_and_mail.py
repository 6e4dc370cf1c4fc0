"""The demo consultations of ``content/consultations`` and the e-mail to commenters when the
feedback is published (through a real SMTP server)."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from opengov.site.accounts.models import User
from opengov.site.audit.service import COMMAND_LINE
from opengov.site.cli import main
from opengov.site.config import PROJECT_ROOT
from opengov.site.consultations.models import Consultation
from opengov.site.consultations.rules import Phase
from opengov.site.consultations.service import drafting, moderation
from opengov.site.consultations.service import public as consultations
from opengov.site.consultations.service.moderation import CommentInput
from opengov.site.db import get_session
from tests.consultations.conftest import Publisher, SetClock
from tests.support.smtp import Inbox, deliver

CONTENT = PROJECT_ROOT / "content"


@pytest.fixture
def imported(runner: FlaskCliRunner, today: SetClock) -> FlaskCliRunner:
    for args in (["import-content", str(CONTENT)],
                 ["import-consultations", str(CONTENT / "consultations")]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
    return runner


def test_the_demo_has_two_closed_consultations_with_feedback_and_one_open(
        imported: FlaskCliRunner, app: Flask, today: SetClock) -> None:
    with app.app_context():
        rows = get_session().scalars(select(Consultation).order_by(Consultation.id)).all()
        phases = [consultations.detail(row.id).phase for row in rows]
        assert sorted(phases) == sorted([Phase.FEEDBACK, Phase.FEEDBACK, Phase.OPEN])
        assert all(row.is_example and row.document.index_no for row in rows)
        for row in rows:
            assert "示例" in row.explanation
            if row.feedback_published_on is not None:
                view = consultations.detail(row.id)
                assert view.groups
                assert all(group.reason for group in view.groups if group.decision != "采纳")
        opened = next(row for row in rows if consultations.detail(row.id).phase is Phase.OPEN)
        assert opened.document.published_on == today.day
        assert opened.closes_on == today.day + dt.timedelta(days=30)


def test_importing_again_changes_nothing_and_keeps_the_open_day(
        imported: FlaskCliRunner, app: Flask, today: SetClock) -> None:
    today.set(today.day + dt.timedelta(days=3))
    result = imported.invoke(main, ["import-consultations", str(CONTENT / "consultations")])
    assert result.exit_code == 0
    assert "新增 0，更新 0，未变 3" in result.output
    with app.app_context():
        opened = get_session().scalars(select(Consultation).where(
            Consultation.feedback_published_on.is_(None))).one()
        assert opened.opens_on == today.day - dt.timedelta(days=3)


def test_a_broken_file_imports_nothing(runner: FlaskCliRunner, app: Flask, tmp_path: Path,
                                       today: SetClock) -> None:
    assert runner.invoke(main, ["import-content", str(CONTENT)]).exit_code == 0
    good = (CONTENT / "consultations" / "qingshi-bianmin-fuwu-zhan-jianshe-fangan.yaml")
    (tmp_path / "good.yaml").write_text(good.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "bad.yaml").write_text("agency: nowhere\nkind: decree\ntitle: x\n",
                                       encoding="utf-8")
    result = runner.invoke(main, ["import-consultations", str(tmp_path)])
    assert result.exit_code != 0
    assert "机关 'nowhere' 不存在" in result.output
    assert "未知的 kind" in result.output
    assert "缺少 draft_text" in result.output
    with app.app_context():
        assert get_session().scalar(select(Consultation.id)) is None


def test_commenters_who_left_an_address_are_told_of_the_feedback(
        publish: Publisher, staff: dict[str, User], today: SetClock, app: Flask,
        smtp: tuple[Inbox, int], db_session: Session,
        caplog: pytest.LogCaptureFixture) -> None:
    inbox, port = smtp
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port)
    consultation_id = publish(closes_on=dt.date(2025, 9, 15))
    for text, email in (("建议一", "lisi@example.com"), ("建议二", "lisi@example.com"),
                        ("建议三", ""), ("广告", "spam@example.com")):
        consultations.submit_comment(consultation_id, CommentInput(text=text, email=email),
                                     client="10.0.0.1")
    rows = get_session().get(Consultation, consultation_id)
    assert rows is not None
    ids = {comment.serial: comment.id for comment in rows.comments}
    for serial in (1, 2, 3):
        moderation.moderate(staff["editor"], consultation_id, ids[serial], "已收录")
    moderation.moderate(staff["editor"], consultation_id, ids[4], "无效", note="广告或无实际内容")
    moderation.save_group(staff["editor"], consultation_id, None, summary="建议", decision="采纳",
                          reason="", comment_ids=[ids[1], ids[2], ids[3]])
    today.set(dt.date(2025, 9, 16))
    caplog.set_level(logging.DEBUG)
    sent = drafting.publish_feedback(staff["reviewer"], consultation_id, "",
                                     origin=COMMAND_LINE)
    assert sent == 1
    assert deliver() == 1  # queued with the publication; the mail worker sends it
    assert [message["To"] for message in inbox.messages] == ["lisi@example.com"]
    body = inbox.bodies()[0]
    assert "第1条、第2条" in body
    assert f"/consultations/{consultation_id}" in body
    ours = " ".join(record.getMessage() for record in caplog.records
                    if record.name.startswith("opengov"))
    assert "feedback notices 1 of 1 sent" in ours
    assert "lisi" not in ours
    assert "spam" not in ours
