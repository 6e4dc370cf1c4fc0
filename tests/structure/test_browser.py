"""Every public page type on a phone (375 px, and 320/414 for the widest pages): no sideways
scrolling, a menu that opens from its button; axe-core finds no violation on the new pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from opengov.site.cli import main
from opengov.site.config import PROJECT_ROOT
from tests.support.liveserver import LiveServer

#: One page of every public type, with the demo content loaded.
PAGES = [
    "/", "/search?q=政务公开", "/search?q=没有这样的词语组合", "/guide", "/agencies/czj/guide",
    "/catalog", "/agencies/qsz/catalog", "/columns/statutory", "/columns/policies",
    "/columns/policies?year=abc", "/agencies", "/agencies/qsz", "/fiscal/", "/fiscal/czj/",
    "/fiscal/czj/2025/budget/", "/fiscal/sangong", "/fiscal/sangong/references",
    "/requests/new", "/requests/status", "/statistics", "/standard-catalog",
    "/agencies/qsz/standard-catalog", "/agencies/qsz/standard-catalog/social-assistance",
    "/sitemap", "/report-error?page=/guide", "/no-such-page",
]
#: The pages this issue added or rebuilt: checked by axe-core.
NEW_PAGES = [
    "/standard-catalog", "/agencies/qsz/standard-catalog",
    "/agencies/qsz/standard-catalog/social-assistance", "/sitemap", "/report-error?page=/guide",
    "/fiscal/sangong", "/fiscal/sangong/references",
]


@pytest.fixture
def site(app: Flask) -> Flask:
    runner = app.test_cli_runner()
    for args in (["import-content", str(PROJECT_ROOT / "content")],
                 ["import-fiscal", str(PROJECT_ROOT / "content" / "fiscal")],
                 ["standard-catalog", "load", str(PROJECT_ROOT / "content" / "standard_catalog")],
                 ["index", "rebuild"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, (args, result.output)
    return app


@pytest.fixture
def document_url(site: Flask) -> Iterator[str]:
    client = site.test_client()
    html = client.get("/columns/policies").get_data(as_text=True)
    start = html.index('href="/documents/') + len('href="')
    return html[start:html.index('"', start)]


def overflow(page: Any) -> int:
    """How many pixels the page is wider than the screen (0: no sideways scrolling)."""
    return int(page.evaluate(
        "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - window.innerWidth"))


@pytest.mark.browser
@pytest.mark.slow
def test_no_page_scrolls_sideways_on_a_phone(site: Flask, live_server: LiveServer, page: Any,
                                             document_url: str) -> None:
    wide = {}
    for width in (375, 320, 414):
        page.set_viewport_size({"width": width, "height": 800})
        urls = [*PAGES, document_url, document_url + "/print"] if width == 375 else [
            "/guide", "/agencies/qsz/standard-catalog/social-assistance", "/fiscal/sangong",
            "/fiscal/sangong/references", "/fiscal/czj/2025/budget/", document_url]
        for url in urls:
            page.goto(live_server.url + url)
            excess = overflow(page)
            if excess > 0:
                wide[(width, url)] = excess
    assert not wide, wide


@pytest.mark.browser
@pytest.mark.slow
def test_the_menu_collapses_behind_a_button_on_a_phone(site: Flask, live_server: LiveServer,
                                                       page: Any) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + "/guide")
    toggle = page.get_by_role("button", name="菜单")
    menu = page.locator("#site-nav-list")
    assert toggle.is_visible()
    assert not menu.is_visible()
    header = page.locator(".site-header").bounding_box()
    assert header is not None
    assert header["height"] < 140
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert menu.is_visible()
    menu.get_by_role("link", name="政府信息公开目录").click()
    page.wait_for_url("**/catalog")
    # Escape closes it again and gives the focus back to the button.
    page.get_by_role("button", name="菜单").click()
    page.keyboard.press("Escape")
    assert not page.locator("#site-nav-list").is_visible()
    # On a desktop there is no button and the menu is one bar.
    page.set_viewport_size({"width": 1280, "height": 800})
    assert not page.get_by_role("button", name="菜单").is_visible()
    assert page.locator("#site-nav-list").is_visible()


@pytest.mark.browser
@pytest.mark.slow
def test_the_chart_is_redrawn_for_a_narrow_screen(site: Flask, live_server: LiveServer,
                                                  page: Any) -> None:
    def smallest_label(selector: str) -> float:
        return float(page.evaluate(
            "sel => Math.min(...[...document.querySelectorAll(sel + ' text')]"
            ".map(t => t.getBoundingClientRect().height))", selector))

    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + "/fiscal/sangong")
    assert page.locator("svg.chart-narrow").first.is_visible()
    assert not page.locator("svg.chart-wide").first.is_visible()
    assert smallest_label("svg.chart-narrow") >= 10  # readable, not ~5 px
    page.set_viewport_size({"width": 1280, "height": 800})
    assert page.locator("svg.chart-wide").first.is_visible()
    assert not page.locator("svg.chart-narrow").first.is_visible()


@pytest.mark.browser
@pytest.mark.slow
def test_axe_finds_no_violation_on_the_new_pages(site: Flask, live_server: LiveServer,
                                                 page: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    found = {}
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        for url in NEW_PAGES:
            page.goto(live_server.url + url)
            violations = axe.run(page).response["violations"]
            if violations:
                found[(width, url)] = [(v["id"], [n["target"] for n in v["nodes"]][:3])
                                       for v in violations]
    assert not found, found
