"""Administrators create agencies — departments, townships and 村/社区 for 村务公开."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from opengov.site.agencies.models import Agency
from opengov.site.db import get_session


def form(**fields: object) -> dict[str, object]:
    data: dict[str, object] = {"name": "示例市青石镇东村村民委员会", "short_name": "东村",
                               "kind": "village", "parent": "", "code": "qsz-dongcun",
                               "org_code": "007000011", "sort_order": "1"}
    data.update(fields)
    return data


def test_a_village_under_its_township(app: Flask, admin: FlaskClient, client: FlaskClient,
                                      agencies: dict[str, int]) -> None:
    response = admin.post("/staff/agencies/new", data=form(parent=str(agencies["qsz"])))
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        village = get_session().scalars(select(Agency).where(Agency.code == "qsz-dongcun")).one()
        assert village.kind == "village"
        assert village.parent_id == agencies["qsz"]
    assert client.get("/agencies/qsz-dongcun").status_code == 200
    assert client.get("/agencies/qsz-dongcun/guide").status_code == 200
    assert "东村村民委员会" in client.get("/agencies").get_data(as_text=True)
    assert "村（社区）" in admin.get("/staff/agencies").get_data(as_text=True)


def test_bad_input_gets_messages_beside_fields(admin: FlaskClient,
                                               agencies: dict[str, int]) -> None:
    wrong_parent = admin.post("/staff/agencies/new", data=form(parent=str(agencies["gov"])))
    assert wrong_parent.status_code == 422
    html = wrong_parent.get_data(as_text=True)
    assert "的上级机构应为乡镇（街道）" in html
    assert "东村村民委员会" in html  # kept
    bad_codes = admin.post("/staff/agencies/new", data=form(code="东村", org_code="a b",
                                                            parent=str(agencies["qsz"])))
    assert bad_codes.status_code == 422
    assert "机构代码（网址用）只能由" in bad_codes.get_data(as_text=True)
    assert "组织机构代码只能由" in bad_codes.get_data(as_text=True)
    taken = admin.post("/staff/agencies/new", data=form(code="czj", parent=str(agencies["qsz"])))
    assert taken.status_code == 422
    assert "已被“示例市财政局”使用" in taken.get_data(as_text=True)
