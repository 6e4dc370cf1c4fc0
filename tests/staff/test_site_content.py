"""Administrators edit the column descriptions (agencies: tests/staff/test_agencies.py)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from opengov.site.accounts.rules.roles import Role
from opengov.site.audit.models import AuditEntry
from opengov.site.catalog.models import Category
from opengov.site.db import get_session


def test_column_description(app: Flask, make_user: Callable[..., object],
                            catalog_ids: dict[str, int],
                            client_for: Callable[[str], FlaskClient]) -> None:
    make_user("boss", Role.ADMIN)
    admin = client_for("boss")
    assert "政策文件" in admin.get("/staff/categories").get_data(as_text=True)
    response = admin.post("/staff/categories", data={
        "category_id": str(catalog_ids["policies"]), "description": "本市规章和行政规范性文件。"})
    assert response.status_code == 302
    with app.app_context():
        category = get_session().get(Category, catalog_ids["policies"])
        assert category is not None
        assert category.description == "本市规章和行政规范性文件。"
        audited = get_session().scalars(select(AuditEntry).where(
            AuditEntry.object_type == "category")).one()
        assert audited.detail == "修改栏目说明：政策文件"
    assert admin.post("/staff/categories", data={
        "category_id": "999999", "description": "x"}).status_code == 404
    make_user("writer", Role.EDITOR)
    assert client_for("writer").get("/staff/categories").status_code == 403
