"""In a real browser with CSRF on: from the home page to an item's printable checklist, and
an applicant rating a closed request with the query code."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy.orm import Session

from opengov.site.cli import main
from opengov.site.config import PROJECT_ROOT
from opengov.site.personal_data import key_from_secret
from tests.ratings.conftest import Filer, closed_request  # noqa: F401 - fixture
from tests.service_items.conftest import agencies  # noqa: F401 - fixture
from tests.support.liveserver import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    app_config["WTF_CSRF_ENABLED"] = True
    app_config["PERSONAL_DATA_KEY"] = key_from_secret("test personal data key")
    return app_config


@pytest.fixture
def demo(app: Flask, db_session: Session, runner: FlaskCliRunner) -> None:
    content = str(PROJECT_ROOT / "content")
    for args in (["import-content", content], ["import-service-items", content]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output


def test_from_the_home_page_to_a_printable_checklist(demo: None, live_server: LiveServer,
                                                     page: Any) -> None:
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="办事服务").click()
    page.get_by_role("link", name="婚姻登记（3）").click()
    page.get_by_role("link", name="内地居民结婚登记").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("内地居民结婚登记")
    assert page.get_by_role("heading", name="申请材料").is_visible()
    page.get_by_role("link", name="打印材料清单").click()
    assert page.get_by_role("heading", level=1).inner_text() == "内地居民结婚登记（示例）"
    checklist = page.locator(".checklist-materials").inner_text()
    assert "本人的居民身份证" in checklist
    assert page.get_by_role("heading", name="请带齐以下材料").is_visible()
    # Printed, it stays on one A4 page.
    pdf = page.pdf(format="A4", print_background=False)
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 1


def test_the_applicant_rates_a_closed_request(live_server: LiveServer, page: Any,
                                              closed_request: Filer) -> None:  # noqa: F811
    filed, code = closed_request()
    page.goto(live_server.url + "/requests/status")
    page.get_by_label("申请编号").fill(filed.number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    assert page.locator("#stage").inner_text() == "已答复"
    page.get_by_role("link", name="评价本次办理（好差评）").click()
    assert page.get_by_label("申请编号").input_value() == filed.number
    page.get_by_label("查询码").fill(code)
    page.get_by_role("group", name="整体满意度").get_by_label("满意", exact=True).check()
    page.get_by_role("group", name="办事效率").get_by_label("非常满意").check()
    page.get_by_role("button", name="提交评价").click()
    assert page.get_by_role("heading", level=1).inner_text() == "感谢您的评价"
    # Once per request.
    page.goto(f"{live_server.url}/requests/rating?number={filed.number}")
    page.get_by_label("查询码").fill(code)
    page.get_by_role("group", name="整体满意度").get_by_label("非常满意").check()
    page.get_by_role("button", name="提交评价").click()
    assert "每件申请只能评价一次" in page.locator(".flash-error").inner_text()
