"""The 三公经费 comparison in a real browser: table and chart shown, a table downloaded."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from openpyxl import load_workbook

from opengov.site.config import PROJECT_ROOT
from opengov.site.fiscal.service.content import import_content
from tests.support.liveserver import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def fiscal_content(app: Flask) -> None:
    with app.app_context():
        import_content(PROJECT_ROOT / "content" / "fiscal")


@pytest.mark.usefixtures("fiscal_content")
def test_sangong_comparison_downloads(page: Any, live_server: LiveServer,
                                      tmp_path: Path) -> None:
    page.goto(f"{live_server.url}/fiscal/sangong")
    assert page.get_by_role("heading", name="示例市人民政府各部门“三公”经费").is_visible()
    departments = page.locator("#departments-table table")
    assert departments.get_by_role("rowheader", name="示例市住房和城乡建设局").is_visible()
    # One chart, drawn for wide and for narrow screens; the style sheet shows one.
    assert page.locator("svg.fiscal-chart").count() == 2
    assert page.locator("svg.fiscal-chart:visible").count() == 1
    assert page.locator("#departments-chart-title").count() == 1
    assert page.locator("#sources-table").count() == 0  # other bodies' figures: own page

    page.get_by_role("link", name=re.compile("其他地方和部门公开发布的“三公”经费")).click()
    page.wait_for_url("**/fiscal/sangong/references")
    assert page.get_by_role("heading", name="其他地方和部门公开的“三公”经费（参考资料）").is_visible()
    sources = page.locator("#sources-table")
    assert sources.get_by_role("link", name="www.shouxian.gov.cn").count() == 1

    with page.expect_download() as caught:
        sources.get_by_role("link", name=re.compile(r"^CSV")).click()
    download = caught.value
    assert download.suggested_filename.endswith(".csv")
    saved = tmp_path / "sources.csv"
    download.save_as(saved)
    raw = saved.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 29
    central = next(row for row in rows if row[0] == "中央本级" and row[2] == "2013")
    assert central[4] == "亿元"
    assert central[5] == "79.69"
    assert central[11] == "796900.00"

    # Narrow to one department and year, then take the XLSX of that table.
    page.goto(f"{live_server.url}/fiscal/sangong")
    page.get_by_label("2025").check()
    page.get_by_label("示例市住房和城乡建设局").check()
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**/fiscal/sangong?**")
    with page.expect_download() as caught:
        page.locator("#departments-table").get_by_role(
            "link", name=re.compile(r"^XLSX")).click()
    caught.value.save_as(tmp_path / "departments.xlsx")
    sheet = load_workbook(tmp_path / "departments.xlsx").active
    assert sheet is not None
    data = [list(row) for row in sheet.iter_rows(min_row=4, values_only=True) if row[1]]
    assert [row[:3] for row in data] == [["示例市住房和城乡建设局", 2025, "预算"]]
    assert data[0][8] == 52
