"""Administrators edit the 指南, contact details and column descriptions."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from opengov.site.accounts.rules.roles import Role
from opengov.site.agencies.models import Agency
from opengov.site.audit.models import AuditEntry
from opengov.site.catalog.models import Category
from opengov.site.db import get_session


def _agency_form(**overrides: str) -> dict[str, str]:
    data = {"name": "示例市人民政府", "office_name": "示例市人民政府办公室", "address": "人民路1号",
            "postcode": "100000", "office_hours": "工作日 9:00-17:00", "phone": "0000-1234567",
            "fax": "", "email": "gk@example.gov.cn", "website": "https://www.example.gov.cn/",
            "guide_markdown": "## 一、主动公开\n\n<script>x</script>本机关主动公开……",
            "intent": "save"}
    data.update(overrides)
    return data


def test_guide_and_contacts_are_saved_with_the_update_date(
        app: Flask, make_user: Callable[..., object], catalog_ids: dict[str, int],
        client_for: Callable[[str], FlaskClient]) -> None:
    import datetime as dt

    make_user("boss", Role.ADMIN)
    admin = client_for("boss")
    agency_id = catalog_ids["agency"]
    page = admin.post(f"/staff/agencies/{agency_id}",
                      data=_agency_form(postcode="12", website="evil")).get_data(as_text=True)
    assert "邮政编码应为 6 位数字" in page
    assert "网址应以 http:// 或 https:// 开头" in page
    preview = admin.post(f"/staff/agencies/{agency_id}",
                         data=_agency_form(intent="preview")).get_data(as_text=True)
    assert "<h2" in preview
    assert "<script>x</script>" not in preview
    response = admin.post(f"/staff/agencies/{agency_id}", data=_agency_form())
    assert response.status_code == 302
    with app.app_context():
        session = get_session()
        agency = session.get(Agency, agency_id)
        assert agency is not None
        assert agency.guide_markdown.startswith("## 一、主动公开")
        assert agency.phone == "0000-1234567"
        assert agency.guide_updated_on == dt.date.today()
        audited = session.scalars(select(AuditEntry).where(AuditEntry.action == "settings")).one()
        assert "guide_markdown" in audited.detail


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
