"""End to end in a real browser with CSRF on: an applicant files a request, a handler answers
it, and the applicant downloads the reply letter."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.db import unit_of_work
from tests.conftest import TEST_PASSWORD
from tests.factories import make_agency
from tests.requests.conftest import VALID_ID
from tests.support.liveserver import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    app_config["WTF_CSRF_ENABLED"] = True
    return app_config


def test_file_answer_and_download(live_server: LiveServer, page: Any, browser: Any,
                                  db_session: Session, make_user: Callable[..., User],
                                  tmp_path: Path) -> None:
    with unit_of_work() as session:
        make_agency(session, "gov")
        make_agency(session, "czj")
    make_user("handler1", Role.HANDLER)

    # The applicant fills the form, checks it and confirms.
    page.goto(f"{live_server.url}/requests/new")
    page.get_by_label("受理机关").select_option(label="示例市财政局")
    page.get_by_label("姓名或者名称").fill("张三")
    page.get_by_label("证件号码").fill("110105194912310021")  # wrong check digit first
    page.get_by_label("联系电话").fill("13800000000")
    page.get_by_label("电子邮箱").fill("zhangsan@example.com")
    page.get_by_label("通信地址").fill("示例市人民路100号")
    page.get_by_label("文号").fill("示财发〔2024〕5号")
    page.get_by_label("所需信息的内容描述").fill("2024年度部门预算调整情况")
    page.get_by_role("button", name="下一步：核对申请").click()
    assert page.locator("#id_number-error").inner_text().startswith("居民身份证号码校验位不正确")
    assert page.get_by_label("通信地址").input_value() == "示例市人民路100号"
    page.get_by_label("证件号码").fill(VALID_ID)
    page.get_by_role("button", name="下一步：核对申请").click()
    page.get_by_role("button", name="确认提交").click()
    number = page.locator("#request-number").inner_text()
    code = page.locator("#query-code").inner_text()
    assert number.startswith("YSQ-")

    # A handler decides, signs off and delivers the reply.
    staff = browser.new_context(locale="zh-CN")
    handler = staff.new_page()
    handler.goto(f"{live_server.url}/staff/login")
    handler.get_by_label("用户名").fill("handler1")
    handler.get_by_label("密码").fill(TEST_PASSWORD)
    handler.get_by_role("button", name="登录").click()
    handler.goto(f"{live_server.url}/staff/requests")
    handler.get_by_role("link", name=number).click()
    handler.locator("#act-decided summary").click()
    handler.locator("#decided-outcome").select_option("1")
    handler.locator("#decided-detail").fill("现将所申请的预算调整文件随本答复书提供。")
    handler.locator("#act-decided button[type=submit]").click()
    assert handler.locator("#stage").inner_text() == "待签发"
    handler.locator("#act-signed_off summary").click()
    handler.locator("#act-signed_off button[type=submit]").click()
    handler.locator("#act-replied summary").click()
    handler.locator("#replied-delivery").fill("电子邮件")
    handler.locator("#act-replied button[type=submit]").click()
    assert handler.locator("#stage").inner_text() == "已答复"
    staff.close()

    # The applicant looks the request up and downloads the letter.
    page.goto(f"{live_server.url}/requests/status")
    page.get_by_label("申请编号").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    assert page.locator("#stage").inner_text() == "已答复"
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载PDF").click()
    target = tmp_path / "letter.pdf"
    download_info.value.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")
    assert "答复书" in download_info.value.suggested_filename
