"""The government's budget pages, downloads and API: the page, the CSV, the XLSX and the JSON
agree cell for cell; drill-down from 类 to 款 to 项; comparisons with the budget and last
year; only public reports are shown or compared with."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from opengov.site import clock
from opengov.site.config import PROJECT_ROOT
from opengov.site.db import unit_of_work
from opengov.site.fiscal.rules.government import ReportStage
from opengov.site.fiscal.service.content import import_content
from opengov.site.fiscal.service.government import save_report
from tests.factories import make_agency
from tests.fiscal.government_data import report_data

FINAL = "/fiscal/government/2024/final/"


class Tables(HTMLParser):
    """The tables of a page: caption → rows of cell texts (header row first)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._caption: list[str] | None = None
        self._rows: list[list[str]] | None = None
        self._cell: list[str] | None = None
        self._hidden = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._rows = []
        elif tag == "caption":
            self._caption = []
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in {"td", "th"} and self._rows is not None:
            self._cell = []
        elif tag == "span" and (self._hidden or ("class", "visually-hidden") in attrs
                                or ("class", "unit") in attrs):
            self._hidden += 1  # text for screen readers, the unit beside a caption

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._hidden:
            self._hidden -= 1
        elif tag == "caption" and self._caption is not None:
            self._title = "".join(self._caption).strip()
            self._caption = None
        elif tag in {"td", "th"} and self._cell is not None and self._rows is not None:
            self._rows[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table" and self._rows is not None:
            self.tables[self._title] = self._rows
            self._rows = None

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        if self._caption is not None:
            self._caption.append(data)
        elif self._cell is not None:
            self._cell.append(data)


def csv_rows(client: FlaskClient, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200, url
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def xlsx_rows(client: FlaskClient, url: str) -> list[list[str]]:
    """The header and data rows of a downloaded workbook, numbers printed with the places
    their cell format shows (what a person sees in Excel)."""
    sheet = load_workbook(io.BytesIO(client.get(url).data)).active
    assert sheet is not None
    rows: list[list[str]] = []
    for row in sheet.iter_rows(min_row=3):
        if len(row) == 1 or all(cell.value is None for cell in row[1:]):
            break  # the notes below the table
        texts = []
        for cell in row:
            if isinstance(cell.value, int | float):
                places = len(cell.number_format.partition(".")[2])
                texts.append(f"{cell.value:.{places}f}")
            else:
                texts.append("" if cell.value is None else str(cell.value))
        rows.append(texts)
    return rows


def json_rows(client: FlaskClient, url: str) -> list[list[str]]:
    """Rows are objects keyed by column (JSON objects have no order): read in column order."""
    data = client.get(url).get_json()
    return [data["columns"], *[["" if row[column] is None else str(row[column])
                                for column in data["columns"]] for row in data["rows"]]]


@pytest.fixture
def demo(app: Flask) -> None:
    """The shipped 示例 content, as `opengov import-fiscal` loads it."""
    with app.app_context():
        import_content(PROJECT_ROOT / "content" / "fiscal")


@pytest.mark.usefixtures("demo")
def test_page_csv_xlsx_and_json_agree_cell_for_cell(client: FlaskClient) -> None:
    for report, table in (("final", "general-expenditure"), ("final", "general-revenue"),
                          ("final", "debt"), ("final", "summary"),
                          ("final", "general-transfers-region"),
                          ("final", "social-insurance-revenue"), ("budget", "fund-expenditure"),
                          ("adjustment", "general-expenditure"),
                          ("execution", "general-revenue")):
        base = f"/fiscal/government/2024/{report}/{table}"
        page = client.get(f"{base}/?all=1")
        assert page.status_code == 200
        tables = Tables(page.get_data(as_text=True)).tables
        assert len(tables) == 1
        shown = next(iter(tables.values()))
        assert len(shown) > 2
        assert csv_rows(client, base + ".csv") == shown, base
        assert xlsx_rows(client, base + ".xlsx") == shown, base
        assert json_rows(client, base + ".json") == shown, base
        api = f"/api/v1/fiscal/government/2024/{report}/{table}"
        assert client.get(api).get_json()["table"] == table
        assert json_rows(client, api) == shown, api


@pytest.mark.usefixtures("demo")
def test_a_final_account_is_compared_with_the_budget_and_last_year(
        client: FlaskClient) -> None:
    rows = csv_rows(client, "/fiscal/government/2025/final/general-revenue.csv")
    assert rows[0] == ["科目编码", "科目名称", "年初预算数", "调整预算数", "决算数", "完成调整预算（%）",
                       "2024年决算数", "比上年增长（%）"]
    budget = {row[0]: row for row in csv_rows(
        client, "/fiscal/government/2025/budget/general-revenue.csv")}
    prior = {row[0]: row for row in csv_rows(
        client, "/fiscal/government/2024/final/general-revenue.csv")}
    vat = next(row for row in rows if row[0] == "10101")
    assert vat[2] == budget["10101"][3]  # the 2025 budget's own figure
    assert vat[3] == vat[2]  # 2025 was not adjusted: 调整预算数 is the 年初预算数
    assert vat[6] == prior["10101"][4]  # last year's 决算数
    amount, planned, last = (Decimal(vat[i]) for i in (4, 3, 6))
    assert Decimal(vat[5]) == (amount * 100 / planned).quantize(Decimal("0.1"))
    assert Decimal(vat[7]) == ((amount - last) * 100 / last).quantize(Decimal("0.1"))
    adjusted = {row[0]: row for row in csv_rows(client, FINAL + "general-expenditure.csv")}
    water = adjusted["21303"]  # 水利: raised by the 2024 adjustment
    assert Decimal(water[3]) > Decimal(water[2])
    budget_page = csv_rows(client, "/fiscal/government/2025/budget/general-revenue.csv")
    assert budget_page[0][2:] == ["2024年预算数", "2025年预算数", "增减额", "增长（%）"]


@pytest.mark.usefixtures("demo")
def test_drill_down_from_class_to_section_to_item(client: FlaskClient) -> None:
    everything = csv_rows(client, FINAL + "general-expenditure.csv")
    top = Tables(client.get(FINAL + "general-expenditure/").get_data(as_text=True)).tables
    (classes,) = top.values()
    assert [row[0] for row in classes[1:] if row[0]] == [
        row[0] for row in everything[1:] if len(row[0]) == 3]
    page = client.get(FINAL + "general-expenditure/?code=201").get_data(as_text=True)
    assert 'href="/fiscal/government/2024/final/general-expenditure/?code=20101"' in page
    assert "<svg" in page
    assert "“一般公共服务支出”下各款" in page
    (sections,) = Tables(page).tables.values()
    assert sections[1] == everything[1]  # the 类 itself, then its 款
    assert [row[0] for row in sections[2:]] == [
        row[0] for row in everything if len(row[0]) == 5 and row[0].startswith("201")]
    items = client.get(FINAL + "general-expenditure/?code=20106").get_data(as_text=True)
    (rows,) = Tables(items).tables.values()
    assert [row[0] for row in rows[1:]] == ["20106", "2010601", "2010607", "2010650"]
    assert all(row in everything for row in rows)
    assert 'aria-current="page">20106 财政事务' in items
    assert client.get(FINAL + "general-expenditure/?code=299").status_code == 404
    assert client.get(FINAL + "general-expenditure/?code=abc").status_code == 404
    assert client.get(FINAL + "debt/").status_code == 200  # a named table is shown whole


@pytest.mark.usefixtures("demo")
def test_index_year_and_report_pages(client: FlaskClient) -> None:
    index = client.get("/fiscal/government/").get_data(as_text=True)
    assert "示例市政府预决算" in index
    assert "逾期公开" in index
    assert "批准后第27天发布" in index  # the 2024 决算
    assert "示例数据" in index
    assert 'href="/fiscal/government/2024/adjustment/"' in index
    year = client.get("/fiscal/government/2024/").get_data(as_text=True)
    for heading in ("四本预算收支", "一般公共预算收入从哪里来（决算数）", "一般公共预算支出用到哪里（决算数）",
                    "各部门机关运行经费和政府采购"):
        assert heading in year
    assert year.count("<svg") == 2
    tables = Tables(year).tables
    budgets = tables["示例市2024年四本预算收支情况"]
    assert budgets[0][:7] == ["预算", "收支", "年初预算数", "调整预算数", "执行数", "决算数",
                              "完成调整预算（%）"]
    assert [row[:2] for row in budgets[1:3]] == [["一般公共预算", "收入"], ["一般公共预算", "支出"]]
    assert json_rows(client, "/fiscal/government/2024/budgets.json") == budgets
    departments = tables["示例市2024年各部门机关运行经费和政府采购情况"]
    assert ["示例市财政局", "部门决算", "491.30", "544.00", "112.40", "0.00", "431.60", "468.20",
            "86.1"] in departments
    assert csv_rows(client, "/fiscal/government/2024/departments.csv") == departments
    report = client.get(FINAL).get_data(as_text=True)
    assert "示例市2024年政府决算" in report
    assert "示例市第十七届人民代表大会常务委员会第二十七次会议" in report
    assert "转移支付情况" in report
    assert "政府债务情况" in report
    assert 'href="/fiscal/government/2024/final/general-expenditure/?all=1"' in report
    assert client.get("/fiscal/").get_data(as_text=True).count("/fiscal/government/") >= 1


@pytest.mark.usefixtures("demo")
def test_api(client: FlaskClient) -> None:
    years = client.get("/api/v1/fiscal/government").get_json()
    assert years["government"] == "示例市人民政府"
    assert [year["year"] for year in years["years"]] == [2025, 2024]
    late = next(report for report in years["years"][1]["reports"] if report["report"] == "final")
    assert late["timeliness"] == "逾期公开"
    assert late["days_after_approval"] == 27
    year = client.get("/api/v1/fiscal/government/2024").get_json()
    assert [report["report"] for report in year["reports"]] == [
        "budget", "adjustment", "execution", "final"]
    assert year["budgets"]["rows"][0]["预算"] == "一般公共预算"
    final = year["reports"][3]
    assert final["approved_on"] == "2025-08-27"
    assert final["api_url"].endswith("/api/v1/fiscal/government/2024/final")
    assert len(final["tables"]) == 15
    detail = client.get(final["api_url"]).get_json()
    assert detail["title"] == "示例市2024年政府决算"
    assert "政府债务情况" in detail["narrative_markdown"]
    assert [table["table"] for table in detail["tables"]][:3] == [
        "summary", "general-revenue", "general-expenditure"]
    debt = next(table for table in detail["tables"] if table["table"] == "debt")
    assert debt == {"table": "debt", **client.get(FINAL + "debt.json").get_json()}
    for missing in ("/api/v1/fiscal/government/2023", "/api/v1/fiscal/government/2024/draft",
                    "/api/v1/fiscal/government/2024/final/nothing",
                    "/api/v1/fiscal/government/1800"):
        assert client.get(missing).status_code == 404


@pytest.mark.usefixtures("demo")
def test_bad_addresses_are_not_found(client: FlaskClient) -> None:
    for url in ("/fiscal/government/2023/", "/fiscal/government/2024/draft/",
                "/fiscal/government/2024/final-2/", "/fiscal/government/2024/final/nothing/",
                "/fiscal/government/2024/final/debt.pdf", "/fiscal/government/99999999999/",
                "/fiscal/government/2024/final/general-revenue/?code=" + "1" * 400,
                "/fiscal/government/2024/budgets.doc"):
        assert client.get(url).status_code == 404, url


def test_only_public_reports_are_shown_or_compared_with(app: Flask,
                                                        client: FlaskClient) -> None:
    future = clock.today() + dt.timedelta(days=10)
    with app.app_context(), unit_of_work() as session:
        make_agency(session, "czj")
        government = make_agency(session, "gov")
        save_report(session, government, report_data(2025))
        save_report(session, government, report_data(
            2025, ReportStage.FINAL, scale="1.1", approved_on=future - dt.timedelta(days=5),
            published_on=future))
    assert client.get("/fiscal/government/2025/final/").status_code == 404
    year = client.get("/fiscal/government/2025/").get_data(as_text=True)
    assert "决算（未公开）" in year
    assert "尚在公开期限内" in year
    budgets = Tables(year).tables["示例市2025年四本预算收支情况"]
    assert all(row[5] == "" for row in budgets[1:])  # no 决算数 before its publication
    assert "165.00" not in client.get("/api/v1/fiscal/government/2025").get_data(as_text=True)
    assert client.get("/api/v1/fiscal/government/2025/final").status_code == 404


def test_pages_without_any_report(client: FlaskClient) -> None:
    assert "尚未公开政府预决算" in client.get("/fiscal/government/").get_data(as_text=True)
    assert client.get("/fiscal/government/2025/").status_code == 404
    assert client.get("/api/v1/fiscal/government").get_json()["years"] == []


def test_document_body_links_to_the_report_page(app: Flask) -> None:
    from flask import url_for

    from opengov.site.fiscal.service.government_tables import public_path

    with app.test_request_context(), unit_of_work() as session:
        make_agency(session, "czj")
        report = save_report(session, make_agency(session, "gov"), report_data(2025))
        assert public_path(report) == url_for("public.fiscal_government_report", year=2025,
                                              report="budget")
        document = report.document
        assert document is not None
        assert document.agency.code == "czj"  # published by the finance department
        assert document.title == "示例市2025年政府预算"
        assert f"]({public_path(report)})" in document.body
        assert "农村公路养护补助" in document.body



@pytest.mark.usefixtures("demo")
def test_downloads_read_back_as_the_same_report(app: Flask, client: FlaskClient) -> None:
    """Every table of the 2024 决算 downloaded as XLSX and sent back as one workbook (as a
    finance department corrects and re-uploads) reads without problems, figure for figure."""
    from openpyxl import Workbook

    from opengov.site.fiscal.rules.government import ReportData
    from opengov.site.fiscal.service.government_import import read_report

    detail = {table["table"]: table for table in
              client.get("/api/v1/fiscal/government/2024/final").get_json()["tables"]}
    combined = Workbook()
    default = combined.active
    for number, slug in enumerate(detail, start=1):
        source = load_workbook(io.BytesIO(client.get(f"{FINAL}{slug}.xlsx").data)).active
        assert source is not None
        sheet = combined.create_sheet(f"表{number}")
        for row in source.iter_rows(values_only=True):
            sheet.append(list(row))
    assert default is not None
    combined.remove(default)
    buffer = io.BytesIO()
    combined.save(buffer)
    result = read_report("决算.xlsx", buffer.getvalue(), ReportData(2024, ReportStage.FINAL))
    assert result.problems == []
    assert list(result.data.tables) == list(detail)
    for slug, rows in result.data.tables.items():
        stored = detail[slug]
        figure = [column for column in stored["columns"] if column in ("决算数",)] or \
            stored["columns"][1:]
        expected = [[row[column] for column in figure] for row in stored["rows"]]
        assert [[None if amount is None else f"{amount:f}" for amount in row.amounts]
                for row in rows] == expected, slug
