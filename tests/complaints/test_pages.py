"""The complaint pages: the form with its errors and anti-robot check, the receipt, the status
page with the written answer, the staff queue and case page, and that complaints are never
public except as counts."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select

from opengov.site.accounts.models import User
from opengov.site.complaints.models import Complaint
from opengov.site.db import get_session
from tests.complaints.conftest import RECEIVED, Filer
from tests.conftest import TEST_PASSWORD
from tests.consultations.conftest import SetClock


def form_data(client: FlaskClient, agency_id: int, **overrides: str) -> dict[str, Any]:
    page = client.get("/complaints/new").get_data(as_text=True)
    started = re.search(r'name="started" type="hidden" value="([^"]+)"', page)
    assert started is not None
    data: dict[str, Any] = {
        "agency": str(agency_id), "kind": "未在法定期限内答复政府信息公开申请",
        "request_numbers": "", "description": "申请提交两个月未获答复。", "name": "赵六",
        "phone": "13700000000", "email": "", "website": "", "started": started.group(1)}
    data.update(overrides)
    return data


def signed_in(client: FlaskClient, user: User) -> FlaskClient:
    other = client.application.test_client()
    response = other.post("/staff/login", data={"username": user.username,
                                                 "password": TEST_PASSWORD})
    assert response.status_code == 302
    return other


def count() -> int:
    return get_session().scalar(select(func.count()).select_from(Complaint)) or 0


def test_file_a_complaint_and_read_the_answer(client: FlaskClient, agencies: dict[str, int],
                                              staff: dict[str, User], today: SetClock) -> None:
    form = client.get("/complaints/new").get_data(as_text=True)
    for text in ("政府信息公开投诉举报", "第四十七条", "被投诉机关", "未依法主动公开政府信息", "相关申请编号"):
        assert text in form
    response = client.post("/complaints/new", data=form_data(client, agencies["czj"]))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    number = re.search(r'id="complaint-number">([^<]+)<', page)
    code = re.search(r'id="query-code" class="code">([^<]+)<', page)
    assert number
    assert code
    assert number.group(1) == "TS-2025-000001"
    assert "2025-10-17" in page  # the due date, on the working-day calendar

    office = signed_in(client, staff["office"])
    queue = office.get("/staff/complaints").get_data(as_text=True)
    assert number.group(1) in queue
    assert 'data-colour="green"' in queue
    case_url = f"/staff/complaints/{number.group(1)}"
    case = office.get(case_url).get_data(as_text=True)
    assert "赵六" in case
    assert "13700000000" in case
    answered = office.post(case_url + "/act", data={
        "step": "answered", "on": RECEIVED.isoformat(), "finding": "属实",
        "measures": ["督促整改"], "answer": "经查属实，已督促市财政局5个工作日内答复。"})
    assert answered.status_code == 302

    citizen = client.application.test_client()
    status = citizen.post("/complaints/status", data={"number": number.group(1),
                                                      "code": code.group(1)})
    text = status.get_data(as_text=True)
    assert status.status_code == 200
    assert "已督促市财政局5个工作日内答复" in text
    assert 'id="finding">属实' in text
    assert "督促整改" in text
    assert "gov_handler" not in text  # who handled it inside is not shown


def test_errors_beside_fields_and_robots(client: FlaskClient, agencies: dict[str, int],
                                         today: SetClock) -> None:
    response = client.post("/complaints/new", data=form_data(
        client, agencies["czj"], description="", request_numbers="12345", phone="abc"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r'id="description-error">请填写投诉举报的事实和理由', page)
    assert re.search(r'id="request_numbers-error">“12345”不是申请编号', page)
    assert re.search(r'id="phone-error">请填写有效的电话号码', page)
    assert "赵六" in page
    robot = client.post("/complaints/new", data=form_data(client, agencies["czj"],
                                                           website="x"))
    assert robot.status_code == 422
    assert "提交过快" in robot.get_data(as_text=True)
    assert count() == 0


def test_the_staff_pages_keep_departments_to_their_own(client: FlaskClient,
                                                       file_complaint: Filer,
                                                       staff: dict[str, User],
                                                       today: SetClock) -> None:
    about_czj, _ = file_complaint("czj")
    about_zjj, _ = file_complaint("zjj")
    czj = signed_in(client, staff["czj"])
    queue = czj.get("/staff/complaints").get_data(as_text=True)
    assert about_czj.number in queue
    assert about_zjj.number not in queue
    assert czj.get(f"/staff/complaints/{about_zjj.number}").status_code == 404
    page = czj.get(f"/staff/complaints/{about_czj.number}").get_data(as_text=True)
    assert "赵六" not in page
    assert "13700000000" not in page
    refused = czj.post(f"/staff/complaints/{about_czj.number}/act", data={
        "step": "answered", "on": RECEIVED.isoformat(), "finding": "不属实", "answer": "已答复"})
    assert refused.status_code == 403
    assert czj.get("/staff/complaints/new").status_code == 200  # the form; entering is refused
    editor = signed_in(client, staff["editor"])
    assert editor.get("/staff/complaints").status_code == 403


def test_complaints_are_never_public(client: FlaskClient, file_complaint: Filer,
                                     today: SetClock) -> None:
    complaint, _ = file_complaint()
    for url in ("/", "/consultations", "/participation/statistics",
                "/api/v1/participation/statistics", "/feeds/all.atom", "/sitemap.xml"):
        body = client.get(url).get_data(as_text=True)
        assert complaint.number not in body
        assert "赵六" not in body
        assert "两个月" not in body
    statistics = client.get("/api/v1/participation/statistics?year=2025").get_json()
    assert statistics["total"]["complaints_received"] == 1
    # Someone else's complaint id in the withdrawal URL is answered as missing.
    other = client.application.test_client()
    assert other.post(f"/complaints/{complaint.id}/withdraw",
                      data={"confirm": "y"}).status_code == 404
