"""The public and staff pages of 征求意见, the feed, the home page and the API: what a citizen
and the drafting office see, comments that stay text, errors beside their fields."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from opengov.site.accounts.models import User
from opengov.site.consultations.models import Consultation, ConsultationComment
from opengov.site.consultations.service import moderation
from opengov.site.db import get_session
from tests.consultations.conftest import Publisher, SetClock

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def started(client: FlaskClient, consultation_id: int) -> str:
    page = client.get(f"/consultations/{consultation_id}").get_data(as_text=True)
    found = re.search(r'name="started" type="hidden" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def post_comment(client: FlaskClient, consultation_id: int, **fields: str) -> Any:
    data = {"text": "建议第二条增加乡镇便民服务中心。", "name": "", "phone": "", "email": "",
            "website": "", "started": started(client, consultation_id)}
    data.update(fields)
    return client.post(f"/consultations/{consultation_id}/comments", data=data)


def comment_id(serial: int) -> int:
    return get_session().scalars(select(ConsultationComment.id).where(
        ConsultationComment.serial == serial)).one()


def test_a_citizen_reads_the_draft_and_comments_without_an_account(
        client: FlaskClient, publish: Publisher, today: SetClock, db_session: Session) -> None:
    consultation_id = publish()
    page = client.get(f"/consultations/{consultation_id}").get_data(as_text=True)
    for text in ("征求意见中", "征求意见稿", "起草说明", "第一条 目的", "市财政局办公室，0000-12345611",
                 "2025-09-01 至 2025-09-15", "10个工作日", "一般不少于7个工作日", "提交意见",
                 "还剩 15 天"):
        assert text in page, text
    response = post_comment(client, consultation_id, name="李四", email="lisi@example.com")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "您的意见已收到，编号为第1条" in page
    assert "李四" not in page  # pending comments are not shown, names never


def test_comment_errors_are_shown_beside_the_field_and_keep_the_text(
        client: FlaskClient, publish: Publisher, today: SetClock) -> None:
    consultation_id = publish()
    response = post_comment(client, consultation_id, text="很长的意见" * 2000,
                            email="not-an-address")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r'<p class="field-error" id="text-error">不超过5000字', page)
    assert re.search(r'<p class="field-error" id="email-error">请填写有效的电子邮箱', page)
    assert "很长的意见很长的意见" in page  # what was typed is kept
    robot = post_comment(client, consultation_id, website="http://spam.example")
    assert robot.status_code == 422
    assert "提交过快" in robot.get_data(as_text=True)
    assert get_session().scalar(select(ConsultationComment.id)) is None


def test_a_closed_consultation_says_so_and_takes_no_more(client: FlaskClient,
                                                         publish: Publisher,
                                                         today: SetClock) -> None:
    consultation_id = publish()
    today.set(dt.date(2025, 9, 16))
    page = client.get(f"/consultations/{consultation_id}").get_data(as_text=True)
    assert "征求意见已于 2025-09-15 截止，不再接收意见" in page
    assert 'name="text"' not in page  # no form
    response = client.post(f"/consultations/{consultation_id}/comments", data={
        "text": "迟到的意见", "started": "", "website": ""})
    assert response.status_code in (409, 422)
    assert get_session().scalar(select(ConsultationComment.id)) is None


def test_comments_are_shown_as_text_never_as_markup(client: FlaskClient, publish: Publisher,
                                                    staff: dict[str, User],
                                                    today: SetClock) -> None:
    consultation_id = publish()
    assert post_comment(client, consultation_id, text=XSS).status_code == 302
    moderation.moderate(staff["editor"], consultation_id, comment_id(1), "已公开",
                        public_text=XSS + "\n第二行")
    page = client.get(f"/consultations/{consultation_id}").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    api = client.get(f"/api/v1/consultations/{consultation_id}").get_json()
    assert api["comments"][0]["text"].startswith("<script>")  # JSON carries the text as text
    staff_page = _staff_client(client, staff["editor"]).get(
        f"/staff/consultations/{consultation_id}").get_data(as_text=True)
    assert "<script>alert" not in staff_page


def _staff_client(client: FlaskClient, user: User) -> FlaskClient:
    from tests.conftest import TEST_PASSWORD

    staff_client = client.application.test_client()
    response = staff_client.post("/staff/login", data={"username": user.username,
                                                        "password": TEST_PASSWORD})
    assert response.status_code == 302
    return staff_client


def test_the_list_the_feed_and_the_home_page(client: FlaskClient, publish: Publisher,
                                             today: SetClock) -> None:
    open_id = publish(title="示例市政务公开工作要点（征求意见稿）", closes_on=dt.date(2025, 9, 30))
    closing_id = publish(closes_on=dt.date(2025, 9, 12))
    today.set(dt.date(2025, 9, 20))
    listing = client.get("/consultations").get_data(as_text=True)
    assert listing.index("示例市政务公开工作要点") < listing.index("示例市政务服务中心运行管理办法")
    opened = client.get("/consultations?status=open").get_data(as_text=True)
    assert "示例市政务公开工作要点" in opened
    assert "示例市政务服务中心运行管理办法" not in opened
    bad = client.get("/consultations?status=nope&page=abc")
    assert bad.status_code == 200
    assert "状态应为" in bad.get_data(as_text=True)
    assert client.get("/consultations?agency=nope").status_code == 404
    assert client.get("/consultations?page=9").status_code == 404
    home = client.get("/").get_data(as_text=True)
    assert "正在征求意见" in home
    assert f"/consultations/{open_id}" in home
    assert f"/consultations/{closing_id}" not in home
    feed = client.get("/consultations/feed.atom")
    assert feed.content_type.startswith("application/atom+xml")
    body = feed.get_data(as_text=True)
    assert "【征求意见中】示例市政务公开工作要点" in body
    assert "【意见整理中】" in body
    column = client.get("/columns/consultations").get_data(as_text=True)
    assert "公开征求意见的公告" in column  # its place in the catalog


def test_the_api_lists_and_shows_consultations_with_their_feedback(
        client: FlaskClient, publish: Publisher, staff: dict[str, User],
        today: SetClock) -> None:
    from opengov.site.audit.service import COMMAND_LINE
    from opengov.site.consultations.service import drafting

    consultation_id = publish()
    post_comment(client, consultation_id, name="李四", phone="13900000000",
                 email="lisi@example.com")
    moderation.moderate(staff["editor"], consultation_id, comment_id(1), "已公开")
    moderation.save_group(staff["editor"], consultation_id, None, summary="增加乡镇服务中心",
                          decision="采纳", reason="已在第二条增加。", comment_ids=[comment_id(1)])
    listing = client.get("/api/v1/consultations?status=open").get_json()
    assert listing["total"] == 1
    summary = listing["results"][0]
    assert (summary["id"], summary["phase"], summary["accepting_comments"],
            summary["comments_received"]) == (consultation_id, "征求意见中", True, 1)
    detail = client.get(f"/api/v1/consultations/{consultation_id}").get_json()
    assert detail["feedback"] is None  # not published yet
    assert detail["period"] == {"length": 10, "unit": "个工作日", "shortened": False,
                                "shortened_reason": "", "extension_note": ""}
    today.set(dt.date(2025, 9, 16))
    drafting.publish_feedback(staff["reviewer"], consultation_id, "", origin=COMMAND_LINE)
    detail = client.get(f"/api/v1/consultations/{consultation_id}").get_json()
    assert detail["feedback"]["groups"] == [{"position": 1, "summary": "增加乡镇服务中心",
                                             "decision": "采纳", "reason": "已在第二条增加。",
                                             "comment_numbers": [1]}]
    assert detail["feedback"]["counts"]["adopted"] == 1
    text = str(detail) + str(listing)
    assert "李四" not in text
    assert "13900000000" not in text
    assert "lisi" not in text
    assert client.get("/api/v1/consultations?status=x").status_code == 400
    assert client.get("/api/v1/consultations?size=1000").status_code == 400
    missing = client.get("/api/v1/consultations/999")
    assert missing.status_code == 404
    assert missing.mimetype == "application/problem+json"
    assert missing.get_json()["detail"]


def test_a_draft_is_not_public_anywhere(client: FlaskClient, staff: dict[str, User],
                                        agencies: dict[str, int], today: SetClock) -> None:
    from opengov.site.audit.service import COMMAND_LINE
    from opengov.site.consultations.service import drafting
    from tests.consultations.conftest import consultation_data

    draft = drafting.create(staff["editor"], consultation_data(agencies["czj"]),
                            origin=COMMAND_LINE)
    assert client.get(f"/consultations/{draft}").status_code == 404
    assert client.get(f"/api/v1/consultations/{draft}").status_code == 404
    assert client.get("/api/v1/consultations").get_json()["total"] == 0
    assert client.post(f"/consultations/{draft}/comments",
                       data={"text": "x", "started": "", "website": ""}).status_code in (
        404, 422)


# --- staff pages --------------------------------------------------------------------------


def test_staff_draft_review_and_publish_on_their_pages(
        client: FlaskClient, staff: dict[str, User], agencies: dict[str, int],
        today: SetClock, login: Callable[[str], None]) -> None:
    editor = _staff_client(client, staff["editor"])
    form = editor.get("/staff/consultations/new").get_data(as_text=True)
    assert "起草征求意见" in form
    data = {"agency": str(agencies["czj"]), "kind": "major_decision",
            "title": "示例市重大行政决策事项目录（征求意见稿）", "summary": "",
            "draft_text": "## 第一条\n\n正文。", "explanation": "说明。", "legal_basis": "",
            "how_to_comment": "", "contact": "办公室 0000-1", "opens_on": "2025-09-01",
            "closes_on": "2025-09-20", "shortened_reason": "", "publishes_comments": "y",
            "version": ""}
    refused = editor.post("/staff/consultations/new", data=data)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert re.search(r'id="closes_on-error">[^<]*一般不少于30日', page)
    assert "示例市重大行政决策事项目录" in page  # kept
    data["closes_on"] = "2025-10-01"
    created = editor.post("/staff/consultations/new", data=data)
    assert created.status_code == 302
    case_url = created.headers["Location"]
    assert editor.post(case_url + "/submit").status_code == 302
    reviewer = _staff_client(client, staff["reviewer"])
    case = reviewer.get(case_url).get_data(as_text=True)
    assert "审核（保密审查）" in case
    approved = reviewer.post(case_url + "/review", data={
        "review-decision": "approve", "review-opinion": "同意发布。"})
    assert approved.status_code == 302
    assert "征求意见中" in reviewer.get(case_url).get_data(as_text=True)
    consultation_id = int(case_url.rsplit("/", 1)[1])
    assert client.get(f"/consultations/{consultation_id}").status_code == 200
    other = _staff_client(client, staff["other"])
    assert other.get(case_url).status_code == 404
    handler = _staff_client(client, staff["handler"])
    assert handler.get("/staff/consultations").status_code == 403


def test_staff_moderate_group_and_publish_feedback_on_their_pages(
        client: FlaskClient, publish: Publisher, staff: dict[str, User],
        today: SetClock, db_session: Session) -> None:
    consultation_id = publish()
    post_comment(client, consultation_id, text="建议延长周末服务时间。", name="王五")
    editor = _staff_client(client, staff["editor"])
    case_url = f"/staff/consultations/{consultation_id}"
    page = editor.get(case_url).get_data(as_text=True)
    assert "王五" in page
    assert "（不公开）" in page
    cid = comment_id(1)
    refused = editor.post(f"{case_url}/comments/{cid}/moderate",
                          data={f"comment-{cid}-status": "无效", f"comment-{cid}-note": ""})
    assert refused.status_code == 422
    assert "理由" in refused.get_data(as_text=True)
    assert editor.post(f"{case_url}/groups", data={
        "group-new-summary": "延长周末服务时间", "group-new-decision": "未采纳",
        "group-new-reason": ""}).status_code == 422
    assert editor.post(f"{case_url}/groups", data={
        "group-new-summary": "延长周末服务时间", "group-new-decision": "未采纳",
        "group-new-reason": "人员不足，先推行网上办理。"}).status_code == 302
    found = get_session().get(Consultation, consultation_id)
    assert found is not None
    group_id = found.groups[0].id
    assert editor.post(f"{case_url}/comments/{cid}/moderate", data={
        f"comment-{cid}-status": "无效", f"comment-{cid}-note": "重复提交",
        f"comment-{cid}-group": str(group_id)}).status_code == 422  # an invalid one in a group
    assert editor.post(f"{case_url}/comments/{cid}/moderate", data={
        f"comment-{cid}-status": "已公开", f"comment-{cid}-public_text": "建议延长周末服务时间。",
        f"comment-{cid}-note": "", f"comment-{cid}-group": str(group_id)}).status_code == 302
    listed = editor.get(f"{case_url}?comments=published").get_data(as_text=True)
    assert "归入第1类" in listed
    assert "包含：第1条" in listed
    today.set(dt.date(2025, 9, 16))
    reviewer = _staff_client(client, staff["reviewer"])
    assert reviewer.post(f"{case_url}/feedback",
                         data={"feedback-summary": "感谢公众参与。"}).status_code == 302
    public = client.get(f"/consultations/{consultation_id}").get_data(as_text=True)
    assert "意见采纳情况" in public
    assert "人员不足，先推行网上办理" in public
    assert "第1条" in public
    assert "王五" not in public
    found = db_session.get(Consultation, consultation_id)
    assert found is not None


def test_the_participation_statistics(client: FlaskClient, publish: Publisher,
                                      today: SetClock) -> None:
    consultation_id = publish()
    post_comment(client, consultation_id)
    page = client.get("/participation/statistics?year=2025")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "互动交流统计（2025年）" in text
    assert "示例市财政局" in text
    assert client.get("/participation/statistics?year=abc").status_code == 400
    assert client.get("/participation/statistics?year=1990").status_code == 400
    data = client.get("/api/v1/participation/statistics?year=2025").get_json()
    czj = next(item for item in data["agencies"] if item["code"] == "czj")
    assert (czj["consultations"], czj["comments_received"]) == (1, 1)
