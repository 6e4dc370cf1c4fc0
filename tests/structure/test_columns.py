"""Administrators create, rename, order and retire columns, sub-columns and 专栏; a retired
column's URLs keep answering (a redirect to its successor, or 410 Gone), never 500."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.catalog.models import Category, Document
from opengov.site.db import get_session, unit_of_work
from tests.factories import make_document
from tests.structure.conftest import signed_in

#: A 1×1 PNG.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGA"
                       "hKmMIQAAAABJRU5ErkJggg==")


def column_id(app: Flask, slug: str) -> int:
    with app.app_context():
        category = get_session().scalars(select(Category).where(Category.slug == slug)).one()
        return category.id


def create(admin: FlaskClient, **fields: object) -> int:
    data: dict[str, object] = {"slug": "food-safety", "name": "食品安全", "kind": "feature",
                               "parent": "", "sort_order": "5", "description": "食品安全专栏。",
                               "banner_alt": ""}
    data.update(fields)
    response = admin.post("/staff/columns/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def test_a_feature_column_with_banner_gets_its_page_feed_and_place_in_the_tree(
        app: Flask, admin: FlaskClient, client: FlaskClient) -> None:
    create(admin, banner=(io.BytesIO(PNG), "横幅.png"), banner_alt="食品安全专栏横幅")
    page = client.get("/columns/food-safety")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "专栏" in html
    assert "食品安全" in html
    assert "食品安全专栏。" in html
    assert 'alt="食品安全专栏横幅"' in html
    banner = client.get("/columns/food-safety/banner")
    assert banner.status_code == 200
    assert banner.mimetype == "image/png"
    assert banner.data == PNG
    assert client.get("/columns/food-safety/feed.atom").status_code == 200
    assert "食品安全" in client.get("/catalog").get_data(as_text=True)
    assert "食品安全" in client.get("/sitemap").get_data(as_text=True)


def test_sub_column_rename_and_order(app: Flask, admin: FlaskClient,
                                     client: FlaskClient) -> None:
    parent = create(admin, slug="housing", name="保障性住房", kind="column")
    child = create(admin, slug="housing-allocation", name="分配结果", kind="column",
                   parent=str(parent))
    assert "分配结果" in client.get("/columns/housing").get_data(as_text=True)
    response = admin.post(f"/staff/columns/{child}", data={
        "slug": "housing-allocation", "name": "保障房分配结果", "kind": "column",
        "sort_order": "1", "description": "", "banner_alt": ""},
        content_type="multipart/form-data")
    assert response.status_code == 302
    assert "保障房分配结果" in client.get("/columns/housing").get_data(as_text=True)
    assert client.get("/columns/housing-allocation").status_code == 200  # URL unchanged


def test_bad_input_is_shown_beside_its_field(admin: FlaskClient) -> None:
    response = admin.post("/staff/columns/new", data={
        "slug": "Food Safety!", "name": "", "kind": "feature", "parent": "", "sort_order": "x",
        "description": "保留的说明", "banner_alt": ""}, content_type="multipart/form-data")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "网址名只能由小写英文字母" in html
    assert "请填写名称" in html
    assert "保留的说明" in html  # nothing typed is lost
    create(admin)
    again = admin.post("/staff/columns/new", data={
        "slug": "food-safety", "name": "另一个", "kind": "column", "parent": "",
        "sort_order": "0", "description": "", "banner_alt": ""},
        content_type="multipart/form-data")
    assert again.status_code == 422
    assert "已被其他栏目" in again.get_data(as_text=True)


def test_retiring_without_successor_leaves_410_and_documents_reachable(
        app: Flask, admin: FlaskClient, client: FlaskClient) -> None:
    category_id = create(admin, slug="land", name="征地拆迁", kind="feature")
    with app.app_context(), unit_of_work() as session:
        document_id = make_document(session, category="land", title="征地补偿安置方案公告").id
    assert "征地补偿安置方案公告" in client.get("/columns/land").get_data(as_text=True)
    response = admin.post(f"/staff/columns/{category_id}/retire", data={"retire-successor": ""})
    assert response.status_code == 302
    gone = client.get("/columns/land")
    assert gone.status_code == 410
    assert "已撤销" in gone.get_data(as_text=True)
    assert client.get("/columns/land/feed.atom").status_code == 410
    assert client.get("/columns/land/banner").status_code == 410
    assert client.get(f"/documents/{document_id}").status_code == 200
    assert "征地拆迁" not in client.get("/catalog").get_data(as_text=True)
    assert "征地拆迁" not in client.get("/sitemap").get_data(as_text=True)
    assert "/columns/land<" not in client.get("/sitemap.xml").get_data(as_text=True)
    # Restored, it answers again.
    assert admin.post(f"/staff/columns/{category_id}/restore").status_code == 302
    assert client.get("/columns/land").status_code == 200


def test_retiring_with_successor_redirects_and_moves_documents(
        app: Flask, admin: FlaskClient, client: FlaskClient) -> None:
    old = create(admin, slug="old-news", name="旧动态", kind="column")
    with app.app_context(), unit_of_work() as session:
        document_id = make_document(session, category="old-news", title="一则旧动态").id
    response = admin.post(f"/staff/columns/{old}/retire",
                          data={"retire-successor": str(column_id(app, "news"))})
    assert response.status_code == 302
    moved = client.get("/columns/old-news?page=1")
    assert moved.status_code == 301
    assert moved.headers["Location"].endswith("/columns/news?page=1")
    assert client.get("/columns/old-news/feed.atom").headers["Location"].endswith(
        "/columns/news/feed.atom")
    with app.app_context():
        document = get_session().get(Document, document_id)
        assert document is not None
        assert document.category.slug == "news"
    assert "一则旧动态" in client.get("/columns/news").get_data(as_text=True)


def test_what_cannot_be_retired(app: Flask, admin: FlaskClient,
                                client: FlaskClient) -> None:
    response = admin.post(f"/staff/columns/{column_id(app, 'guide')}/retire",
                          data={"retire-successor": ""}, follow_redirects=True)
    assert "不能撤销" in response.get_data(as_text=True)
    assert client.get("/columns/guide").status_code == 200
    parent = create(admin, slug="parent", name="上级", kind="column")
    create(admin, slug="child", name="下级", kind="column", parent=str(parent))
    response = admin.post(f"/staff/columns/{parent}/retire", data={"retire-successor": ""},
                          follow_redirects=True)
    assert "请先撤销该栏目下的子栏目" in response.get_data(as_text=True)
    assert client.get("/columns/parent").status_code == 200
    assert client.get("/columns/never-was").status_code == 404


def test_only_administrators_manage_columns(app: Flask, make_user: Callable[..., User]) -> None:
    make_user("writer", Role.EDITOR)
    writer = signed_in(app, "writer")
    assert writer.get("/staff/columns/new").status_code == 403
    assert writer.post("/staff/columns/1/retire").status_code == 403


def test_retired_columns_are_not_offered_in_the_editor(app: Flask, admin: FlaskClient,
                                                       make_user: Callable[..., User]) -> None:
    retired = create(admin, slug="gone", name="已停用栏目", kind="column")
    admin.post(f"/staff/columns/{retired}/retire", data={"retire-successor": ""})
    make_user("writer", Role.EDITOR)
    editor = signed_in(app, "writer").get("/staff/documents/new").get_data(as_text=True)
    assert "已停用栏目" not in editor
    assert "政策文件" in editor
