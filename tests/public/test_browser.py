"""The public pages in a real browser: home → column → document, keyboard and layout."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.public.conftest import Catalog
from tests.support.liveserver import LiveServer

#: Set to a folder to keep screenshots for a human look (they are never committed).
SCREENSHOT_DIR = os.environ.get("OPENGOV_TEST_SCREENSHOTS")


def screenshot(page: Any, name: str) -> None:
    if SCREENSHOT_DIR:
        Path(SCREENSHOT_DIR).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOT_DIR) / name), full_page=True)


@pytest.mark.browser
@pytest.mark.slow
def test_home_to_column_to_document(live_server: LiveServer, page: Any,
                                    catalog: Catalog) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    assert page.title() == "示例市人民政府政府信息公开"
    screenshot(page, "home.png")

    # The skip link is the first thing the keyboard reaches and it leads to <main>.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到主要内容"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    page.get_by_role("navigation", name="主导航").get_by_role(
        "link", name="法定主动公开内容").click()
    page.wait_for_url("**/columns/statutory")
    assert page.locator("h1").inner_text() == "法定主动公开内容"
    headers = page.locator("table.doc-list thead th").all_inner_texts()
    assert headers == ["索引号", "标题", "发文字号", "发布日期"]

    page.get_by_label("发布机构").select_option("czj")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**/columns/statutory?agency=czj*")
    assert page.locator("table.doc-list tbody tr").count() == 2
    screenshot(page, "column.png")

    page.get_by_role("link", name="示例市2024年财政预算").click()
    page.wait_for_url(f"**/documents/{catalog.budget}")
    rows = {}
    for row in page.locator("table.metadata tr").all():
        cells = row.locator("th, td").all_inner_texts()
        rows.update(zip(cells[0::2], cells[1::2], strict=False))
    assert rows["发文机关"] == "示例市财政局"
    assert rows["发布日期"] == "2024-02-01"
    assert rows["主题分类"] == "财政、金融、审计\\财政"
    assert rows["索引号"].startswith("007000002/2024-")
    assert rows["有效性"] == "有效"
    assert page.locator("h1").inner_text() == "示例市2024年财政预算"
    with page.expect_download() as download_info:
        page.get_by_role("link", name="2024年示例市财政预算公开表（草案）.pdf").click()
    assert download_info.value.suggested_filename == "2024年示例市财政预算公开表（草案）.pdf"
    screenshot(page, "document.png")

    # 长辈版 without JavaScript: a plain link, remembered by a cookie.
    page.get_by_role("link", name="长辈版").click()
    assert "elder" in (page.locator("body").get_attribute("class") or "")
    font_size = page.evaluate("getComputedStyle(document.body).fontSize")
    assert float(font_size.removesuffix("px")) > 16
    page.goto(live_server.url + "/")
    assert "elder" in (page.locator("body").get_attribute("class") or "")
    screenshot(page, "home-elder.png")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + f"/documents/{catalog.policy}")
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow
    screenshot(page, "document-mobile.png")
