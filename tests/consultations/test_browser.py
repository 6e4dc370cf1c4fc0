"""End to end in a real browser with CSRF on: a citizen comments on an open draft, staff
moderate the comment, sort it and publish the feedback once the period is over, and the
citizen reads the feedback on the consultation's page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from opengov.site.accounts.models import User
from opengov.site.consultations.models import ConsultationComment
from opengov.site.db import get_session
from tests.conftest import TEST_PASSWORD
from tests.consultations.conftest import Publisher, SetClock
from tests.support.liveserver import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    app_config["WTF_CSRF_ENABLED"] = True
    return app_config


def test_comment_moderate_publish_feedback_and_read_it(
        live_server: LiveServer, page: Any, browser: Any, publish: Publisher,
        staff: dict[str, User], today: SetClock) -> None:
    consultation_id = publish(closes_on=dt.date(2025, 9, 15))

    # The citizen finds the open consultation from the home page and comments.
    page.goto(live_server.url)
    page.get_by_role("link", name="示例市政务服务中心运行管理办法（征求意见稿）").click()
    assert page.locator("#phase").inner_text() == "征求意见中"
    page.get_by_label("意见和建议").fill("建议第二条写明乡镇便民服务中心也适用本办法。")
    page.get_by_label("电子邮箱（选填）").fill("not an address")
    page.get_by_role("button", name="提交意见").click()
    assert page.locator("#email-error").inner_text() == "请填写有效的电子邮箱"
    assert "乡镇便民服务中心" in page.get_by_label("意见和建议").input_value()
    page.get_by_label("电子邮箱（选填）").fill("")
    page.get_by_role("button", name="提交意见").click()
    assert "您的意见已收到，编号为第1条" in page.locator(".flashes").inner_text()

    comment_id = get_session().scalars(select(ConsultationComment.id)).one()

    # The drafting office moderates and sorts it, and publishes the feedback after the end.
    office = browser.new_context(locale="zh-CN")
    staff_page = office.new_page()
    staff_page.goto(f"{live_server.url}/staff/login")
    staff_page.get_by_label("用户名").fill("czj_reviewer")
    staff_page.get_by_label("密码").fill(TEST_PASSWORD)
    staff_page.get_by_role("button", name="登录").click()
    staff_page.goto(f"{live_server.url}/staff/consultations")
    staff_page.get_by_role("link", name="示例市政务服务中心运行管理办法（征求意见稿）").click()
    group = staff_page.locator("#group-new")
    group.get_by_label("意见概括").fill("建议明确乡镇便民服务中心适用本办法。")
    group.get_by_label("采纳情况", exact=True).select_option("采纳")
    group.get_by_label("理由或采纳情况说明").fill("已在第二条增加乡镇便民服务中心。")
    group.get_by_role("button", name="保存").click()
    assert "意见类别已保存" in staff_page.locator(".flashes").inner_text()
    moderated = staff_page.locator(f"#comment-{comment_id}")
    moderated.get_by_label("已公开").check()
    moderated.get_by_label("归入类别").select_option(label="第1类：建议明确乡镇便民服务中心适用本办法。")
    moderated.get_by_role("button", name="保存").click()
    staff_page.get_by_role("link", name="已公开（1）").click()
    assert staff_page.locator(f"#comment-{comment_id} .status").inner_text() == "已公开"
    assert staff_page.locator(f"#comment-{comment_id} .group").inner_text() == "归入第1类"

    today.set(dt.date(2025, 9, 16))
    staff_page.reload()
    assert staff_page.locator("#phase").inner_text() == "意见整理中"
    staff_page.get_by_label("总体说明").fill("感谢公众参与，采纳的意见已在办法中体现。")
    staff_page.get_by_role("button", name="公布意见采纳情况").click()
    assert staff_page.locator("#phase").inner_text() == "已公布采纳情况"
    office.close()

    # The citizen reads the feedback and finds their comment by its number.
    page.goto(f"{live_server.url}/consultations/{consultation_id}")
    assert page.locator("#phase").inner_text() == "已公布采纳情况"
    feedback = page.locator("#feedback").locator("xpath=..")
    text = feedback.inner_text()
    assert "采纳" in text
    assert "第1条" in text
    assert "已在第二条增加乡镇便民服务中心" in text
    assert "建议第二条写明乡镇便民服务中心也适用本办法。" in page.locator("#c1").inner_text()
    assert page.get_by_label("意见和建议").count() == 0  # closed: no form
