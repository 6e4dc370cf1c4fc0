"""``opengov complaints anonymise``: after COMPLAINT_RETENTION_YEARS the complainant's name,
contacts and account of the case are erased; what the statistics count stays."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from opengov.site.accounts.models import User
from opengov.site.cli import main
from opengov.site.complaints.models import Complaint
from opengov.site.complaints.rules import Step
from opengov.site.complaints.service import filing, statistics, upkeep
from opengov.site.complaints.service import public as complainants
from opengov.site.complaints.service import staff as casework
from opengov.site.db import get_session, unit_of_work
from tests.complaints.conftest import RECEIVED, Filer
from tests.consultations.conftest import SetClock

ACCOUNT = "本人于2025年7月提交的申请至今未获答复。"


def _raw(session: Session, complaint: Complaint) -> str:
    """Everything stored of ``complaint``: its row and its steps."""
    row = session.execute(text("SELECT * FROM complaints WHERE id = :id"),
                          {"id": complaint.id}).one()
    events = session.execute(text("SELECT data FROM complaint_events WHERE complaint_id = :id"),
                             {"id": complaint.id}).scalars().all()
    # JSON as stored (text on SQLite, parsed on PostgreSQL), with its escapes undone.
    steps = [json.dumps(json.loads(data) if isinstance(data, str) else data, ensure_ascii=False)
             for data in events]
    return " ".join(str(value) for value in [*row, *steps])


def _answered(file_complaint: Filer, staff: dict[str, User]) -> Complaint:
    """A complaint the agency explained and the 主管部门 answered on its day of receipt."""
    complaint, _ = file_complaint()
    number = complaint.number
    casework.record_step(staff["office"], number, Step.EXPLANATION_REQUESTED, RECEIVED,
                         {"note": "赵六称其7月的申请未获答复，请说明。"})
    casework.record_step(staff["czj"], number, Step.EXPLAINED, RECEIVED,
                         {"text": "赵六的申请已于8月1日答复，邮寄至其住址。"})
    casework.record_step(staff["office"], number, Step.ANSWERED, RECEIVED,
                         {"finding": "不属实", "answer": "经查，该局已按期答复。"})
    return complaint


def test_closed_complaints_lose_what_identifies_the_complainant(
        db_session: Session, file_complaint: Filer, staff: dict[str, User],
        today: SetClock) -> None:
    answered = _answered(file_complaint, staff)
    withdrawn, _ = file_complaint(description="另一件：区住建局未公开征收补偿方案。")
    complainants.withdraw(withdrawn.id, {withdrawn.id})
    still_open, _ = file_complaint(description="仍在调查：财政局未公开预算。")
    before = sorted(statistics.facts(db_session), key=repr)  # no order of its own
    assert "赵六" in _raw(db_session, answered)

    assert upkeep.anonymise(dt.date(2035, 9, 22)).count == 0  # ten years to the day: kept
    done = upkeep.anonymise(dt.date(2035, 9, 23))
    assert (done.count, done.years) == (2, 10)
    assert upkeep.anonymise(dt.date(2035, 9, 23)).count == 0  # once

    db_session.expire_all()
    for complaint in (answered, withdrawn):
        stored = _raw(db_session, complaint)
        for personal in ("赵六", "13700000000", "zhaoliu", ACCOUNT, "住址", "征收补偿方案"):
            assert personal not in stored
        assert (complaint.name_enc, complaint.phone_enc, complaint.email_enc) == ("", "", "")
        assert complaint.description == "（已匿名化）"
        assert complaint.anonymised_at is not None
    # What the statistics and the annual report count is all still there.
    assert answered.finding == "不属实"
    assert answered.answer == "经查，该局已按期答复。"
    assert answered.answered_on == RECEIVED
    assert sorted(statistics.facts(db_session), key=repr) == before
    # The 主管部门's page says so instead of showing the complainant.
    shown = casework.case(staff["office"], answered.number)
    assert shown.complainant is None
    assert [event.data.get("text") for event in shown.complaint.events
            if event.kind == Step.EXPLAINED.value] == ["（已匿名化）"]
    # A complaint still being handled keeps everything.
    assert still_open.anonymised_at is None
    assert filing.personal_data(still_open).name == "赵六"


def test_the_page_of_an_anonymised_complaint(client: FlaskClient, login: Callable[[str], None],
                                             db_session: Session, file_complaint: Filer,
                                             staff: dict[str, User], today: SetClock) -> None:
    answered = _answered(file_complaint, staff)
    upkeep.anonymise(dt.date(2036, 1, 1))
    login("gov_handler")
    page = client.get(f"/staff/complaints/{answered.number}").get_data(as_text=True)
    assert "个人信息已按保存期限匿名化" in page
    assert "赵六" not in page
    assert "经查，该局已按期答复。" in page


def test_the_command_uses_the_retention_setting(app: Flask, runner: FlaskCliRunner,
                                                file_complaint: Filer, staff: dict[str, User],
                                                today: SetClock) -> None:
    _answered(file_complaint, staff)
    app.config["COMPLAINT_RETENTION_YEARS"] = 3
    result = runner.invoke(main, ["complaints", "anonymise", "--today", "2028-09-22"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "已匿名化 0 件投诉举报（保存期限 3 年）"
    result = runner.invoke(main, ["complaints", "anonymise", "--today", "2028-09-23"])
    assert result.output.strip() == "已匿名化 1 件投诉举报（保存期限 3 年）"
    with app.app_context():
        [erased] = get_session().scalars(select(Complaint)).all()
        assert erased.name_enc == ""


def test_a_leap_day_is_a_day_like_another(db_session: Session, file_complaint: Filer,
                                          staff: dict[str, User], today: SetClock) -> None:
    """Run on 29 February, ten years back is 28 February of a common year."""
    complaint, _ = file_complaint(received_on=dt.date(2018, 2, 27))
    with unit_of_work() as session:
        filing.record(session, session.get(Complaint, complaint.id),  # type: ignore[arg-type]
                      Step.WITHDRAWN, dt.date(2018, 2, 27))
    assert upkeep.anonymise(dt.date(2028, 2, 29)).count == 1
