"""The 基层政务公开标准目录: rows per agency and domain, XLSX import, the documents that fulfil
a row, and the warning when a row's 公开时限 passed without one."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import Workbook
from sqlalchemy import func, select

from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.config import PROJECT_ROOT
from opengov.site.db import get_session, unit_of_work
from opengov.site.standard_catalog.models import StandardCatalogRow
from opengov.site.standard_catalog.rules import (
    LimitKind,
    TimeLimit,
    parse_time_limit,
    read_rows,
    row_status,
)
from tests.factories import make_document
from tests.structure.conftest import signed_in

HEADER = ["序号", "公开事项（一级事项）", "二级事项", "公开内容（要素）", "公开依据", "公开时限",
          "公开主体", "公开渠道和载体", "公开对象", "公开方式"]


def workbook(*sheets: tuple[str, list[list[str]]]) -> bytes:
    book = Workbook()
    assert book.active is not None
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.append(["示例市青石镇政务公开标准目录"])  # a title row above the header
        sheet.append(HEADER)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


SOCIAL_ASSISTANCE = [
    ["1", "最低生活保障", "政策法规", "低保政策和标准", "《社会救助暂行办法》",
     "信息形成或变更之日起20个工作日内", "青石镇人民政府", "政府网站、公开栏", "全社会", "主动"],
    # 一级事项 merged down: blank below its first row
    ["2", "", "审核确认结果", "拟保障对象名单", "《最低生活保障审核确认办法》", "每月",
     "青石镇人民政府", "公开栏", "特定群众", "主动公开"],
]


# --- rules ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "limit"), [
    ("信息形成或变更之日起20个工作日内", TimeLimit(LimitKind.AFTER_FORMATION, 20, True)),
    ("审核完成后5个工作日内", TimeLimit(LimitKind.AFTER_FORMATION, 5, True)),
    ("预算批复后20日内", TimeLimit(LimitKind.AFTER_FORMATION, 20, False)),
    ("自形成之日起七个工作日内", TimeLimit(LimitKind.AFTER_FORMATION, 7, True)),
    ("每季度", TimeLimit(LimitKind.PERIODIC, 3)),
    ("每年决算批复后20日内", TimeLimit(LimitKind.PERIODIC, 12)),
    ("长期公开，变更后及时更新", TimeLimit(LimitKind.ONGOING)),
])
def test_time_limits(text: str, limit: TimeLimit) -> None:
    assert parse_time_limit(text) == limit


def plus_days(day: dt.date, count: int) -> dt.date:
    return day + dt.timedelta(days=count)


def test_row_status() -> None:
    after = TimeLimit(LimitKind.AFTER_FORMATION, 20, False)
    formed = dt.date(2026, 3, 2)
    late = row_status(after, fulfilled=[], listed_on=dt.date(2026, 1, 1), formed_on=formed,
                      today=dt.date(2026, 3, 30), add_workdays=plus_days)
    assert late.overdue
    assert late.due_on == dt.date(2026, 3, 22)
    met = row_status(after, fulfilled=[dt.date(2026, 3, 10)], listed_on=dt.date(2026, 1, 1),
                     formed_on=formed, today=dt.date(2026, 3, 30), add_workdays=plus_days)
    assert not met.overdue
    assert met.last_fulfilled == dt.date(2026, 3, 10)
    # A document older than the new information does not fulfil it.
    stale = row_status(after, fulfilled=[dt.date(2026, 2, 1)], listed_on=dt.date(2026, 1, 1),
                       formed_on=formed, today=dt.date(2026, 3, 30), add_workdays=plus_days)
    assert stale.overdue
    quarterly = TimeLimit(LimitKind.PERIODIC, 3)
    assert row_status(quarterly, fulfilled=[dt.date(2026, 1, 15)], listed_on=dt.date(2025, 1, 1),
                      formed_on=None, today=dt.date(2026, 4, 16),
                      add_workdays=plus_days).overdue
    assert not row_status(quarterly, fulfilled=[dt.date(2026, 1, 15)],
                          listed_on=dt.date(2025, 1, 1), formed_on=None,
                          today=dt.date(2026, 4, 15), add_workdays=plus_days).overdue
    ongoing = row_status(TimeLimit(LimitKind.ONGOING), fulfilled=[], listed_on=dt.date(2020, 1, 1),
                         formed_on=None, today=dt.date(2026, 1, 1), add_workdays=plus_days)
    assert not ongoing.overdue
    assert ongoing.due_on is None


def test_reading_a_sheet_carries_merged_items_and_reports_bad_rows() -> None:
    grid = [["标题"], HEADER, *SOCIAL_ASSISTANCE,
            ["3", "特困供养", "", "", "", "", "青石镇", "", "某某", "主动"]]
    rows = read_rows(grid, "social-assistance")
    assert [row.data.item for row in rows[:2]] == ["最低生活保障", "最低生活保障"]
    assert rows[1].data.audience == "特定群众"
    assert rows[1].data.mode == "主动"
    assert not rows[0].problems
    assert not rows[1].problems
    assert rows[2].problems["content"] == "请填写公开内容（要素）。"
    assert rows[2].problems["audience"] == "公开对象应为“全社会”或“特定群众”。"
    with pytest.raises(ValueError, match="未找到表头"):
        read_rows([["无关的表格"]], None)


# --- pages ------------------------------------------------------------------------------------

def test_demo_content_is_public_and_marked_as_example(app: Flask, client: FlaskClient) -> None:
    runner = app.test_cli_runner()
    from opengov.site.cli import main

    result = runner.invoke(main, ["import-content", str(PROJECT_ROOT / "content")])
    assert result.exit_code == 0, result.output
    load = ["standard-catalog", "load", str(PROJECT_ROOT / "content" / "standard_catalog")]
    result = runner.invoke(main, load)
    assert result.exit_code == 0, result.output
    assert runner.invoke(main, load).exit_code == 0  # idempotent
    with app.app_context():
        domains = get_session().scalars(select(StandardCatalogRow.domain).distinct()).all()
        assert len(domains) >= 5
        assert get_session().scalar(select(func.count()).select_from(StandardCatalogRow)) == 13
    index = client.get("/agencies/qsz/standard-catalog").get_data(as_text=True)
    assert "社会救助" in index
    assert "示例" in index
    page = client.get("/agencies/qsz/standard-catalog/social-assistance")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for heading in ("公开事项（一级事项）", "公开内容（要素）", "公开依据", "公开时限", "公开主体",
                    "公开渠道和载体", "公开对象", "公开方式"):
        assert heading in html
    assert "最低生活保障" in html
    assert "示例" in html
    assert client.get("/standard-catalog").status_code == 200
    assert client.get("/agencies/qsz/standard-catalog/no-such-domain").status_code == 404
    assert client.get("/agencies/czj/standard-catalog/social-assistance").status_code == 404


def test_xlsx_import_from_the_back_office(app: Flask, admin: FlaskClient, client: FlaskClient,
                                         agencies: dict[str, int]) -> None:
    data = workbook(("社会救助", SOCIAL_ASSISTANCE))
    response = admin.post("/staff/standard-catalog/import", data={
        "agency": str(agencies["qsz"]), "workbook": (io.BytesIO(data), "目录.xlsx")},
        content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    html = client.get("/agencies/qsz/standard-catalog/social-assistance").get_data(as_text=True)
    assert "低保政策和标准" in html
    assert "拟保障对象名单" in html
    assert 'class="example-note"' not in html  # imported by staff: not 示例
    # Importing again replaces the domain instead of doubling it.
    admin.post("/staff/standard-catalog/import", data={
        "agency": str(agencies["qsz"]), "workbook": (io.BytesIO(data), "目录.xlsx")},
        content_type="multipart/form-data")
    with app.app_context():
        assert get_session().scalar(select(func.count()).select_from(StandardCatalogRow)) == 2


def test_a_bad_workbook_imports_nothing_and_says_where(app: Flask, admin: FlaskClient,
                                                       agencies: dict[str, int]) -> None:
    bad = workbook(("社会救助", [*SOCIAL_ASSISTANCE,
                              ["3", "临时救助", "", "", "", "", "青石镇", "网站", "", ""]]))
    response = admin.post("/staff/standard-catalog/import", data={
        "agency": str(agencies["qsz"]), "workbook": (io.BytesIO(bad), "目录.xlsx")},
        content_type="multipart/form-data")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "工作表“社会救助”第 5 行：请填写公开内容（要素）。" in html
    not_xlsx = admin.post("/staff/standard-catalog/import", data={
        "agency": str(agencies["qsz"]), "workbook": (io.BytesIO(b"not a workbook"), "x.xlsx")},
        content_type="multipart/form-data")
    assert not_xlsx.status_code == 422
    assert "无法读取该文件" in not_xlsx.get_data(as_text=True)
    with app.app_context():
        assert get_session().scalar(select(func.count()).select_from(StandardCatalogRow)) == 0


def test_a_row_links_its_documents_and_warns_when_overdue(
        app: Flask, admin: FlaskClient, client: FlaskClient, agencies: dict[str, int],
        make_user: Callable[..., User]) -> None:
    admin.post("/staff/standard-catalog/import", data={
        "agency": str(agencies["qsz"]),
        "workbook": (io.BytesIO(workbook(("社会救助", SOCIAL_ASSISTANCE))), "目录.xlsx")},
        content_type="multipart/form-data")
    with app.app_context():
        row = get_session().scalars(select(StandardCatalogRow).where(
            StandardCatalogRow.sub_item == "政策法规")).one()
        row_id = row.id
    # New information arose long ago and nothing was published: the row is overdue.
    fields = {"domain": "social-assistance", "item": "最低生活保障", "sub_item": "政策法规",
              "content": "低保政策和标准", "basis": "《社会救助暂行办法》",
              "time_limit": "信息形成或变更之日起20个工作日内", "subject": "青石镇人民政府",
              "channels": "政府网站、公开栏", "audience": "全社会", "mode": "主动",
              "formed_on": "2025-01-06"}
    assert admin.post(f"/staff/standard-catalog/rows/{row_id}", data=fields).status_code == 302
    staff_page = admin.get(f"/staff/standard-catalog/{agencies['qsz']}/social-assistance")
    assert "逾期：应于 2025-02-" in staff_page.get_data(as_text=True)
    assert "1 项逾期" in admin.get("/staff/standard-catalog").get_data(as_text=True)

    # An editor of the township ticks the row on the document's page; once it is public
    # the row lists it, shows when it was last fulfilled and stops warning.
    with app.app_context(), unit_of_work() as session:
        document_id = make_document(session, agency="qsz", title="青石镇最低生活保障标准调整公告",
                                    published_on=dt.date(2025, 2, 1)).id
        draft_id = make_document(session, agency="qsz", title="尚未发布的草稿",
                                 published=False).id
    make_user("township-editor", Role.EDITOR, agency_id=agencies["qsz"])
    editor = signed_in(app, "township-editor")
    picker = editor.get(f"/staff/documents/{document_id}").get_data(as_text=True)
    assert "标准目录事项" in picker
    assert "最低生活保障 · 政策法规" in picker
    response = editor.post(f"/staff/documents/{document_id}/standard-catalog",
                           data={"row": [str(row_id)]})
    assert response.status_code == 302
    editor.post(f"/staff/documents/{draft_id}/standard-catalog", data={"row": [str(row_id)]})
    public = client.get("/agencies/qsz/standard-catalog/social-assistance").get_data(as_text=True)
    assert "青石镇最低生活保障标准调整公告" in public
    assert "最近公开：<time datetime=\"2025-02-01\">2025-02-01</time>" in public
    assert "尚未发布的草稿" not in public
    staff_page = admin.get(f"/staff/standard-catalog/{agencies['qsz']}/social-assistance")
    assert "逾期" not in staff_page.get_data(as_text=True)


def test_scope_a_department_sees_only_its_own_catalog(
        app: Flask, admin: FlaskClient, agencies: dict[str, int],
        make_user: Callable[..., User]) -> None:
    admin.post("/staff/standard-catalog/import", data={
        "agency": str(agencies["qsz"]),
        "workbook": (io.BytesIO(workbook(("社会救助", SOCIAL_ASSISTANCE))), "目录.xlsx")},
        content_type="multipart/form-data")
    with app.app_context():
        row_id = get_session().scalars(select(StandardCatalogRow.id)).first()
        document_id = 0
    with app.app_context(), unit_of_work() as session:
        document_id = make_document(session, agency="czj", title="财政局文件").id
    make_user("czj-editor", Role.EDITOR, agency_id=agencies["czj"])
    editor = signed_in(app, "czj-editor")
    assert editor.get(f"/staff/standard-catalog/rows/{row_id}").status_code == 404
    assert editor.get(
        f"/staff/standard-catalog/{agencies['qsz']}/social-assistance").status_code == 404
    # Another agency's row cannot be linked to one's own document.
    editor.post(f"/staff/documents/{document_id}/standard-catalog", data={"row": [str(row_id)]})
    with app.app_context():
        row = get_session().get(StandardCatalogRow, row_id)
        assert row is not None
        assert row.links == []
