"""The editor: metadata rules, the sanitised preview, concurrent edits, autosave, Art. 26."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from flask import Flask
from flask.testing import FlaskClient

from opengov.site import clock
from opengov.site.accounts.rules.roles import Role
from opengov.site.catalog.models import Document
from opengov.site.db import get_session, unit_of_work
from opengov.site.rendering import render_markdown
from tests.factories import make_document
from tests.staff.conftest import document_form


@pytest.fixture
def editor(make_user: Callable[..., object],
           client_for: Callable[[str], FlaskClient]) -> FlaskClient:
    make_user("writer", Role.EDITOR)
    return client_for("writer")


def _new(editor: FlaskClient, ids: dict[str, int], **fields: object) -> tuple[int, str]:
    response = editor.post("/staff/documents/new",
                           data=document_form(ids["policies"], ids["agency"], **fields))
    if response.status_code == 302:
        return int(response.headers["Location"].split("/")[-2]), ""
    return 0, response.get_data(as_text=True)


@pytest.mark.parametrize(("fields", "message"), [
    ({"title": ""}, "请输入标题"),
    ({"doc_number": "示政办发[2026]7号"}, "发文字号格式不正确"),
    ({"doc_number": "示政办发(2026)7号"}, "发文字号格式不正确"),
    ({"topic": "综合政务\\不存在的分类"}, "请从主题分类表中选择"),
    ({"topic": ""}, "请选择主题分类"),
    ({"date_written": "2026-01-05", "changed_on": "2026-01-01"}, "不能早于成文日期"),
    ({"date_written": "2026-01-05", "effective_on": "2025-12-01"}, "实施日期不能早于成文日期"),
    ({"effective_on": "2026-02-01", "repealed_on": "2026-02-01"}, "废止/失效日期必须晚于"),
    ({"date_written": "2099-01-01", "effective_on": ""}, "成文日期不能晚于今天"),
    ({"date_written": "2026-13-45"}, "不是有效的日期"),
    ({"disclosure": "不予公开", "non_disclosure_reason": ""}, "必须说明理由"),
    ({"disclosure": "依申请公开", "non_disclosure_reason": " "}, "必须说明理由"),
])
def test_metadata_rules_are_shown_beside_the_field_and_input_is_kept(
        editor: FlaskClient, catalog_ids: dict[str, int], fields: dict[str, str],
        message: str) -> None:
    document_id, page = _new(editor, catalog_ids, **fields)
    assert document_id == 0
    assert message in page
    assert 'class="field-error"' in page
    assert "关于做好2026年政务公开工作的通知" in page or not fields.get("title", True)


def test_agency_outside_ones_own_is_refused(app: Flask, make_user: Callable[..., object],
                                            client_for: Callable[[str], FlaskClient],
                                            catalog_ids: dict[str, int]) -> None:
    make_user("local", Role.EDITOR, agency_id=catalog_ids["other_agency"])
    client = client_for("local")
    document_id, page = _new(client, catalog_ids)  # tries the root agency
    assert document_id == 0
    assert "不能为该机构撰稿" in page
    document_id, _ = _new(client, catalog_ids, agency=str(catalog_ids["other_agency"]))
    assert document_id > 0


def test_interpretation_links_to_its_policy(app: Flask, editor: FlaskClient,
                                            catalog_ids: dict[str, int]) -> None:
    with app.app_context(), unit_of_work() as session:
        policy = make_document(session, title="示例市优化营商环境条例实施办法")
        policy_id = policy.id
    # Only an interpretation may point at a policy.
    _, page = _new(editor, catalog_ids, policies=[str(policy_id)])
    assert "只有政策解读" in page
    document_id, page = _new(editor, catalog_ids, genre="政策解读", doc_number="",
                             category=str(catalog_ids["interpretations"]),
                             policies=[str(policy_id)])
    assert document_id, page
    with app.app_context():
        document = get_session().get(Document, document_id)
        assert document is not None
        assert [p.title for p in document.policies] == ["示例市优化营商环境条例实施办法"]
    _, page = _new(editor, catalog_ids, genre="政策解读", policies=["999999"])
    assert "只能选择已发布的政策文件" in page


XSS = [
    "<script>alert(1)</script>正文",
    '<img src=x onerror="alert(1)">',
    "[点我](javascript:alert(1))",
    "[点我](JaVaScRiPt:alert(1))",
    "[点我](&#106;avascript:alert(1))",
    '![图](x" onerror="alert(1))',
    '<a href="#" onclick="alert(1)">链接</a>',
    "<iframe src=//evil.example></iframe>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<svg><script>alert(1)</script></svg>",
    '<p title="a" onmouseover="alert(1)">悬停</p>',
]


class _Inspector(HTMLParser):
    """Collects what could run script: dangerous tags, event/style attributes, bad URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "iframe", "svg", "style", "object", "embed", "form", "math"}:
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"{tag}[{name}]")
            if name in {"href", "src"} and value is not None:
                scheme = value.strip().lower().split(":", 1)[0] if ":" in value else ""
                if scheme and scheme not in {"http", "https", "mailto", "tel"}:
                    self.found.append(f"{tag}[{name}={value}]")


def _dangers(html: str) -> list[str]:
    inspector = _Inspector()
    inspector.feed(html)
    return inspector.found


def test_the_inspector_finds_what_it_looks_for() -> None:
    assert sorted(_dangers('<a href="javascript:x" onclick="y">a</a><script></script>')) == [
        "a[href=javascript:x]", "a[onclick]", "script"]


@pytest.mark.parametrize("payload", XSS)
def test_preview_and_public_render_are_sanitised_the_same_way(
        editor: FlaskClient, payload: str) -> None:
    response = editor.post("/staff/preview", data={"body": payload})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html == str(render_markdown(payload))  # the one pipeline
    assert _dangers(html) == [], (payload, html)


def test_preview_button_works_without_javascript(editor: FlaskClient,
                                                 catalog_ids: dict[str, int]) -> None:
    document_id, page = _new(editor, catalog_ids, intent="preview",
                             body="**加粗**<script>x</script>")
    assert document_id == 0  # nothing saved
    assert "<strong>加粗</strong>" in page
    assert "<script>x</script>" not in page


def test_public_render_of_a_saved_body_is_sanitised(app: Flask, editor: FlaskClient,
                                                    catalog_ids: dict[str, int]) -> None:
    document_id, _ = _new(editor, catalog_ids, body="\n\n".join(XSS))
    page = editor.get(f"/staff/documents/{document_id}").get_data(as_text=True)
    body = page.split('<h2 id="body-title">正文</h2>', 1)[1].split("</section>", 1)[0]
    assert "点我" in body
    assert _dangers(body) == []


def test_two_people_editing_get_a_conflict_not_a_silent_overwrite(
        app: Flask, make_user: Callable[..., object],
        client_for: Callable[[str], FlaskClient], catalog_ids: dict[str, int]) -> None:
    make_user("wang", Role.EDITOR)
    make_user("zhao", Role.EDITOR)
    wang, zhao = client_for("wang"), client_for("zhao")
    document_id, _ = _new(wang, catalog_ids)
    form = document_form(catalog_ids["policies"], catalog_ids["agency"], lock_version="1")
    # Both opened version 1; Zhao autosaves, so Wang sees that Zhao is editing.
    zhao.post("/staff/documents/autosave", data={"document_key": str(document_id),
                                                 "title": "x", "body": "赵的草稿",
                                                 "lock_version": "1"})
    page = wang.get(f"/staff/documents/{document_id}/edit").get_data(as_text=True)
    assert "zhao 也在编辑此文件" in page
    assert zhao.post(f"/staff/documents/{document_id}/edit",
                     data={**form, "body": "赵的版本"}).status_code == 302
    response = wang.post(f"/staff/documents/{document_id}/edit",
                         data={**form, "body": "王的版本"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "zhao已在您打开此页面后修改并保存了该文件" in page
    assert "王的版本" in page  # what Wang typed is kept
    with app.app_context():
        document = get_session().get(Document, document_id)
        assert document is not None
        assert document.body == "赵的版本"


def test_autosave_can_be_restored(app: Flask, editor: FlaskClient, catalog_ids: dict[str, int],
                                  make_user: Callable[..., object],
                                  client_for: Callable[[str], FlaskClient]) -> None:
    document_id, _ = _new(editor, catalog_ids)
    response = editor.post("/staff/documents/autosave", data={
        "document_key": str(document_id), "title": "自动保存的标题", "summary": "",
        "body": "尚未保存的正文", "lock_version": "1"})
    assert response.status_code == 200
    assert "saved_at" in response.get_json()
    page = editor.get(f"/staff/documents/{document_id}/edit").get_data(as_text=True)
    assert "恢复自动保存的内容" in page
    page = editor.get(f"/staff/documents/{document_id}/edit?restore=1").get_data(as_text=True)
    assert "尚未保存的正文" in page
    # Saving discards the autosave.
    form = document_form(catalog_ids["policies"], catalog_ids["agency"], lock_version="1")
    editor.post(f"/staff/documents/{document_id}/edit", data=form)
    page = editor.get(f"/staff/documents/{document_id}/edit").get_data(as_text=True)
    assert "恢复自动保存的内容" not in page
    # New documents autosave under "new"; others' documents cannot be autosaved blindly.
    assert editor.post("/staff/documents/autosave", data={
        "document_key": "new", "title": "新", "body": "b"}).status_code == 200
    make_user("zhao", Role.EDITOR)
    zhao = client_for("zhao")
    assert "也在编辑" not in zhao.get("/staff/documents/new").get_data(as_text=True)
    assert editor.post("/staff/documents/autosave", data={
        "document_key": "abc"}).status_code == 400


def test_art26_warning_when_publication_would_be_late(editor: FlaskClient,
                                                     catalog_ids: dict[str, int]) -> None:
    old = clock.today() - dt.timedelta(days=60)
    document_id, _ = _new(editor, catalog_ids, date_written=old.isoformat(), effective_on="")
    page = editor.get(f"/staff/documents/{document_id}/edit").get_data(as_text=True)
    assert "第二十六条" in page
    assert 'id="art26-warning"' in page
    fresh, _ = _new(editor, catalog_ids, date_written=clock.today().isoformat(),
                    effective_on="")
    page = editor.get(f"/staff/documents/{fresh}/edit").get_data(as_text=True)
    assert 'id="art26-warning"' not in page
    cited, _ = _new(editor, catalog_ids, date_written=old.isoformat(), effective_on="",
                    deadline_basis="《示例市统计条例》第十二条")
    page = editor.get(f"/staff/documents/{cited}/edit").get_data(as_text=True)
    assert 'id="art26-warning"' not in page
