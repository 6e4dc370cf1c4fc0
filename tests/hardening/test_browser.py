"""In a real browser: the strict Content-Security-Policy blocks nothing the site itself uses on
any public page type (every feature's), and axe-core finds no violation on the pages of the hardening (the staff
pages of 热门搜索管理, the second factor, the forced password change, the review queue, the
"暂时无法提交" page) nor on the staff pages whose 修改密码 link was unreadable."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from flask import Flask

from opengov.site.accounts.rules.roles import Role
from opengov.site.personal_data import key_from_secret
from tests.architecture.test_routes import populated
from tests.conftest import TEST_PASSWORD
from tests.hardening import pages
from tests.structure.test_browser import PAGES
from tests.support.liveserver import LiveServer

__all__ = ["populated"]

pytestmark = [pytest.mark.browser, pytest.mark.slow]

STAFF_PAGES = ["/staff/search/popular", "/staff/account/second-factor", "/staff/review",
               "/staff/requests", "/staff/requests/new", "/staff/calendar", "/staff/",
               "/staff/fiscal/import", "/staff/users/new"]


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    app_config["WTF_CSRF_ENABLED"] = True
    app_config["PERSONAL_DATA_KEY"] = key_from_secret("browser")
    return app_config


@pytest.fixture
def site(populated: Flask) -> Flask:
    """The site with every feature's demo content (consultations, service items, powers)."""
    return populated


def test_the_policy_blocks_nothing_the_site_uses(site: Flask, live_server: LiveServer,
                                                  page: Any) -> None:
    blocked: list[tuple[str, str]] = []
    current = {"url": ""}
    page.on("console", lambda message: blocked.append((current["url"], message.text))
            if "Content Security Policy" in message.text else None)
    for url in PAGES + pages.PUBLIC_PAGES + pages.detail_pages(site.test_client()):
        current["url"] = url
        page.goto(live_server.url + url)
    assert not blocked, blocked
    # The menu script ran under the policy: the button is shown on a phone.
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + "/")
    assert page.is_visible(".nav-toggle")


def _axe(page: Any) -> list[tuple[str, list[Any]]]:
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    return [(v["id"], [node["target"] for node in v["nodes"]][:3]) for v in violations]


def test_axe_finds_no_violation_on_the_hardening_pages(
        site: Flask, live_server: LiveServer, page: Any, make_user: Any,
        capsys: pytest.CaptureFixture[str]) -> None:
    make_user("everyone", *Role)
    page.goto(live_server.url + "/staff/login")
    page.fill("#username", "everyone")
    page.fill("#password", TEST_PASSWORD)
    page.click("button[type=submit]")
    found = {}
    checked = 0
    for url in STAFF_PAGES:
        page.goto(live_server.url + url)
        checked += 1
        if violations := _axe(page):
            found[url] = violations
    # The 503 page that keeps the form: the database locked by another writer (SQLite's
    # write lock; tests/hardening/test_faults.py covers PostgreSQL's refusals).
    database_url = str(site.config["DATABASE_URL"])
    if database_url.startswith("sqlite:///"):
        site.config["DATABASE_BUSY_TIMEOUT_SECONDS"] = 0.2
        page.goto(live_server.url + "/report-error?page=/guide")
        page.check("input[name=problem] >> nth=0")
        page.fill("#description", "第二段的电话号码有误。")
        holder = sqlite3.connect(database_url.removeprefix("sqlite:///"))
        holder.execute("BEGIN IMMEDIATE")
        try:
            page.click("form.report-form button[type=submit]")
            page.wait_for_selector("text=暂时无法提交，您填写的内容已保留")
            assert "第二段的电话号码有误。" in page.content()
            checked += 1
            if violations := _axe(page):
                found["503"] = violations
        finally:
            holder.rollback()
            holder.close()
    with capsys.disabled():
        print(f"\naxe-core: {checked} staff and fault pages, {len(found)} with violations")
    assert not found, found
