"""The public request form, confirmation step, status page, 补正 answer and letters."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.db import unit_of_work
from opengov.site.requests.models import InfoRequest
from opengov.site.requests.rules.clock import EventKind
from opengov.site.requests.service import steps
from tests.factories import make_agency
from tests.requests.conftest import VALID_ID, VALID_USCC


@pytest.fixture
def agency_id(db_session: Session) -> int:
    with unit_of_work() as session:
        return make_agency(session, "czj").id


def form_data(agency_id: int, client: FlaskClient, **overrides: str) -> dict[str, Any]:
    page = client.get("/requests/new").get_data(as_text=True)
    started = re.search(r'name="started" type="hidden" value="([^"]+)"', page)
    assert started is not None
    data: dict[str, Any] = {
        "agency": str(agency_id), "applicant_kind": "自然人", "org_type": "",
        "name": "张三", "id_type": "居民身份证", "id_number": VALID_ID,
        "phone": "13800000000", "email": "zhangsan@example.com", "address": "示例市人民路100号",
        "postcode": "100000", "doc_title": "", "doc_number": "示财发〔2024〕5号",
        "description": "2024年度部门预算调整情况", "carrier": "电子", "delivery": "电子邮件",
        "started": started.group(1), "website": "", "action": "review",
    }
    data.update(overrides)
    return data


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(InfoRequest)) or 0


def test_form_renders_every_art29_field(client: FlaskClient, agency_id: int) -> None:
    page = client.get("/requests/new").get_data(as_text=True)
    for label in ("申请人类型", "自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织",
                  "法律服务机构", "姓名或者名称", "证件号码", "联系电话", "电子邮箱", "通信地址",
                  "所需信息的名称", "文号", "内容描述", "载体形式", "获取信息的方式", "示例市财政局"):
        assert label in page


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"id_number": "110105194912310021"}, "id_number", "校验位不正确"),
    ({"name": ""}, "name", "请填写姓名或者名称"),
    ({"applicant_kind": "法人或其他组织", "id_type": "统一社会信用代码",
      "id_number": VALID_USCC}, "org_type", "请选择组织类型"),
    ({"applicant_kind": "法人或其他组织", "org_type": "商业企业",
      "id_type": "统一社会信用代码", "id_number": "91350100M000100Y44"}, "id_number",
     "统一社会信用代码校验位不正确"),
    ({"applicant_kind": "法人或其他组织", "org_type": "商业企业"}, "id_type",
     "统一社会信用代码"),
    ({"doc_number": "", "description": ""}, "description", "至少填写"),
    ({"email": "", "delivery": "电子邮件"}, "email", "请填写电子邮箱"),
    ({"phone": "abc"}, "phone", "有效的电话号码"),
])
def test_errors_beside_fields_and_values_kept(client: FlaskClient, agency_id: int,
                                              overrides: dict[str, str], field: str,
                                              message: str) -> None:
    response = client.post("/requests/new", data=form_data(agency_id, client, **overrides))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(rf'<p class="field-error" id="{field}-error">[^<]*{message}', page)
    assert "示例市人民路100号" in page  # what was typed is kept


def test_review_then_submit_commits_and_shows_number_and_code(
        app: Flask, client: FlaskClient, agency_id: int, db_session: Session) -> None:
    data = form_data(agency_id, client)
    review = client.post("/requests/new", data=data)
    assert review.status_code == 200
    page = review.get_data(as_text=True)
    assert "核对申请" in page
    assert "确认提交" in page
    assert count(db_session) == 0  # nothing filed before confirmation
    back = client.post("/requests/new", data={**data, "action": "edit"})
    assert "示财发〔2024〕5号" in back.get_data(as_text=True)
    done = client.post("/requests/new", data={**data, "action": "submit"})
    assert done.status_code == 200
    page = done.get_data(as_text=True)
    number = re.search(r'id="request-number">([^<]+)<', page)
    code = re.search(r'id="query-code" class="code">([^<]+)<', page)
    assert number is not None
    assert code is not None
    assert re.fullmatch(r"YSQ-\d{4}-\d{6}", number.group(1))
    db_session.expire_all()
    filed = db_session.scalars(select(InfoRequest)).one()
    assert filed.number == number.group(1)
    assert filed.receipt_date == clock.today()  # confirmed at submission
    assert [e.kind for e in filed.events] == ["received", "confirmed"]
    assert VALID_ID not in page  # the ID number is not echoed back


def test_duplicate_submission_is_refused(client: FlaskClient, agency_id: int,
                                         db_session: Session) -> None:
    data = {**form_data(agency_id, client), "action": "submit"}
    assert client.post("/requests/new", data=data).status_code == 200
    again = client.post("/requests/new", data=data)
    assert again.status_code == 409
    assert "请勿重复提交" in again.get_data(as_text=True)
    assert count(db_session) == 1


def test_honeypot_and_minimum_fill_time(app: Flask, client: FlaskClient, agency_id: int,
                                        db_session: Session) -> None:
    data = {**form_data(agency_id, client), "action": "submit"}
    trapped = client.post("/requests/new", data={**data, "website": "http://spam"})
    assert trapped.status_code == 422
    assert "提交过快" in trapped.get_data(as_text=True)
    app.config["REQUEST_MIN_FILL_SECONDS"] = 3600
    too_fast = client.post("/requests/new", data=data)
    assert too_fast.status_code == 422
    assert "张三" in too_fast.get_data(as_text=True)
    forged = client.post("/requests/new", data={**data, "started": "forged"})
    assert forged.status_code == 422
    assert count(db_session) == 0


def test_submissions_are_rate_limited_per_ip(app: Flask, client: FlaskClient, agency_id: int,
                                             db_session: Session) -> None:
    app.config["REQUEST_SUBMIT_LIMIT"] = 2
    for index in range(2):
        data = {**form_data(agency_id, client, description=f"第{index}项"), "action": "submit"}
        assert client.post("/requests/new", data=data).status_code == 200
    data = {**form_data(agency_id, client, description="第三项"), "action": "submit"}
    limited = client.post("/requests/new", data=data)
    assert limited.status_code == 429
    assert "一小时后" in limited.get_data(as_text=True)
    other = client.post("/requests/new", data=data, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200
    assert count(db_session) == 3


def _file(client: FlaskClient, agency_id: int) -> tuple[str, str]:
    data = {**form_data(agency_id, client), "action": "submit"}
    page = client.post("/requests/new", data=data).get_data(as_text=True)
    number = re.search(r'id="request-number">([^<]+)<', page)
    code = re.search(r'id="query-code" class="code">([^<]+)<', page)
    assert number is not None
    assert code is not None
    return number.group(1), code.group(1)


def test_status_page_and_generic_answer(app: Flask, agency_id: int,
                                        db_session: Session) -> None:
    number, code = _file(app.test_client(), agency_id)
    client = app.test_client()  # another browser: no grant
    assert client.get("/requests/status").status_code == 200
    wrong = client.post("/requests/status", data={"number": number, "code": "WRONG"})
    unknown = client.post("/requests/status", data={"number": "YSQ-2000-000001",
                                                    "code": code})
    assert wrong.status_code == unknown.status_code == 404
    assert "申请编号或查询码不正确" in wrong.get_data(as_text=True)
    # One generic answer: the pages differ only by the number typed in.
    assert wrong.get_data(as_text=True).replace(number, "N") == unknown.get_data(
        as_text=True).replace("YSQ-2000-000001", "N")
    ok = client.post("/requests/status", data={"number": number, "code": code})
    page = ok.get_data(as_text=True)
    assert ok.status_code == 200
    assert "办理中" in page
    assert "答复期限" in page
    assert "收到申请" in page
    assert VALID_ID not in page
    assert "13800000000" not in page


def test_status_lookups_are_rate_limited(app: Flask, client: FlaskClient, agency_id: int,
                                         db_session: Session) -> None:
    number, code = _file(client, agency_id)
    app.config["REQUEST_STATUS_LIMIT"] = 3
    for _ in range(3):
        assert client.post("/requests/status",
                           data={"number": number, "code": "X"}).status_code == 404
    blocked = client.post("/requests/status", data={"number": number, "code": code})
    assert blocked.status_code == 429


def test_correction_answer_and_letter_download(app: Flask, agency_id: int,
                                               db_session: Session) -> None:
    client = app.test_client()
    number, code = _file(client, agency_id)
    filed = db_session.scalars(select(InfoRequest).where(InfoRequest.number == number)).one()
    today = clock.today()
    deadline = today + dt.timedelta(days=20)
    with unit_of_work() as session:
        letter = steps.take_step(session, filed, EventKind.CORRECTION_REQUESTED, today,
                                 {"deadline": deadline.isoformat(), "matters": "请写明年份"}).letter
    assert letter is not None
    stranger = app.test_client()
    assert stranger.get(f"/requests/letters/{letter.id}.pdf").status_code == 404
    assert stranger.post(f"/requests/{filed.id}/correction",
                         data={"text": "x"}).status_code == 404
    page = client.post("/requests/status", data={"number": number, "code": code}).get_data(
        as_text=True)
    assert "补正申请" in page
    assert "政府信息公开申请补正告知书" in page
    html = client.get(f"/requests/letters/{letter.id}").get_data(as_text=True)
    assert "请写明年份" in html
    assert letter.number in html
    pdf = client.get(f"/requests/letters/{letter.id}.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    empty = client.post(f"/requests/{filed.id}/correction", data={"text": ""})
    assert empty.status_code == 422
    assert "请填写补正内容" in empty.get_data(as_text=True)
    answered = client.post(f"/requests/{filed.id}/correction",
                           data={"text": "2024年度的预算调整"})
    assert answered.status_code == 200
    assert "补正内容已提交" in answered.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(InfoRequest, filed.id).events[-1].data["text"] == "2024年度的预算调整"


def test_applicant_withdraws(app: Flask, agency_id: int, db_session: Session) -> None:
    client = app.test_client()
    number, code = _file(client, agency_id)
    filed = db_session.scalars(select(InfoRequest).where(InfoRequest.number == number)).one()
    assert app.test_client().post(f"/requests/{filed.id}/withdraw",
                                  data={"confirm": "y"}).status_code == 404
    page = client.post("/requests/status", data={"number": number, "code": code})
    assert "撤回申请" in page.get_data(as_text=True)
    unconfirmed = client.post(f"/requests/{filed.id}/withdraw", data={})
    assert unconfirmed.status_code == 409
    done = client.post(f"/requests/{filed.id}/withdraw", data={"confirm": "y"})
    assert done.status_code == 200
    assert "申请已撤回" in done.get_data(as_text=True)
    again = client.post(f"/requests/{filed.id}/withdraw", data={"confirm": "y"})
    assert again.status_code == 409
    db_session.expire_all()
    refreshed = db_session.get(InfoRequest, filed.id)
    assert refreshed is not None
    assert (refreshed.stage, refreshed.outcome) == ("已撤回", "6.3")


def test_agency_preselected_from_a_link(client: FlaskClient, agency_id: int) -> None:
    page = client.get("/requests/new?agency=czj").get_data(as_text=True)
    assert f'<option selected value="{agency_id}">示例市财政局</option>' in page


def test_personal_data_never_logged(client: FlaskClient, agency_id: int,
                                    caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    data = {**form_data(agency_id, client), "action": "submit"}
    assert client.post("/requests/new", data=data).status_code == 200
    assert "filed" in caplog.text
    for secret in (VALID_ID, "13800000000", "zhangsan@example.com", "人民路100号"):
        assert secret not in caplog.text


def test_expired_csrf_token_keeps_what_was_typed(app: Flask, client: FlaskClient,
                                                 agency_id: int, db_session: Session) -> None:
    data = {**form_data(agency_id, client), "action": "submit", "csrf_token": "expired"}
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/requests/new", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "页面已过期" in page
    assert "示例市人民路100号" in page
    assert "2024年度部门预算调整情况" in page
    assert count(db_session) == 0
