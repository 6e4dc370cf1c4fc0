"""In a real browser: an editor writes (live preview) and submits, a reviewer approves, the
document is published and public."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from opengov.site.accounts.rules.roles import Role
from opengov.site.catalog.models import Document
from opengov.site.catalog.rules.metadata import PublicationStatus
from opengov.site.db import get_session
from opengov.site.search.service.index import process_outbox
from tests.conftest import TEST_PASSWORD
from tests.support.liveserver import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    app_config["WTF_CSRF_ENABLED"] = True  # the real forms, tokens and all
    return app_config


def _sign_in(page: Any, server: LiveServer, username: str) -> None:
    page.goto(f"{server.url}/staff/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{server.url}/staff/")


def test_write_submit_approve_publish(app: Flask, live_server: LiveServer, browser: Any,
                                      make_user: Callable[..., object],
                                      catalog_ids: dict[str, int]) -> None:
    make_user("writer", Role.EDITOR)
    make_user("checker", Role.REVIEWER)

    editor = browser.new_context(locale="zh-CN").new_page()
    _sign_in(editor, live_server, "writer")
    editor.get_by_role("link", name="文件").first.click()
    editor.get_by_role("link", name="新建文件").click()
    editor.get_by_label("标题").fill("关于开展2026年政务公开评估的通知")
    editor.get_by_label("栏目").select_option(label="　政策文件")
    editor.get_by_label("主题分类").select_option(value="综合政务\\政务公开")
    editor.get_by_label("发文字号").fill("示政办发〔2026〕12号")
    editor.get_by_label("正文（Markdown）").fill(
        "## 一、评估范围\n\n全市各单位。<script>window.pwned=1</script>")
    # The live preview is rendered by the server's pipeline: heading shown, script gone.
    editor.locator("#preview h2").filter(has_text="一、评估范围").wait_for()
    assert "<script" not in editor.locator("#preview").inner_html()
    editor.get_by_role("button", name="保存草稿").click()
    editor.get_by_text("草稿已保存。").wait_for()
    editor.get_by_role("link", name="返回文件页（审核与发布）").click()
    editor.get_by_role("button", name="提交审核").click()
    editor.get_by_text("已提交审核。").wait_for()
    document_url = editor.url

    reviewer = browser.new_context(locale="zh-CN").new_page()
    _sign_in(reviewer, live_server, "checker")
    reviewer.get_by_role("link", name="待审核", exact=True).click()
    reviewer.get_by_role("link", name="关于开展2026年政务公开评估的通知").click()
    reviewer.get_by_label("意见或理由").fill("经保密审查，不涉及国家秘密，同意公开。")
    reviewer.get_by_role("button", name="审核通过").click()
    reviewer.get_by_text("已审核通过。").wait_for()
    reviewer.get_by_role("button", name="发布").click()
    reviewer.get_by_text("已发布。").wait_for()
    reviewer.get_by_text("第 1 版").wait_for()

    with app.app_context():
        document = get_session().scalars(select(Document).where(
            Document.title == "关于开展2026年政务公开评估的通知")).one()
        assert document.status == PublicationStatus.PUBLISHED
        assert document.is_public
        assert document.index_no is not None
        document_id = document.id
    assert document_url.endswith(f"/staff/documents/{document_id}")
    with app.app_context():
        process_outbox()  # what the index worker does beside the site
    # A citizen finds it through the search box and opens it.
    public = browser.new_context(locale="zh-CN").new_page()
    public.goto(live_server.url)
    public.get_by_role("searchbox").first.fill("政务公开评估")
    public.get_by_role("searchbox").first.press("Enter")
    public.get_by_role("link", name="关于开展2026年政务公开评估的通知").first.click()
    public.wait_for_url(f"**/documents/{document_id}")
    public.get_by_text("关于开展2026年政务公开评估的通知").first.wait_for()
