"""End to end in a real browser with CSRF on: an applicant files a request, a handler decides
and attaches the released file redacted, another person signs off, and the applicant downloads
the letter and the file, in which nothing of what was redacted can be found."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdf
import pytest
from sqlalchemy.orm import Session

from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.db import unit_of_work
from tests.conftest import TEST_PASSWORD
from tests.factories import make_agency
from tests.requests.conftest import VALID_ID
from tests.requests.released_pdf import (
    KEPT,
    SECRET_ID,
    SECRET_MOBILE,
    SECRET_NAME,
    released_pdf,
)
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
    make_user("signer1", Role.HANDLER)

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

    # A handler decides to release part, attaches the file with the third party's data
    # redacted; a second person signs off; the reply is delivered.
    source = tmp_path / "拨付情况.pdf"
    source.write_bytes(released_pdf())

    def signed_in(username: str) -> Any:
        context = browser.new_context(locale="zh-CN")
        staff_page = context.new_page()
        staff_page.goto(f"{live_server.url}/staff/login")
        staff_page.get_by_label("用户名").fill(username)
        staff_page.get_by_label("密码").fill(TEST_PASSWORD)
        staff_page.get_by_role("button", name="登录").click()
        staff_page.goto(f"{live_server.url}/staff/requests")
        staff_page.get_by_role("link", name=number).click()
        return context, staff_page

    staff, handler = signed_in("handler1")
    handler.locator("#act-decided summary").click()
    handler.locator("#decided-outcome").select_option("2")
    handler.locator("#decided-detail").fill("施工单位联系人的个人信息属于个人隐私，不予公开")
    handler.locator("#act-decided button[type=submit]").click()
    assert handler.locator("#stage").inner_text() == "待签发"
    assert "签发须由另一位工作人员进行" in handler.locator("#sign-off-rule").inner_text()
    handler.locator("#release-upload summary").click()
    handler.get_by_label("文件（PDF、图片或 Office 文件）").set_input_files(str(source))
    handler.get_by_label("遮盖以下文字（每行一项，如第三方姓名、单位名称）").fill(SECRET_NAME)
    handler.get_by_label("遮盖文件中所有居民身份证号码").check()
    handler.get_by_label("遮盖文件中所有手机号码").check()
    handler.get_by_role("button", name="遮盖并附上").click()
    assert "删除文字" in handler.locator("ul.released").inner_text()
    staff.close()
    staff, signer = signed_in("signer1")
    signer.locator("#act-signed_off summary").click()
    signer.locator("#act-signed_off button[type=submit]").click()
    signer.locator("#act-replied summary").click()
    signer.locator("#replied-delivery").fill("网上下载、电子邮件")
    signer.locator("#act-replied button[type=submit]").click()
    assert signer.locator("#stage").inner_text() == "已答复"
    staff.close()

    # The applicant looks the request up, typing the code the forgiving way, and downloads
    # the letter and the released file.
    page.goto(f"{live_server.url}/requests/status")
    page.get_by_label("申请编号").fill(number.replace("-", "").lower())
    page.get_by_label("查询码").fill(code.replace("-", " ").lower())
    page.get_by_role("button", name="查询").click()
    assert page.locator("#stage").inner_text() == "已答复"
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载PDF").click()
    target = tmp_path / "letter.pdf"
    download_info.value.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")
    assert "答复书" in download_info.value.suggested_filename
    released = page.locator("#released-files")
    assert "拨付情况.pdf" in released.inner_text()
    with page.expect_download() as download_info:
        released.get_by_role("button", name="下载").click()
    received = tmp_path / "received.pdf"
    download_info.value.save_as(received)
    text = "".join(page_.extract_text() for page_ in pypdf.PdfReader(received).pages)
    text = "".join(text.replace("\x00", "").split())
    assert KEPT in text
    for secret in (SECRET_NAME, SECRET_ID, SECRET_MOBILE):
        assert secret not in text
