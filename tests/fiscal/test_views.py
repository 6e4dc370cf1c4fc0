"""Public pages, downloads (re-read with csv and openpyxl), the JSON API and the staff
upload → preview → confirm flow."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.db import get_session, unit_of_work
from opengov.site.fiscal.models import FiscalDisclosure
from opengov.site.fiscal.rules.disclosures import Stage, Unit
from opengov.site.fiscal.service.content import sync_references
from opengov.site.fiscal.service.disclosures import save_disclosure
from tests.factories import make_agency
from tests.fiscal.conftest import sample_data
from tests.fiscal.spreadsheets import good_workbook, spending_sheet, xlsx

BASE = "/fiscal/czj/2025/budget/"


#: Two real published figures, in the shape of a row of content/fiscal/sangong_published.tsv.
REFERENCES: list[dict[str, Any]] = [
    {"entity": "寿县司法局", "scope": "县级部门", "year": 2022, "stage": Stage.BUDGET,
     "stage_label": "预算(一般公共预算)", "unit": Unit.WAN, "total": Decimal("79"),
     "outbound": Decimal("0"), "vehicle": Decimal("75"), "vehicle_purchase": Decimal("25"),
     "vehicle_operation": Decimal("50"), "reception": Decimal("4"),
     "source_url": "https://www.shouxian.gov.cn/public/118322806/1258999741.html",
     "source_type": "gov site", "note": "比上年预算减少49万元"},
    {"entity": "中央本级", "scope": "中央本级汇总", "year": 2013, "stage": Stage.BUDGET,
     "stage_label": "预算(财政拨款)", "unit": Unit.YI, "total": Decimal("79.69"),
     "outbound": Decimal("21.36"), "vehicle": Decimal("43.99"), "vehicle_purchase": None,
     "vehicle_operation": None, "reception": Decimal("14.34"),
     "source_url": "http://xmwb.xinmin.cn/x.htm", "source_type": "news(新民晚报)", "note": ""},
]


@pytest.fixture
def published(app: Flask) -> None:
    with app.app_context(), unit_of_work() as session:
        czj = make_agency(session, "czj")
        make_agency(session, "zjj")
        data = sample_data()
        data.tables[5][3].name = "=HYPERLINK(\"http://evil\")"  # formula injection probe
        save_disclosure(session, czj, data, is_example=True)
        sync_references(session, REFERENCES)


@pytest.mark.usefixtures("published")
def test_overview_lists_departments_and_timeliness(client: FlaskClient) -> None:
    page = client.get("/fiscal/?year=2025").get_data(as_text=True)
    assert "示例市财政局" in page
    assert "按时公开" in page
    assert "批复后第15天" in page
    assert "示例市住房和城乡建设局" in page
    assert "示例数据" in page
    assert BASE in page


@pytest.mark.usefixtures("published")
def test_department_page_shows_tables_narrative_and_chart(client: FlaskClient) -> None:
    response = client.get(BASE)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "示例市财政局2025年部门预算" in page
    assert "负责全市财政收支管理" in page
    assert re.search(r"<h3[^>]*>一、部门职责</h3>", page)  # under the page's 情况说明 <h2>
    assert "示例市财政局2025年一般公共预算支出表" in page
    assert '<td class="num">80.00</td>' in page
    assert "“三公”经费合计" in page
    assert "<svg" in page
    assert "比上年增加0.5万元" in page  # the explanation
    assert "table-5.csv" in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)  # the chart needs no script
    assert client.get("/fiscal/czj/2025/final/").status_code == 404
    assert client.get("/fiscal/czj/2025/draft/").status_code == 404


@pytest.mark.usefixtures("published")
def test_csv_download_has_bom_and_escapes_formulas(client: FlaskClient) -> None:
    response = client.get(BASE + "table-5.csv")
    assert response.status_code == 200
    assert response.data.startswith(b"\xef\xbb\xbf")
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]
    assert rows[1] == ["", "合计", "150.00", "100.00", "50.00"]
    assert rows[4][1] == "'=HYPERLINK(\"http://evil\")"
    assert rows[4][2:] == ["80.00", "80.00", ""]


@pytest.mark.usefixtures("published")
def test_xlsx_download_reads_back_as_numbers(client: FlaskClient) -> None:
    response = client.get(BASE + "table-7.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet is not None
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "示例市财政局2025年一般公共预算“三公”经费支出表"
    assert values[1][0] == "单位：万元"
    assert values[2][:5] == ["项目", "2025年", "2024年", "增减额", "增减率（%）"]
    total = values[3]
    assert total[0] == "“三公”经费合计"
    assert total[1:5] == [7, 32, -25, pytest.approx(-78.1)]
    formula = load_workbook(io.BytesIO(client.get(BASE + "table-5.xlsx").data)).active
    assert formula is not None
    cell = formula["B7"]
    assert cell.data_type == "s"
    assert str(cell.value).startswith("'=")


@pytest.mark.usefixtures("published")
def test_json_download(client: FlaskClient) -> None:
    data = client.get(BASE + "table-6.json").get_json()
    assert data["unit"] == "万元"
    assert data["rows"][0] == {"科目编码": "", "科目名称": "合计", "合计": "100.00",
                               "人员经费": "90.00", "公用经费": "10.00"}
    assert client.get(BASE + "table-9.json").status_code == 404
    assert client.get(BASE + "table-5.pdf").status_code == 404


@pytest.mark.usefixtures("published")
def test_sangong_page_shows_the_sites_own_agencies_and_links_the_references(
        client: FlaskClient) -> None:
    page = client.get("/fiscal/sangong").get_data(as_text=True)
    assert "示例市财政局" in page
    assert "示例数据" in page
    assert "寿县司法局" not in page  # other bodies' figures are not mixed in
    assert page.count("<svg") == 2  # the departments' chart, for wide and narrow screens
    assert "/fiscal/sangong/references" in page
    references = client.get("/fiscal/sangong/references").get_data(as_text=True)
    assert "参考资料" in references
    assert "寿县司法局" in references
    assert "https://www.shouxian.gov.cn/public/118322806/1258999741.html" in references
    assert "亿元" in references
    assert "796900.00" in references  # 79.69亿元 in 万元
    assert references.count("<svg") == 2
    assert "政府网站" in references
    assert "新闻报道" in references
    assert "third-party" not in references
    assert "gov site" not in references
    # Government sites come before news reprints.
    assert references.index("寿县司法局") < references.index("中央本级")


@pytest.mark.usefixtures("published")
def test_sangong_comparison_downloads(client: FlaskClient) -> None:
    rows = list(csv.reader(io.StringIO(
        client.get("/fiscal/sangong/sources.csv").data.decode("utf-8-sig"))))
    assert rows[0][:5] == ["单位", "范围", "年度", "阶段", "计量单位"]
    assert {row[0] for row in rows[1:]} == {"寿县司法局", "中央本级"}
    filtered = client.get("/fiscal/sangong/sources.json?year=2022").get_json()
    assert [row["单位"] for row in filtered["rows"]] == ["寿县司法局"]
    departments = load_workbook(io.BytesIO(
        client.get("/fiscal/sangong/departments.xlsx?agency=czj").data)).active
    assert departments is not None
    assert [c.value for c in departments[4]][:3] == ["示例市财政局", 2025, "预算"]
    assert client.get("/fiscal/sangong/other.csv").status_code == 404


@pytest.mark.usefixtures("published")
def test_api(client: FlaskClient) -> None:
    listing = client.get("/api/v1/fiscal/disclosures?year=2025").get_json()
    assert [d["agency"] for d in listing["disclosures"]] == ["czj"]
    assert listing["disclosures"][0]["late"] is False
    assert listing["disclosures"][0]["is_example"] is True
    detail = client.get("/api/v1/fiscal/disclosures/czj/2025/budget").get_json()
    assert [table["number"] for table in detail["tables"]] == [1, 5, 6, 7]
    assert detail["sangong"][0] == {"item": "因公出国（境）费", "amount": "0.00",
                                    "prior_amount": "0.00", "explanation": ""}
    assert client.get("/api/v1/fiscal/disclosures/czj/2025/final").status_code == 404
    overview = client.get("/api/v1/fiscal/overview?year=2025").get_json()
    czj = next(a for a in overview["agencies"] if a["agency"] == "czj")
    assert czj["budget"]["timeliness"] == "按时公开"
    assert czj["final"] is None
    sangong = client.get("/api/v1/fiscal/sangong").get_json()
    assert len(sangong["published_sources"]["rows"]) == 2


# --- staff upload ------------------------------------------------------------------------

@pytest.fixture
def editor(app: Flask, make_user: Callable[..., User], login: Callable[[str], None]) -> int:
    with app.app_context(), unit_of_work() as session:
        agency_id = make_agency(session, "czj").id
    make_user("fiscal-editor", Role.EDITOR)
    login("fiscal-editor")
    return agency_id


def upload_form(agency_id: int, content: bytes, **fields: Any) -> dict[str, Any]:
    form: dict[str, Any] = {"agency_id": str(agency_id), "year": "2025", "stage": "预算",
                            "approved_on": "2025-02-10", "published_on": "2025-03-05",
                            "table_number": "0", "narrative": "## 一、部门职责\n\n示例。",
                            "file": (io.BytesIO(content), "示例市财政局2025年部门预算.xlsx")}
    form.update(fields)
    return form


def test_staff_pages_need_the_editor_role(client: FlaskClient, make_user: Callable[..., User],
                                          login: Callable[[str], None]) -> None:
    assert client.get("/staff/fiscal/import").status_code == 302
    make_user("handler", Role.HANDLER)
    login("handler")
    assert client.get("/staff/fiscal/import").status_code == 403


def test_upload_preview_confirm(client: FlaskClient, editor: int, app: Flask) -> None:
    response = client.post("/staff/fiscal/import", data=upload_form(editor, good_workbook()),
                           content_type="multipart/form-data")
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    preview = client.get(preview_url).get_data(as_text=True)
    assert "检查通过" in preview
    assert "表5 一般公共预算支出表" in preview
    assert "行政运行" in preview
    with app.app_context():
        assert get_session().query(FiscalDisclosure).count() == 0  # nothing saved yet
    confirmed = client.post(preview_url)
    assert confirmed.status_code == 302
    assert confirmed.headers["Location"].endswith(BASE)
    page = client.get(BASE).get_data(as_text=True)
    assert "示例市财政局2025年部门预算.xlsx" in page  # the original file is attached
    with app.app_context():
        disclosure = get_session().query(FiscalDisclosure).one()
        assert disclosure.published_on == dt.date(2025, 3, 5)
        assert disclosure.document is not None
        attachment = disclosure.document.attachments[0]
    original = client.get(f"/fiscal/files/{attachment.id}")
    assert original.status_code == 200
    assert original.data == good_workbook() or original.data[:2] == b"PK"
    assert client.get(preview_url).status_code == 404  # the pending upload is gone


def test_upload_with_bad_rows_shows_them_and_cannot_be_confirmed(
        client: FlaskClient, editor: int, app: Flask) -> None:
    bad = xlsx(spending_sheet(**{"2010602": [2010698, "不存在", 40, None, 40]}))
    response = client.post("/staff/fiscal/import", data=upload_form(editor, bad),
                           content_type="multipart/form-data")
    preview_url = response.headers["Location"]
    page = client.get(preview_url).get_data(as_text=True)
    assert "发现 1 个问题" in page
    assert "第8行：科目编码“2010698”不在《政府收支分类科目》功能分类中" in page
    assert "确认保存并发布" not in page
    client.post(preview_url)
    with app.app_context():
        assert get_session().query(FiscalDisclosure).count() == 0


def test_upload_form_errors_are_shown_beside_fields(client: FlaskClient, editor: int) -> None:
    form = upload_form(editor, b"x", published_on="2025-02-01", year="二〇二五")
    form["file"] = (io.BytesIO(b"%PDF"), "budget.pdf")
    page = client.post("/staff/fiscal/import", data=form,
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "发布日期不能早于批复日期" in page
    assert "只接受 .xlsx 或 .csv 文件" in page
    assert 'value="二〇二五"' in page or "请填写年度" in page


def test_another_persons_pending_upload_is_not_found(
        client: FlaskClient, editor: int, make_user: Callable[..., User],
        login: Callable[[str], None]) -> None:
    response = client.post("/staff/fiscal/import", data=upload_form(editor, good_workbook()),
                           content_type="multipart/form-data")
    preview_url = response.headers["Location"]
    make_user("other-editor", Role.EDITOR)
    login("other-editor")
    assert client.get(preview_url).status_code == 404
    assert client.get("/staff/fiscal/import/../../etc").status_code == 404


def test_published_document_is_in_the_fiscal_column(app: Flask) -> None:
    with app.app_context():
        with unit_of_work() as session:
            disclosure = save_disclosure(session, make_agency(session, "czj"), sample_data())
        document = disclosure.document
        assert document is not None
        assert json.dumps(document.body, ensure_ascii=False).count("住房公积金") == 1


def test_preview_warns_of_late_publication_and_narrative_mismatch(
        client: FlaskClient, editor: int) -> None:
    sheet = ("三公经费", [
        ["一般公共预算“三公”经费支出表"],
        ["项目", "本年", "上年", "说明"],
        ["公务接待费", 1, 0.5, "比上年增加0.6万元"],
    ])
    response = client.post("/staff/fiscal/import",
                           data=upload_form(editor, xlsx(sheet), published_on="2025-03-03"),
                           content_type="multipart/form-data")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "发布日期在批复后第21天，超过《预算法》第十四条规定的二十日" in page
    assert "公务接待费：说明称增加0.6万元，按数据应为比上年增加0.50万元，增长100.0%" in page
    assert "确认保存并发布" in page  # a warning does not stop saving
    client.post(response.headers["Location"])
    assert "逾期公开" in client.get(BASE).get_data(as_text=True)
    listing = client.get("/staff/fiscal/").get_data(as_text=True)
    assert "示例市财政局" in listing
    assert BASE in listing


def test_client_path_in_file_name_is_dropped(client: FlaskClient, editor: int, app: Flask) -> None:
    form = upload_form(editor, good_workbook())
    form["file"] = (io.BytesIO(good_workbook()), "/home/财务/报表/2025年预算.xlsx")
    preview_url = client.post("/staff/fiscal/import", data=form,
                              content_type="multipart/form-data").headers["Location"]
    assert client.post(preview_url).status_code == 302
    with app.app_context():
        document = get_session().query(FiscalDisclosure).one().document
        assert document is not None
        assert document.attachments[0].original_name == "2025年预算.xlsx"


def test_pages_work_without_any_data(client: FlaskClient) -> None:
    assert client.get("/fiscal/").status_code == 200
    page = client.get("/fiscal/sangong").get_data(as_text=True)
    assert "暂无数据" in page
    assert "<svg" not in page
    assert client.get("/fiscal/sangong/departments.csv").data.startswith(b"\xef\xbb\xbf")
    assert client.get("/api/v1/fiscal/disclosures").get_json() == {"disclosures": []}
    assert client.get("/fiscal/files/1").status_code == 404


@pytest.mark.usefixtures("published")
def test_document_body_links_to_the_department_page(app: Flask, client: FlaskClient) -> None:
    from flask import url_for

    from opengov.site.fiscal.service.tables import public_path

    with app.test_request_context():
        disclosure = get_session().query(FiscalDisclosure).one()
        assert public_path(disclosure) == url_for(
            "public.fiscal_disclosure", agency="czj", year=2025, stage="budget")
        assert disclosure.document is not None
        assert f"]({BASE})" in disclosure.document.body
    assert client.get(BASE).status_code == 200


@pytest.mark.usefixtures("published")
def test_agency_page_lists_years_and_sangong(client: FlaskClient) -> None:
    page = client.get("/fiscal/czj/").get_data(as_text=True)
    assert "2025年部门预算" in page
    assert BASE in page
    assert '<td class="num">7.00</td>' in page  # the 三公 total
    assert "sangong/departments.csv?agency=czj" in page
    assert "尚未公开" in client.get("/fiscal/zjj/").get_data(as_text=True)
    assert client.get("/fiscal/nobody/").status_code == 404


def test_years_beyond_any_budget_are_not_found_not_errors(client: FlaskClient) -> None:
    huge = "99999999999999999999"
    for url in (f"/fiscal/czj/{huge}/budget/", f"/fiscal/czj/{huge}/budget/table-5.csv",
                f"/fiscal/czj/2025/budget/table-{huge}.csv",
                f"/fiscal/czj/{huge}/budget/procurement.csv",
                f"/api/v1/fiscal/disclosures/czj/{huge}/budget"):
        assert client.get(url).status_code == 404, url
    # In the query string such a year is refused with a message naming it (the one
    # validation policy of web.params), neither ignored nor a database error.
    for url in (f"/fiscal/?year={huge}", f"/fiscal/sangong?year={huge}"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "年度" in response.get_data(as_text=True), url
    for url in (f"/api/v1/fiscal/overview?year={huge}",
                f"/api/v1/fiscal/disclosures?year={huge}"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert response.get_json()["invalid_params"][0]["name"] == "year", url


def test_staff_upload_pages_keep_the_back_office_stylesheet(client: FlaskClient,
                                                            editor: int) -> None:
    page = client.get("/staff/fiscal/import").get_data(as_text=True)
    assert "css/staff.css" in page
    assert "css/fiscal.css" in page
    preview = client.post("/staff/fiscal/import", data=upload_form(editor, good_workbook()),
                          content_type="multipart/form-data").headers["Location"]
    assert "css/staff.css" in client.get(preview).get_data(as_text=True)
