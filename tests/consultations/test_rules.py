"""The pure rules of 征求意见: periods per kind, phases, moderation, feedback, the notice."""

from __future__ import annotations

import datetime as dt

import pytest

from opengov.site.consultations.rules import (
    KINDS_BY_CODE,
    CommentFacts,
    CommentStatus,
    Decision,
    GroupFacts,
    NoticeText,
    Phase,
    days_left,
    earliest_close,
    feedback_counts,
    feedback_problems,
    group_problem,
    is_shortened,
    moderation_problem,
    notice_markdown,
    parse_list_query,
    period_length,
    period_problem,
    phase,
)
from opengov.site.workdays.rules import WorkingCalendar

CALENDAR = WorkingCalendar()
MAJOR = KINDS_BY_CODE["major_decision"]
NORMATIVE = KINDS_BY_CODE["normative"]


def test_thirty_days_count_from_the_day_after_publication() -> None:
    opens = dt.date(2025, 3, 1)
    assert period_length(MAJOR, opens, dt.date(2025, 3, 31), CALENDAR) == 30
    assert earliest_close(MAJOR, opens, CALENDAR) == dt.date(2025, 3, 31)
    assert period_problem(MAJOR, opens, dt.date(2025, 3, 31), "", CALENDAR) is None
    problem = period_problem(MAJOR, opens, dt.date(2025, 3, 30), "", CALENDAR)
    assert problem is not None
    assert "一般不少于30日" in problem
    assert "仅29日" in problem
    assert "2025-03-31" in problem


def test_working_days_skip_the_national_day_holiday() -> None:
    # Published on 30 September 2025: 1–8 October are holidays, 11 October a 调休 workday.
    opens = dt.date(2025, 9, 30)
    assert earliest_close(NORMATIVE, opens, CALENDAR) == dt.date(2025, 10, 16)
    assert period_length(NORMATIVE, opens, dt.date(2025, 10, 15), CALENDAR) == 6
    assert period_problem(NORMATIVE, opens, dt.date(2025, 10, 15), "", CALENDAR)
    assert period_problem(NORMATIVE, opens, dt.date(2025, 10, 16), "", CALENDAR) is None


def test_a_shorter_period_needs_a_stated_reason() -> None:
    opens, closes = dt.date(2025, 3, 1), dt.date(2025, 3, 10)
    assert period_problem(MAJOR, opens, closes, "  ", CALENDAR)
    assert period_problem(MAJOR, opens, closes, "防汛形势紧急，需尽快出台。", CALENDAR) is None
    assert is_shortened(MAJOR, opens, closes, CALENDAR)
    assert period_problem(MAJOR, opens, opens, "紧急", CALENDAR) == "征求意见截止日期应晚于开始日期。"


def test_other_consultations_have_no_minimum() -> None:
    other = KINDS_BY_CODE["other"]
    assert period_problem(other, dt.date(2025, 3, 1), dt.date(2025, 3, 2), "", CALENDAR) is None


@pytest.mark.parametrize(("status", "published_on", "today", "feedback", "expected"), [
    ("draft", None, dt.date(2025, 3, 1), None, Phase.DRAFT),
    ("submitted", None, dt.date(2025, 3, 1), None, Phase.IN_REVIEW),
    ("published", dt.date(2025, 3, 5), dt.date(2025, 3, 4), None, Phase.SCHEDULED),
    ("published", dt.date(2025, 3, 5), dt.date(2025, 3, 5), None, Phase.OPEN),
    ("published", dt.date(2025, 3, 5), dt.date(2025, 3, 31), None, Phase.OPEN),
    ("published", dt.date(2025, 3, 5), dt.date(2025, 4, 1), None, Phase.CLOSED),
    ("published", dt.date(2025, 3, 5), dt.date(2025, 4, 9), dt.date(2025, 4, 8), Phase.FEEDBACK),
    ("withdrawn", dt.date(2025, 3, 5), dt.date(2025, 3, 6), None, Phase.WITHDRAWN),
])
def test_phases(status: str, published_on: dt.date | None, today: dt.date,
                feedback: dt.date | None, expected: Phase) -> None:
    assert phase(document_status=status, published_on=published_on,
                 closes_on=dt.date(2025, 3, 31), feedback_published_on=feedback,
                 today=today) is expected


def test_days_left_counts_the_last_day() -> None:
    assert days_left(dt.date(2025, 3, 31), dt.date(2025, 3, 31)) == 1
    assert days_left(dt.date(2025, 3, 31), dt.date(2025, 4, 1)) == 0


def test_moderation_refusals() -> None:
    assert moderation_problem(CommentStatus.PUBLISHED, publishes_comments=False,
                              public_text="好", note="")
    assert moderation_problem(CommentStatus.INVALID, publishes_comments=True, public_text="x",
                              note="")
    assert moderation_problem(CommentStatus.PUBLISHED, publishes_comments=True,
                              public_text="建议延长服务时间", note="") is None
    assert moderation_problem(CommentStatus.RECORDED, publishes_comments=False, public_text="",
                              note="") is None


def test_groups_not_adopted_state_why() -> None:
    assert group_problem("", "采纳", "") == "请概括这一类意见的内容。"
    assert group_problem("延长办理时间", "未采纳", "") == "“未采纳”的意见须说明理由。"
    assert group_problem("延长办理时间", "部分采纳", "") == "“部分采纳”的意见须说明理由。"
    assert group_problem("延长办理时间", "采纳", "") is None
    assert group_problem("延长办理时间", "", "") is None  # not decided yet


def test_feedback_waits_for_the_end_moderation_and_grouping() -> None:
    comments = [CommentFacts(1, CommentStatus.PUBLISHED, True),
                CommentFacts(2, CommentStatus.PENDING, False),
                CommentFacts(3, CommentStatus.RECORDED, False),
                CommentFacts(4, CommentStatus.INVALID, False)]
    groups = [GroupFacts("延长时间", Decision.NOT_ADOPTED.value, "", 1)]
    problems = feedback_problems(phase_now=Phase.OPEN, comments=comments, groups=groups,
                                 summary="")
    assert problems == ["征求意见期限届满后才能公布意见采纳情况。", "还有未审核的意见：第2条。",
                        "还有未归类的有效意见：第3条。", "第1类意见“未采纳”，须说明理由。"]
    done = [CommentFacts(1, CommentStatus.PUBLISHED, True),
            CommentFacts(4, CommentStatus.INVALID, False)]
    assert feedback_problems(phase_now=Phase.CLOSED, comments=done, groups=[
        GroupFacts("延长时间", Decision.ADOPTED.value, "", 1)], summary="") == []
    assert feedback_problems(phase_now=Phase.CLOSED, comments=[], groups=[], summary="")
    assert feedback_problems(phase_now=Phase.CLOSED, comments=[], groups=[],
                             summary="征求意见期间未收到意见。") == []


def test_counts_leave_invalid_comments_out() -> None:
    counts = feedback_counts([(CommentStatus.PUBLISHED, "采纳"), (CommentStatus.RECORDED, "部分采纳"),
                              (CommentStatus.RECORDED, "未采纳"), (CommentStatus.INVALID, ""),
                              (CommentStatus.PENDING, "")])
    assert (counts.received, counts.valid, counts.adopted, counts.partly,
            counts.not_adopted) == (4, 3, 1, 1, 1)


def test_the_notice_says_until_when_and_publishes_no_comment() -> None:
    notice = NoticeText(
        agency_name="示例市财政局", title="示例办法（征求意见稿）", kind=MAJOR,
        closes_on=dt.date(2025, 3, 31), page_url="/consultations/7", draft_text="## 第一条",
        explanation="起草说明正文", legal_basis="《条例》", how_to_comment="来信请寄人民路1号。",
        contact="办公室 0000-1", shortened_reason="情况紧急",
        feedback_published_on=dt.date(2025, 4, 10),
        groups=(GroupFacts("建议延长时间", "未采纳", "与上位法不符", 2),),
        counts=feedback_counts([(CommentStatus.PUBLISHED, "未采纳")] * 2))
    text = notice_markdown(notice)
    assert "2025年3月31日（含当日）前" in text
    assert "[征求意见页面](/consultations/7)" in text
    assert "缩短征求意见期限的理由：**情况紧急" in text
    assert "## 意见采纳情况" in text
    assert "与上位法不符" in text
    assert "**未采纳**（2条）" in text


def test_list_parameters_are_checked() -> None:
    query = parse_list_query({"status": "open", "page": "2"}, default_size=20)
    assert (query.status.value, query.page, query.errors) == ("open", 2, ())
    bad = parse_list_query({"status": "x", "page": "0", "agency": "财政"}, default_size=20)
    assert [name for name, _ in bad.errors] == ["status", "agency", "page"]
    assert bad.page == 1
