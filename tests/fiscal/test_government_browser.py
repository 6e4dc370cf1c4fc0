"""A citizen follows the government's budget in a real browser, without scripts: from the
years to where the money goes, down from 类 to 款 to 项, and takes the whole table home."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from opengov.site.config import PROJECT_ROOT
from opengov.site.fiscal.service.content import import_content
from tests.support.liveserver import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def fiscal_content(app: Flask) -> None:
    with app.app_context():
        import_content(PROJECT_ROOT / "content" / "fiscal")


@pytest.mark.usefixtures("fiscal_content")
def test_from_the_years_down_to_an_item_and_home_as_csv(page: Any, live_server: LiveServer,
                                                        tmp_path: Path) -> None:
    page.goto(f"{live_server.url}/fiscal/")
    page.get_by_role("link", name="查看政府预决算").click()
    assert page.get_by_role("heading", level=1).inner_text() == "示例市政府预决算"
    page.get_by_role("link", name="2024年", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "示例市2024年政府预决算"
    assert page.locator("svg.fiscal-chart[role=img]").count() == 2

    spending = page.locator("#spending")
    assert spending.get_by_role("img").get_attribute("aria-labelledby") == \
        "spending-chart-title spending-chart-desc"
    spending.get_by_role("link", name=re.compile("^教育支出")).click()
    assert page.get_by_role("navigation", name="科目层级").inner_text().endswith("205 教育支出")
    table = page.locator("figure.fiscal-table table")
    assert table.get_by_role("rowheader", name="教育支出").is_visible()
    page.get_by_role("link", name=re.compile("^普通教育")).click()
    assert table.get_by_role("rowheader", name="小学教育").is_visible()
    assert page.locator("svg.fiscal-chart title").first.text_content().endswith("“普通教育”下各项")

    with page.expect_navigation():  # count the rows of the page the link opens, not this one
        page.get_by_role("link", name="查看全部科目").click()
    shown = page.locator("figure.fiscal-table tbody tr").count()
    assert shown > 10
    with page.expect_download() as caught:
        page.get_by_role("link", name=re.compile("^CSV")).click()
    saved = tmp_path / "spending.csv"
    caught.value.save_as(saved)
    rows = list(csv.reader(io.StringIO(saved.read_bytes().decode("utf-8-sig"))))
    assert len(rows) == shown + 1  # the header, then the rows the page shows
    assert rows[0][4] == "决算数"
