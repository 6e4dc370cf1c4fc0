"""好差评: the levels and figures, rating a service item and a closed request, and the
follow-up of a 差评 on the working-day calendar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.audit.service import COMMAND_LINE
from opengov.site.exceptions import ConflictError, NotFoundError
from opengov.site.ratings.models import FollowUp, Rating
from opengov.site.ratings.rules import (
    Level,
    RatingInput,
    Subject,
    Tally,
    check_rating,
    deadline_colour,
    follow_up_due,
    percent,
    tally,
)
from opengov.site.ratings.service import followups, rating, results
from opengov.site.throttle.service import RateLimitedError
from opengov.site.workdays import service as workdays
from opengov.site.workdays.rules import WorkingCalendar
from tests.ratings.conftest import Filer
from tests.service_items.conftest import Publisher

D = dt.date


def item_rating(level: int, comment: str = "", **scores: int) -> RatingInput:
    return RatingInput(Subject.SERVICE_ITEM, {"overall": level, **scores}, comment=comment)


# --- rules --------------------------------------------------------------------------------


def test_levels_and_what_a_bad_rating_must_say() -> None:
    assert [level.label for level in Level] == ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    assert [level.is_bad for level in Level] == [False, False, False, True, True]
    assert check_rating(item_rating(5)) == {}
    assert "请写明不满意的原因" in check_rating(item_rating(2))["comment"]
    assert check_rating(item_rating(1, "窗口说材料不全，指南没写")) == {}
    assert check_rating(RatingInput(Subject.SERVICE_ITEM, {"overall": None})) == {
        "overall": "请选择整体满意度。"}
    assert "不适用" in check_rating(RatingInput(Subject.REQUEST, {"overall": 5,
                                                                  "guide_accuracy": 5}))[
        "guide_accuracy"]
    assert "请选择五个等级之一" in check_rating(item_rating(5, efficiency=9))["efficiency"]


def test_few_ratings_are_counted_not_turned_into_a_rate() -> None:
    two = tally([5, 5])
    assert (two.total, two.rate(10), percent(two.rate(10))) == (2, None, "—")
    many = tally([5] * 8 + [3, 1])
    assert many.rate(10) == 0.9
    assert percent(many.rate(10)) == "90.0%"
    assert (many.good, many.bad) == (9, 1)
    assert Tally().rate(1) is None


def test_a_bad_rating_is_followed_up_within_fifteen_working_days() -> None:
    calendar = WorkingCalendar()
    # Rated on the Friday before the National Day holiday of 2025 (1–8 October off, Sunday
    # 28 September and Saturday 11 October worked): the 15 working days run to 23 October.
    due = follow_up_due(calendar, D(2025, 9, 26), 15)
    assert due.date == D(2025, 10, 23)
    assert "评价日期2025-09-26的次日起算第15个工作日" in due.explanation
    assert [deadline_colour(days) for days in (None, 10, 5, 0, -1)] == [
        "none", "green", "yellow", "yellow", "red"]


# --- rating a service item ------------------------------------------------------------------


def test_rating_an_item_and_the_limits_without_an_account(
        app: Flask, db_session: Session, publish_item: Publisher) -> None:
    item_id = publish_item()
    rated = rating.rate_item(item_id, item_rating(5, efficiency=4), client="10.0.0.1")
    assert not rated.is_bad
    assert rated.follow_up_due is None
    with pytest.raises(RateLimitedError, match="今天已经评价过这个事项"):
        rating.rate_item(item_id, item_rating(4), client="10.0.0.1")
    other = publish_item("SL-MZ-002")
    rating.rate_item(other, item_rating(4), client="10.0.0.2")
    app.config["RATING_LIMIT"] = 1
    third = publish_item("SL-MZ-003")
    with pytest.raises(RateLimitedError, match="一小时后再试"):
        rating.rate_item(third, item_rating(4), client="10.0.0.2")
    with pytest.raises(rating.InvalidRatingError) as refused:
        rating.rate_item(third, item_rating(1), client="10.0.0.3")
    assert set(refused.value.problems) == {"comment"}
    with pytest.raises(NotFoundError):
        rating.rate_item(999, item_rating(5), client="10.0.0.4")
    stored = db_session.scalars(select(Rating).order_by(Rating.id)).all()
    assert [(row.level, row.scores) for row in stored] == [(5, {"efficiency": 4}), (4, {})]


def test_a_bad_rating_opens_a_follow_up_and_keeps_the_contact_encrypted(
        app: Flask, db_session: Session, publish_item: Publisher,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "today", lambda: D(2025, 9, 26))
    item_id = publish_item()
    rated = rating.rate_item(item_id, RatingInput(
        Subject.SERVICE_ITEM, {"overall": 1}, comment="指南写的材料和窗口要的不一样",
        contact="13800000000"), client="10.0.0.1")
    assert rated.is_bad
    assert rated.follow_up_due == D(2025, 10, 23)
    row = db_session.scalars(select(Rating)).one()
    assert "13800000000" not in row.contact_enc
    assert row.contact_enc
    follow_up = db_session.scalars(select(FollowUp)).one()
    assert (follow_up.stage, follow_up.due_on) == ("待回访", D(2025, 10, 23))


# --- rating a closed request -----------------------------------------------------------------


def test_the_applicant_rates_a_closed_request_once_with_the_query_code(
        app: Flask, db_session: Session, closed_request: Filer) -> None:
    filed, code = closed_request()
    good = RatingInput(Subject.REQUEST, {"overall": 4, "efficiency": 5})
    with pytest.raises(NotFoundError, match="申请编号或查询码不正确"):
        rating.rate_request(filed.number, "WRONG-CODE", good, client="10.0.0.1")
    rated = rating.rate_request(filed.number, code, good, client="10.0.0.1")
    assert rated.agency_name == "示例市民政局"
    with pytest.raises(ConflictError, match="只能评价一次"):
        rating.rate_request(filed.number, code, good, client="10.0.0.1")
    still_open, open_code = closed_request(answered=False)
    with pytest.raises(ConflictError, match="申请办结后才能评价"):
        rating.rate_request(still_open.number, open_code, good, client="10.0.0.1")
    row = db_session.scalars(select(Rating)).one()
    assert (row.subject, row.request_id, row.agency.code) == ("request", filed.id, "mzj")


def test_wrong_codes_count_against_the_status_limit(
        app: Flask, db_session: Session, closed_request: Filer) -> None:
    filed, _code = closed_request()
    app.config["REQUEST_STATUS_LIMIT"] = 2
    good = RatingInput(Subject.REQUEST, {"overall": 5})
    for _attempt in range(2):
        with pytest.raises(NotFoundError):
            rating.rate_request(filed.number, "GUESS", good, client="10.9.9.9")
    with pytest.raises(RateLimitedError):
        rating.rate_request(filed.number, "GUESS", good, client="10.9.9.9")


# --- the follow-up -------------------------------------------------------------------------


def test_staff_call_back_and_rectify_and_the_contact_is_then_erased(
        app: Flask, db_session: Session, publish_item: Publisher, staff: dict[str, User],
        make_user: Callable[..., User], agencies: dict[str, int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "today", lambda: D(2025, 9, 26))
    item_id = publish_item()
    rating.rate_item(item_id, RatingInput(Subject.SERVICE_ITEM, {"overall": 2},
                                          comment="等了很久没人接待", contact="zhang@example.com"),
                     client="10.0.0.1")
    handler = make_user("mz-handler", Role.HANDLER, agency_id=agencies["mzj"])
    assert followups.queue(handler).rows == []  # item ratings go to those who keep the guide
    assert followups.queue(staff["other"]).rows == []  # another agency's staff
    [row] = followups.queue(staff["editor"]).rows
    assert (row.days_left, row.colour) == (15, "green")
    page = followups.follow_up_page(staff["editor"], row.follow_up.id)
    assert page.contact == "zhang@example.com"

    monkeypatch.setattr(clock, "today", lambda: D(2025, 10, 16))
    [row] = followups.queue(staff["editor"]).rows
    assert (row.days_left, row.colour) == (5, "yellow")
    with pytest.raises(followups.FollowUpError) as refused:
        followups.record_callback(staff["editor"], row.follow_up.id, on=D(2025, 10, 17),
                                  method="打电话", note="好", origin=COMMAND_LINE)
    assert set(refused.value.problems) == {"on", "method", "note"}
    followups.record_callback(staff["editor"], row.follow_up.id, on=D(2025, 10, 16),
                              method="电子邮件", note="已致歉并说明窗口排队情况",
                              origin=COMMAND_LINE)
    followups.record_rectification(staff["reviewer"], row.follow_up.id, verdict="属实",
                                   text="增设高峰时段窗口，指南补充预约方式。", on=D(2025, 10, 16),
                                   origin=COMMAND_LINE)
    closed = db_session.get(FollowUp, row.follow_up.id, populate_existing=True)
    assert closed is not None
    assert (closed.stage, closed.closed_on) == ("已办结", D(2025, 10, 16))
    assert closed.rating.contact_enc == ""
    with pytest.raises(ConflictError):
        followups.record_callback(staff["editor"], closed.id, on=D(2025, 10, 16),
                                  method="电话", note="再次回访记录", origin=COMMAND_LINE)
    figures = results.ratings_page()
    [agency] = figures.agencies
    assert (agency.items.bad, agency.items.bad_closed, agency.items.bad_closed_on_time) == (
        1, 1, 1)


def test_a_calendar_change_moves_every_open_deadline(
        app: Flask, db_session: Session, publish_item: Publisher,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "today", lambda: D(2025, 9, 26))
    item_id = publish_item()
    rating.rate_item(item_id, item_rating(1, "完全没有按指南办理"), client="10.0.0.1")
    workdays.set_override(D(2025, 10, 21), False, "示例：临时调休", actor=None)
    follow_up = db_session.scalars(select(FollowUp).execution_options(
        populate_existing=True)).one()
    assert follow_up.due_on == D(2025, 10, 24)
    workdays.remove_override(D(2025, 10, 21))
    db_session.expire_all()
    assert db_session.scalars(select(FollowUp)).one().due_on == D(2025, 10, 23)


def test_request_ratings_go_to_the_agencys_handlers(
        app: Flask, db_session: Session, closed_request: Filer, staff: dict[str, User],
        make_user: Callable[..., User], agencies: dict[str, int]) -> None:
    filed, code = closed_request()
    rating.rate_request(filed.number, code, RatingInput(
        Subject.REQUEST, {"overall": 2}, comment="答复超过了期限才收到"), client="10.0.0.1")
    handler = make_user("mz-handler", Role.HANDLER, agency_id=agencies["mzj"])
    assert [row.follow_up.rating.request_id for row in followups.queue(handler).rows] == [
        filed.id]
    assert followups.queue(staff["editor"]).rows == []
    with pytest.raises(NotFoundError):
        followups.follow_up_page(staff["editor"], followups.queue(handler).rows[0].follow_up.id)


def test_public_figures_are_honest_with_small_numbers(
        app: Flask, client: FlaskClient, db_session: Session, publish_item: Publisher) -> None:
    item_id = publish_item()
    rating.rate_item(item_id, item_rating(5), client="10.0.0.1")
    rating.rate_item(item_id, item_rating(1, "一个不该公开的评价意见"), client="10.0.0.2")
    page = client.get("/ratings").get_data(as_text=True)
    assert "评价 2 条，少于 3 条，暂不计算满意率" in page
    assert "一个不该公开的评价意见" not in page  # comments are for the follow-up only
    rating.rate_item(item_id, item_rating(4), client="10.0.0.3")
    page = client.get("/ratings").get_data(as_text=True)
    assert "满意率 <strong>66.7%</strong>（2/3）" in page
    item_page = client.get(f"/service-items/{item_id}/rating").get_data(as_text=True)
    assert "满意率 <strong>66.7%</strong>" in item_page
    assert "差评 1 条" in item_page


def test_rating_pages_keep_what_was_typed_and_say_what_is_wrong(
        app: Flask, client: FlaskClient, db_session: Session, publish_item: Publisher,
        closed_request: Filer) -> None:
    item_id = publish_item()
    missing = client.post(f"/service-items/{item_id}/rating", data={"comment": "还行"})
    assert missing.status_code == 422
    assert "请选择整体满意度" in missing.get_data(as_text=True)
    bad = client.post(f"/service-items/{item_id}/rating", data={"overall": "1"})
    assert bad.status_code == 422
    assert "请写明不满意的原因" in bad.get_data(as_text=True)
    done = client.post(f"/service-items/{item_id}/rating",
                       data={"overall": "1", "comment": "材料清单和窗口要求不一致"})
    assert done.status_code == 200
    assert "将于" in done.get_data(as_text=True)
    again = client.post(f"/service-items/{item_id}/rating", data={"overall": "5"})
    assert again.status_code == 429

    filed, code = closed_request()
    form = client.get(f"/requests/rating?number={filed.number}").get_data(as_text=True)
    assert f'value="{filed.number}"' in form
    wrong = client.post("/requests/rating", data={"number": filed.number, "code": "X",
                                                  "overall": "5"})
    assert wrong.status_code == 404
    assert "申请编号或查询码不正确" in wrong.get_data(as_text=True)
    ok = client.post("/requests/rating", data={"number": filed.number, "code": code,
                                               "overall": "5"})
    assert ok.status_code == 200
    twice = client.post("/requests/rating", data={"number": filed.number, "code": code,
                                                  "overall": "5"})
    assert twice.status_code == 409
