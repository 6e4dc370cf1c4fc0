"""找错: the form's bad input gets clear messages; a report reaches staff as a task with a due
date; the reader's contact is encrypted at rest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text

from opengov.site import clock
from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.db import get_session, unit_of_work
from opengov.site.error_reports.models import ErrorReport
from opengov.site.error_reports.rules import local_page
from opengov.site.workdays.service import site_calendar
from tests.factories import make_document
from tests.structure.conftest import signed_in

GOOD = {"page": "/guide", "problem": "错别字或表述错误", "description": "第二段“公开”写成了“公升”。",
        "contact": "reader@example.com"}


def test_addresses_of_this_site_only() -> None:
    hosts = ("localhost", "www.example.gov.cn")
    assert local_page("/documents/3?x=1", hosts) == "/documents/3?x=1"
    assert local_page("https://www.example.gov.cn/guide", hosts) == "/guide"
    assert local_page("https://evil.example.com/guide", hosts) is None
    assert local_page("javascript:alert(1)", hosts) is None
    assert local_page("guide", hosts) is None


def test_the_footer_links_every_page_to_the_form(client: FlaskClient) -> None:
    html = client.get("/guide").get_data(as_text=True)
    assert 'href="/report-error?page=/guide"' in html
    form = client.get("/report-error?page=/guide").get_data(as_text=True)
    assert 'value="/guide"' in form


def test_bad_input_gets_messages_beside_the_fields_and_keeps_what_was_typed(
        client: FlaskClient) -> None:
    response = client.post("/report-error", data={
        "page": "https://elsewhere.example.org/x", "problem": "", "description": "错",
        "contact": "x" * 120})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "请填写本网站的网页地址" in html
    assert "请选择问题类型" in html
    assert "问题描述应为 5–2000 个字" in html
    assert "联系方式过长" in html
    assert "https://elsewhere.example.org/x" in html  # kept
    assert 'aria-invalid="true"' in html
    empty = client.post("/report-error", data={"page": "", "problem": "其他问题",
                                               "description": ""})
    assert "请填写出错的网页地址" in empty.get_data(as_text=True)
    assert "请描述发现的问题" in empty.get_data(as_text=True)


def test_a_report_becomes_a_task_with_a_due_date(app: Flask, client: FlaskClient,
                                                 make_user: Callable[..., User]) -> None:
    response = client.post("/report-error", data=GOOD)
    assert response.status_code == 200
    assert "您的找错编号为" in response.get_data(as_text=True)
    with app.app_context():
        report = get_session().scalars(select(ErrorReport)).one()
        expected = site_calendar().add_workdays(clock.today(), 3)
        assert report.due_on == expected
        # Personal data: the contact is never stored in the clear.
        stored = get_session().execute(text("SELECT contact_encrypted FROM error_reports")).scalar()
        assert stored
        assert "reader@example.com" not in stored
    make_user("boss", Role.ADMIN)
    staff = signed_in(app, "boss")
    queue = staff.get("/staff/error-reports").get_data(as_text=True)
    assert f'href="/staff/error-reports/{report.id}"' in queue
    assert expected.isoformat() in queue
    detail = staff.get(f"/staff/error-reports/{report.id}").get_data(as_text=True)
    assert "reader@example.com" in detail
    missing = staff.post(f"/staff/error-reports/{report.id}", data={"status": "已处理",
                                                                     "resolution": ""})
    assert missing.status_code == 422
    assert "请填写处理说明" in missing.get_data(as_text=True)
    done = staff.post(f"/staff/error-reports/{report.id}", data={
        "status": "已处理", "resolution": "已改正错别字。"})
    assert done.status_code == 302
    open_tasks = staff.get("/staff/error-reports").get_data(as_text=True)
    assert f'href="/staff/error-reports/{report.id}"' not in open_tasks
    assert "已改正错别字" in staff.get(
        f"/staff/error-reports/{report.id}").get_data(as_text=True)


def test_a_report_on_an_agencys_page_goes_to_its_staff(
        app: Flask, client: FlaskClient, agencies: dict[str, int],
        make_user: Callable[..., User]) -> None:
    with app.app_context(), unit_of_work() as session:
        document_id = make_document(session, agency="czj", published_on=dt.date(2024, 3, 1)).id
    client.post("/report-error", data={**GOOD, "page": f"/documents/{document_id}"})
    client.post("/report-error", data={**GOOD, "page": "/agencies/qsz/guide"})
    make_user("czj-editor", Role.EDITOR, agency_id=agencies["czj"])
    queue = signed_in(app, "czj-editor").get("/staff/error-reports").get_data(as_text=True)
    assert f"/documents/{document_id}" in queue
    assert "/agencies/qsz/guide" not in queue
    make_user("visitor-handler", Role.HANDLER)
    assert signed_in(app, "visitor-handler").get("/staff/error-reports").status_code == 403


def test_one_address_cannot_flood_the_queue(app: Flask, client: FlaskClient) -> None:
    app.config["ERROR_REPORT_LIMIT"] = 2
    assert client.post("/report-error", data=GOOD).status_code == 200
    assert client.post("/report-error", data=GOOD).status_code == 200
    third = client.post("/report-error", data=GOOD)
    assert third.status_code == 429
    assert "提交过于频繁" in third.get_data(as_text=True)
    assert "第二段" in third.get_data(as_text=True)  # what was typed is kept
