"""``opengov consultations anonymise``: COMMENT_RETENTION_YEARS after a consultation closed its
commenters' names and contacts are erased; the comments and the published feedback stay."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import text
from sqlalchemy.orm import Session

from opengov.site.accounts.models import User
from opengov.site.audit.service import COMMAND_LINE
from opengov.site.cli import main
from opengov.site.consultations.service import drafting, moderation, upkeep
from opengov.site.consultations.service import public as consultations
from opengov.site.consultations.service.moderation import CommentInput
from tests.consultations.conftest import Publisher, SetClock

CLOSED = dt.date(2025, 9, 15)


def _comment(consultation_id: int, text: str, **contact: str) -> None:
    consultations.submit_comment(consultation_id, CommentInput(text=text, **contact),
                                 client="10.0.0.1")


def _closed_with_feedback(publish: Publisher, staff: dict[str, User], today: SetClock) -> int:
    """A consultation that closed on 15 September 2025 with two comments, sorted and its
    feedback published."""
    consultation_id = publish(closes_on=CLOSED)
    _comment(consultation_id, "建议延长周末服务时间。", name="李四", phone="13900000000",
             email="lisi@example.com")
    _comment(consultation_id, "建议设立夜间窗口。", email="wangwu@example.com")
    today.set(CLOSED + dt.timedelta(days=1))
    case = drafting.staff_case(staff["editor"], consultation_id)
    ids = [row.comment.id for row in case.comments]
    moderation.moderate(staff["editor"], consultation_id, ids[0], "已公开")
    moderation.moderate(staff["editor"], consultation_id, ids[1], "已收录")
    moderation.save_group(staff["editor"], consultation_id, None, summary="建议延长周末服务时间",
                          decision="部分采纳", reason="每月第一个周六上午提供服务。",
                          comment_ids=[ids[0]])
    moderation.save_group(staff["editor"], consultation_id, None, summary="建议设立夜间窗口",
                          decision="未采纳", reason="现有人员不足，先开通网上办理。",
                          comment_ids=[ids[1]])
    drafting.publish_feedback(staff["reviewer"], consultation_id, "根据意见修改了第二条。",
                              origin=COMMAND_LINE)
    return consultation_id


def _stored(session: Session, consultation_id: int) -> list[tuple[str, ...]]:
    return [tuple(str(value) for value in row) for row in session.execute(text(
        "SELECT name_enc, phone_enc, email_enc, text, public_text, status, group_id, "
        "anonymised_at FROM consultation_comments WHERE consultation_id = :id ORDER BY serial"),
        {"id": consultation_id}).all()]


def test_commenters_are_erased_and_the_feedback_stays(
        db_session: Session, publish: Publisher, staff: dict[str, User],
        today: SetClock) -> None:
    still_kept = publish(title="示例市养老服务补贴办法（征求意见稿）",
                         closes_on=dt.date(2025, 10, 31))
    _comment(still_kept, "建议提高补贴标准。", name="赵六", phone="13700000000")
    old = _closed_with_feedback(publish, staff, today)
    feedback_before = [(group.summary, group.decision, group.serials)
                       for group in consultations.detail(old).groups]

    assert upkeep.anonymise(dt.date(2030, 9, 15)).count == 0  # five years to the day: kept
    done = upkeep.anonymise(dt.date(2030, 9, 16))
    assert (done.count, done.years) == (2, 5)
    assert upkeep.anonymise(dt.date(2030, 9, 16)).count == 0  # once

    rows = _stored(db_session, old)
    assert [row[:3] for row in rows] == [("", "", "")] * 2
    assert [row[3] for row in rows] == ["建议延长周末服务时间。", "建议设立夜间窗口。"]
    assert [row[5] for row in rows] == ["已公开", "已收录"]
    assert all(row[6] != "None" and row[7] != "None" for row in rows)
    assert [(group.summary, group.decision, group.serials)
            for group in consultations.detail(old).groups] == feedback_before
    assert consultations.detail(old).consultation.feedback_summary == "根据意见修改了第二条。"
    # The other consultation closed later: its commenter is kept, decrypted for staff.
    [kept] = drafting.staff_case(staff["editor"], still_kept).comments
    assert (kept.name, kept.phone) == ("赵六", "13700000000")
    assert kept.comment.anonymised_at is None


def test_the_staff_page_says_the_commenter_was_erased(
        client: FlaskClient, login: Callable[[str], None], publish: Publisher,
        staff: dict[str, User], today: SetClock) -> None:
    consultation_id = _closed_with_feedback(publish, staff, today)
    login("czj_editor")
    page = client.get(f"/staff/consultations/{consultation_id}?comments=all")
    assert "李四" in page.get_data(as_text=True)
    upkeep.anonymise(dt.date(2031, 1, 1))
    page = client.get(f"/staff/consultations/{consultation_id}?comments=all")
    html = page.get_data(as_text=True)
    assert "李四" not in html
    assert "lisi@example.com" not in html
    assert html.count("提出人的姓名和联系方式已按保存期限删除") == 2
    assert "建议延长周末服务时间。" in html


def test_the_command_uses_the_retention_setting(app: Flask, runner: FlaskCliRunner,
                                                publish: Publisher, staff: dict[str, User],
                                                today: SetClock) -> None:
    _closed_with_feedback(publish, staff, today)
    app.config["COMMENT_RETENTION_YEARS"] = 2
    result = runner.invoke(main, ["consultations", "anonymise", "--today", "2027-09-15"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "已匿名化 0 条意见的提出人信息（征求意见结束后保存 2 年）"
    result = runner.invoke(main, ["consultations", "anonymise", "--today", "2027-09-16"])
    assert result.output.strip() == "已匿名化 2 条意见的提出人信息（征求意见结束后保存 2 年）"
