"""Administrators keep each agency's 政府信息公开指南 and contact details (条例 Art. 12)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from opengov.site import clock
from opengov.site.accounts.rules.roles import Role
from opengov.site.agencies import service as agencies
from opengov.site.audit.models import AuditEntry
from opengov.site.audit.service import Origin
from opengov.site.db import get_session, unit_of_work
from opengov.site.exceptions import ForbiddenError
from tests.factories import make_agency


def _agency_form(**overrides: str) -> dict[str, str]:
    data = {"name": "示例市人民政府", "office_name": "示例市人民政府办公室", "address": "人民路1号",
            "postcode": "100000", "office_hours": "工作日 9:00-17:00", "phone": "0000-1234567",
            "fax": "", "email": "gk@example.gov.cn", "website": "https://www.example.gov.cn/",
            "guide_markdown": "## 一、主动公开\n\n<script>x</script>本机关主动公开……",
            "intent": "save"}
    data.update(overrides)
    return data


@pytest.fixture
def agency_id(app: Flask) -> int:
    with app.app_context(), unit_of_work() as session:
        return make_agency(session, "gov").id


def test_guide_and_contacts_are_saved_with_the_update_date(
        app: Flask, make_user: Callable[..., object], agency_id: int,
        client_for: Callable[[str], FlaskClient]) -> None:
    make_user("boss", Role.ADMIN)
    admin = client_for("boss")
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
        agency = agencies.get_agency(agency_id)
        assert agency.guide_markdown.startswith("## 一、主动公开")
        assert agency.phone == "0000-1234567"
        assert agency.guide_updated_on == clock.today()
        audited = get_session().scalars(
            select(AuditEntry).where(AuditEntry.action == "settings")).one()
        assert "guide_markdown" in audited.detail
    assert "示例市人民政府" in admin.get("/staff/agencies").get_data(as_text=True)


def test_unknown_agency_is_a_404_with_the_reason(make_user: Callable[..., object],
                                                 client_for: Callable[[str], FlaskClient]) -> None:
    make_user("boss", Role.ADMIN)
    response = client_for("boss").get("/staff/agencies/999999")
    assert response.status_code == 404
    assert "没有这个机关" in response.get_data(as_text=True)


def test_only_administrators_change_an_agency(app: Flask, make_user: Callable[..., object],
                                              agency_id: int) -> None:
    li = make_user("li", Role.EDITOR, Role.REVIEWER, Role.HANDLER)
    with app.app_context():
        with pytest.raises(ForbiddenError):
            agencies.update_agency(agency_id, {"phone": "110"}, actor=li, origin=Origin())
        assert agencies.get_agency(agency_id).phone != "110"
