"""The staff upload of the government's reports: who may, preview with row-level problems,
confirm with the original files, the audit entry, and a re-upload that replaces."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.audit.models import AuditEntry
from opengov.site.db import get_session, unit_of_work
from opengov.site.fiscal.models import GovernmentReport
from tests.factories import make_agency
from tests.fiscal.government_data import GENERAL_SPENDING
from tests.fiscal.government_data import sheet as make_sheet
from tests.fiscal.test_government_import import workbook

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def agencies(app: Flask) -> dict[str, int]:
    with app.app_context(), unit_of_work() as session:
        return {code: make_agency(session, code).id for code in ("gov", "czj", "zjj")}


def sign_in(make_user: Callable[..., User], login: Callable[[str], None], name: str,
            agency_id: int | None, *roles: Role) -> None:
    make_user(name, *(roles or (Role.EDITOR,)), agency_id=agency_id)
    login(name)


def form(content: bytes, **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "year": "2025", "stage": "预算", "sequence": "1",
        "approved_by": "示例市第十七届人民代表大会第五次会议", "approved_on": "2025-01-20",
        "published_on": "2025-02-05", "table_slug": "",
        "narrative": "## 一、转移支付\n\n见附表。\n\n## 二、政府债务\n\n余额在限额之内。",
        "file": (io.BytesIO(content), "示例市2025年预算公开表.xlsx")}
    values.update(fields)
    return values


def upload(client: FlaskClient, data: dict[str, Any]) -> Any:
    return client.post("/staff/fiscal/government/import", data=data,
                       content_type="multipart/form-data")


def test_the_finance_department_uploads_previews_and_publishes(
        client: FlaskClient, app: Flask, agencies: dict[str, int],
        make_user: Callable[..., User], login: Callable[[str], None]) -> None:
    sign_in(make_user, login, "czj-editor", agencies["czj"])
    assert "上传政府预决算报表" in client.get("/staff/fiscal/").get_data(as_text=True)
    content = workbook()
    response = upload(client, form(content, report_file=(io.BytesIO(PDF), "预算报告.pdf")))
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    preview = client.get(preview_url).get_data(as_text=True)
    assert "预览：示例市2025年政府预算" in preview
    assert "检查通过" in preview
    assert "工作表“表2” → 一般公共预算支出表" in preview
    assert "未包含以下报表" in preview  # a warning does not stop publication
    assert "示例市2025年一般公共预算支出表（预算）" in preview
    with app.app_context():
        assert get_session().scalar(select(GovernmentReport)) is None  # nothing saved yet
    confirmed = client.post(preview_url)
    assert confirmed.status_code == 302
    assert confirmed.headers["Location"].endswith("/fiscal/government/2025/budget/")
    page = client.get("/fiscal/government/2025/budget/").get_data(as_text=True)
    assert "示例市2025年预算公开表.xlsx" in page
    assert "预算报告.pdf" in page
    with app.app_context():
        session = get_session()
        report = session.scalars(select(GovernmentReport)).one()
        assert [table.slug for table in report.tables] == [
            "summary", "general-revenue", "general-expenditure", "general-transfers-region",
            "general-transfers-project", "debt"]
        assert report.document is not None
        assert report.document.agency_id == agencies["czj"]
        files = {attachment.original_name: attachment.id
                 for attachment in report.document.attachments}
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.object_type == "government_report")).one()
        assert entry.username == "czj-editor"
        assert entry.detail == "发布示例市2025年政府预算（示例市2025年预算公开表.xlsx）"
    original = client.get(f"/fiscal/files/{files['预算报告.pdf']}")
    assert original.status_code == 200
    assert original.data == PDF
    assert client.get(f"/fiscal/files/{files['示例市2025年预算公开表.xlsx']}").data == content
    assert client.get(preview_url).status_code == 404  # the pending upload is gone


def test_a_second_upload_replaces_the_report(
        client: FlaskClient, app: Flask, agencies: dict[str, int],
        make_user: Callable[..., User], login: Callable[[str], None]) -> None:
    sign_in(make_user, login, "gov-editor", agencies["gov"])
    client.post(upload(client, form(workbook())).headers["Location"])
    again = upload(client, form(workbook(projects=None, regions=None),
                                approved_by="示例市第十七届人民代表大会第五次会议（更正）"))
    preview = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "确认后将以本次上传替换原有报表和情况说明" in preview
    client.post(again.headers["Location"])
    with app.app_context():
        report = get_session().scalars(select(GovernmentReport)).one()
        assert report.approved_by.endswith("（更正）")
        assert len(report.tables) == 4


def test_row_level_problems_stop_publication(
        client: FlaskClient, app: Flask, agencies: dict[str, int],
        make_user: Callable[..., User], login: Callable[[str], None]) -> None:
    sign_in(make_user, login, "admin", None, Role.ADMIN)
    rows = [list(row) for row in GENERAL_SPENDING]
    rows[9][2] = "6.00"  # 返还性支出: 转移性支出 (spreadsheet line 12) no longer adds up
    bad = workbook(spending=make_sheet("示例市2025年一般公共预算支出表",
                                       ["科目编码", "科目名称", "预算数"], rows, name="表2"))
    preview_url = upload(client, form(bad)).headers["Location"]
    page = client.get(preview_url).get_data(as_text=True)
    assert "发现 1 个问题" in page
    assert "【一般公共预算支出表】第12行：230 转移性支出的“预算数”为50.00，但其下各款之和为51.00" in page
    assert "确认保存并发布" not in page
    client.post(preview_url)
    with app.app_context():
        assert get_session().scalar(select(GovernmentReport)) is None


def test_other_departments_may_not_publish_the_governments_budget(
        client: FlaskClient, agencies: dict[str, int], make_user: Callable[..., User],
        login: Callable[[str], None]) -> None:
    assert client.get("/staff/fiscal/government/import").status_code == 302  # sign in first
    sign_in(make_user, login, "zjj-editor", agencies["zjj"])
    page = client.get("/staff/fiscal/government/import").get_data(as_text=True)
    assert "只有财政部门、本级政府的编辑或管理员可以发布政府预决算" in page
    assert "上传政府预决算报表" not in client.get("/staff/fiscal/").get_data(as_text=True)
    assert upload(client, form(workbook())).status_code == 403
    make_user("handler", Role.HANDLER)
    login("handler")
    assert client.get("/staff/fiscal/government/import").status_code == 403


def test_form_errors_are_shown_beside_their_fields(
        client: FlaskClient, agencies: dict[str, int], make_user: Callable[..., User],
        login: Callable[[str], None]) -> None:
    sign_in(make_user, login, "czj-editor", agencies["czj"])
    page = upload(client, form(b"x", published_on="2025-01-01", approved_by="",
                               file=(io.BytesIO(b"%PDF"), "budget.pdf"),
                               sequence="12")).get_data(as_text=True)
    assert "发布日期不能早于批准日期" in page
    assert "请填写批准的会议" in page
    assert "只接受 .xlsx 或 .csv 文件" in page
    assert "应在1至9之间" in page
    renamed = upload(client, form(workbook(), report_file=(io.BytesIO(b"MZ\x90\x00"),
                                                           "报告.pdf"))).get_data(as_text=True)
    assert 'id="report_file-error"' in renamed
    assert "文件内容不是可接受的类型" in renamed
    assert 'value="示例市第十七届人民代表大会第五次会议"' in renamed  # nothing typed is lost


def test_a_csv_of_one_table_with_its_table_chosen(
        client: FlaskClient, app: Flask, agencies: dict[str, int],
        make_user: Callable[..., User], login: Callable[[str], None]) -> None:
    sign_in(make_user, login, "czj-editor", agencies["czj"])
    content = "科目编码,科目名称,执行数\n101,税收收入,100\n10101,增值税,100\n,合计,100\n"
    response = upload(client, form(content.encode("utf-8-sig"), stage="预算执行情况",
                                   table_slug="general-revenue", narrative="执行情况良好。",
                                   file=(io.BytesIO(content.encode("utf-8-sig")), "执行.csv")))
    preview_url = response.headers["Location"]
    assert "检查通过" in client.get(preview_url).get_data(as_text=True)
    assert client.post(preview_url).headers["Location"].endswith(
        "/fiscal/government/2025/execution/")


def test_upload_pages_keep_the_back_office_stylesheet(
        client: FlaskClient, agencies: dict[str, int], make_user: Callable[..., User],
        login: Callable[[str], None]) -> None:
    sign_in(make_user, login, "czj-editor", agencies["czj"])
    page = client.get("/staff/fiscal/government/import").get_data(as_text=True)
    assert "css/staff.css" in page
    preview = upload(client, form(workbook())).headers["Location"]
    assert "css/staff.css" in client.get(preview).get_data(as_text=True)
