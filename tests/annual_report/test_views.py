"""Staff pages of the annual report and the 复议/诉讼 register."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.agencies.service import agency_by_code
from opengov.site.audit.models import AuditEntry
from opengov.site.audit.service import Origin
from opengov.site.db import unit_of_work
from opengov.site.reports import service as reports
from opengov.site.reports.models import AnnualReport, ReviewCase
from tests.annual_report.conftest import build_year, file
from tests.factories import make_agency


def test_admin_writes_checks_and_downloads_the_report(
        client: FlaskClient, db_session: Session, make_user: Callable[..., object],
        login: Callable[[str], None], monkeypatch: pytest.MonkeyPatch) -> None:
    # The report on 2025 is written and published in January 2026 (北京时间).
    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 1, 20))
    build_year()
    make_user("admin", Role.ADMIN)
    make_user("reviewer", Role.REVIEWER)
    login("admin")
    index = client.get("/staff/reports?year=2025").get_data(as_text=True)
    assert "示例市人民政府" in index
    assert "2026-03-31" in index

    page = client.get("/staff/reports/gov/2025").get_data(as_text=True)
    assert "勾稽关系不成立" not in page
    assert "4.保护第三方合法权益" in page

    response = client.post("/staff/reports/gov/2025", data={
        "overview": "本年度，本机关认真贯彻落实《条例》。", "licensing_decisions": "-3",
        "penalty_decisions": "2", "coercion_decisions": "0", "fees_collected": "1.5",
        "problems": "", "other_matters": ""})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "不能为负数" in text
    assert "本年度，本机关认真贯彻落实《条例》。" in text  # what was typed is kept

    response = client.post("/staff/reports/gov/2025", data={
        "overview": "本年度，本机关认真贯彻落实《条例》。", "licensing_decisions": "12",
        "penalty_decisions": "2", "coercion_decisions": "0", "fees_collected": "1.5",
        "problems": "公开质量有待提高。", "other_matters": ""})
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.scalars(select(AnnualReport)).one().licensing_decisions == 12
    assert db_session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == "annual_report")).first() is not None

    xlsx = client.get("/staff/reports/gov/2025.xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.data))["二、主动公开"]
    assert ["行政许可", 12] in [list(row[:2]) for row in sheet.iter_rows(values_only=True)]
    pdf = client.get("/staff/reports/gov/2025.pdf")
    assert pdf.data.startswith(b"%PDF")

    # The one who wrote it cannot publish it: it goes to review, and another person publishes
    # after confirming.
    assert client.post("/staff/reports/gov/2025/submit").status_code == 302
    own = client.post("/staff/reports/gov/2025/publish", data={"confirm": "y"},
                      follow_redirects=True).get_data(as_text=True)
    assert "不能审核发布同一报告" in own
    login("reviewer")
    unconfirmed = client.post("/staff/reports/gov/2025/publish", follow_redirects=True)
    assert "请勾选确认" in unconfirmed.get_data(as_text=True)
    published = client.post("/staff/reports/gov/2025/publish", data={"confirm": "y"})
    assert published.status_code == 302
    public = client.get(published.headers["Location"]).get_data(as_text=True)
    assert "示例市人民政府2025年政府信息公开工作年度报告" in public
    assert "本年度，本机关认真贯彻落实《条例》。" in public
    assert "共收取信息处理费300.00元" in public
    column = client.get("/columns/annual-reports").get_data(as_text=True)
    assert "2025年政府信息公开工作年度报告" in column


def test_a_broken_table_cannot_be_published(
        client: FlaskClient, db_session: Session, make_user: Callable[..., User],
        login: Callable[[str], None]) -> None:
    build_year()
    admin = make_user("admin", Role.ADMIN)
    drafter = make_user("drafter", Role.REPORT_DRAFTER)
    origin = Origin(ip="127.0.0.1", user_agent="pytest")
    written = reports.ReportEntries(overview="本年度认真贯彻落实《条例》。", problems="无。",
                                    other_matters="", licensing_decisions=0,
                                    penalty_decisions=0, coercion_decisions=0,
                                    fees_collected=Decimal("0"))
    reports.save_report("gov", 2024, written, actor=drafter, origin=origin)
    reports.submit_report("gov", 2024, actor=drafter, origin=origin)
    with unit_of_work() as session:
        reports.publish(session, agency_by_code("gov"), 2024, on=dt.date(2025, 1, 20),
                        actor=admin, origin=origin)
    # A 2024 request entered after the 2024 report froze its “结转下年度”.
    with unit_of_work() as session:
        file(session, dt.date(2024, 12, 31), "自然人", number=200)
    reports.save_report("gov", 2025, written, actor=drafter, origin=origin)
    login("drafter")
    response = client.post("/staff/reports/gov/2025/submit", follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "2024年已发布年报" in text
    login("admin")
    response = client.post("/staff/reports/gov/2025/publish", data={"confirm": "y"},
                           follow_redirects=True)
    assert "提交审核" in response.get_data(as_text=True)
    # The requests shared this test's app context, hence its session.
    db_session.expire_all()
    [draft] = db_session.scalars(select(AnnualReport).where(AnnualReport.year == 2025)).all()
    assert (draft.status, draft.published_on) == ("draft", None)


def test_department_staff_see_only_their_agency(
        client: FlaskClient, db_session: Session, make_user: Callable[..., object],
        login: Callable[[str], None]) -> None:
    with unit_of_work() as session:
        czj = make_agency(session, "czj")
    make_user("czj-admin", Role.ADMIN, agency_id=czj.id)
    login("czj-admin")
    assert client.get("/staff/reports/gov/2025").status_code == 404
    assert client.get("/staff/reports/czj/2025").status_code == 200


def test_handler_registers_review_cases(
        app: Flask, client: FlaskClient, db_session: Session,
        make_user: Callable[..., object], login: Callable[[str], None]) -> None:
    made = build_year()
    gov_id = made["3.4"].agency_id  # the requests of build_year are 示例市人民政府's
    make_user("handler", Role.HANDLER)
    make_user("editor", Role.EDITOR)
    login("handler")
    form = {"agency": str(gov_id), "year": "2025", "group": "行政复议", "result": "尚未审结",
            "case_number": "示复〔2025〕7号", "request_number": "YSQ-2099-000001"}
    response = client.post("/staff/review-cases", data=form)
    assert response.status_code == 422
    assert "没有编号为 YSQ-2099-000001 的申请" in response.get_data(as_text=True)

    form["request_number"] = made["3.4"].number
    assert client.post("/staff/review-cases", data=form).status_code == 302
    db_session.expire_all()
    case = db_session.scalars(select(ReviewCase)).one()
    assert case.request_number == made["3.4"].number
    assert client.post(f"/staff/review-cases/{case.id}/result",
                       data={"result": "结果维持"}).status_code == 302
    db_session.expire_all()
    assert case.result == "结果维持"
    # An editor has no business here (the staff guard refuses).
    db_session.commit()
    other = app.test_client()
    other.post("/staff/login", data={"username": "editor", "password": "正确的马电池订书钉-2026"})
    assert other.get("/staff/review-cases").status_code == 403
