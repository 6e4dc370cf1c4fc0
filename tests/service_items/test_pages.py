"""The public 办事指南 pages, the API, and the staff editor without JavaScript."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from opengov.site.accounts.models import User
from opengov.site.audit.service import COMMAND_LINE
from opengov.site.db import unit_of_work
from opengov.site.service_items.models import ServiceItem
from opengov.site.service_items.rules.guide import ItemType, Material, Target
from opengov.site.service_items.service import editorial
from tests.factories import make_document
from tests.public.html import parse
from tests.service_items.conftest import Publisher, marriage_guide


def text_of(html: str) -> str:
    """The page's text as a reader sees it (tags gone, spaces folded)."""
    found = parse(html).all("body")
    return " ".join(found[0].text.split()) if found else ""


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_the_item_page_answers_what_to_bring_where_and_how_long(
        client: FlaskClient, db_session: Session, publish_item: Publisher) -> None:
    with unit_of_work() as session:
        law = make_document(session, title="婚姻登记条例", doc_number="国务院令第387号",
                            genre="行政法规").id
    item_id = publish_item()
    response = client.get(f"/service-items/{item_id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    text = text_of(page)
    for words in ("内地居民结婚登记", "示例市民政局", "婚姻登记处", "本人的居民身份证", "最多跑一次",
                  "即办", "不收费", "结婚证", "结婚登记要带什么证件？", "示例市民政局婚姻登记处"):
        assert words in text, words
    assert f'href="/documents/{law}">《婚姻登记条例》</a>第四条、第五条' in page
    assert "《中华人民共和国民法典》第一千零四十九条" in text  # not in this catalog: no link
    assert f'href="/service-items/{item_id}/print"' in page
    assert f'href="/service-items/{item_id}/rating"' in page

    checklist = client.get(f"/service-items/{item_id}/print").get_data(as_text=True)
    assert "请带齐以下材料" in checklist
    assert "☐" in checklist
    assert "本人的居民身份证" in checklist
    assert "site-nav" not in checklist  # a page of its own, made to print


def test_blank_forms_are_offered_by_the_published_version_only(
        client: FlaskClient, db_session: Session, staff: dict[str, User],
        publish_item: Publisher, login: Callable[[str], None]) -> None:
    item_id = publish_item()
    login("mz-editor")
    response = client.post(f"/staff/service-items/{item_id}/files",
                           data={"file": (__import__("io").BytesIO(PDF), "声明书（空白）.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    _item, files = editorial.item_files(staff["editor"], item_id)
    file_id = files[0].id
    assert client.get(f"/service-items/{item_id}/files/{file_id}").status_code == 404
    guide = marriage_guide(materials=(Material("签字声明", blank_form=file_id),))
    editorial.save_item(staff["editor"], item_id, guide=guide, note="", expected_version=0,
                        origin=COMMAND_LINE)
    for actor, action, opinion in ((staff["editor"], "submit", ""),
                                   (staff["reviewer"], "approve", "同意"),
                                   (staff["reviewer"], "publish", "")):
        editorial.take_action(actor, item_id, action, opinion=opinion, origin=COMMAND_LINE)
    download = client.get(f"/service-items/{item_id}/files/{file_id}")
    assert download.status_code == 200
    assert download.data == PDF
    assert "attachment" in download.headers["Content-Disposition"]
    assert f"/service-items/{item_id}/files/{file_id}" in client.get(
        f"/service-items/{item_id}").get_data(as_text=True)
    assert client.get(f"/service-items/{item_id}/files/999").status_code == 404


def test_the_directory_by_event_agency_type_and_words(
        client: FlaskClient, db_session: Session, publish_item: Publisher,
        staff: dict[str, User], agencies: dict[str, int]) -> None:
    publish_item("SL-MZ-001")
    publish_item("SL-MZ-002", marriage_guide(
        name="社会团体成立登记", item_type=ItemType.LICENSING, targets=(Target.ORGANISATION,),
        themes=("设立变更",), aliases=("成立协会",)))
    editorial.create_item(staff["editor"], agency_id=agencies["mzj"], code="SL-MZ-003",
                          guide=marriage_guide(name="未发布的事项"), note="", origin=COMMAND_LINE)

    def names(query: str) -> list[str]:
        response = client.get(f"/service-items{query}")
        assert response.status_code == 200, query
        text = response.get_data(as_text=True)
        return [name for name in ("内地居民结婚登记", "社会团体成立登记", "未发布的事项")
                if f">{name}</a>" in text]

    assert names("") == ["内地居民结婚登记", "社会团体成立登记"]
    assert names("?target=person&theme=婚姻登记") == ["内地居民结婚登记"]
    assert names("?target=organisation") == ["社会团体成立登记"]
    assert names("?type=行政许可") == ["社会团体成立登记"]
    assert names("?q=协会") == ["社会团体成立登记"]  # a name people use
    assert names("?q=结婚 登记") == ["内地居民结婚登记"]
    assert names("?agency=mzj") == ["内地居民结婚登记", "社会团体成立登记"]
    directory = client.get("/service-items").get_data(as_text=True)
    assert "婚姻登记<span class=\"count\">（1）</span>" in directory
    bad = client.get("/service-items?type=行政处罚&page=x")
    assert bad.status_code == 400
    text = bad.get_data(as_text=True)
    assert "类型应为" in text
    assert "页码应为数字" in text
    assert client.get("/service-items?agency=nope").status_code == 404
    assert client.get("/service-items/99999999999").status_code == 404


def test_the_api(client: FlaskClient, db_session: Session, publish_item: Publisher) -> None:
    item_id = publish_item()
    listing = client.get("/api/v1/service-items?theme=婚姻登记&size=5").get_json()
    assert listing["total"] == 1
    assert listing["size"] == 5
    [summary] = listing["results"]
    assert summary["code"] == "SL-MZ-001"
    assert summary["agency"]["code"] == "mzj"
    assert summary["url"].endswith(f"/service-items/{item_id}")
    detail = client.get(summary["api_url"]).get_json()
    assert [m["name"] for m in detail["materials"]] == ["本人的居民身份证", "签字声明"]
    assert detail["basis"][0] == {"law": "婚姻登记条例", "articles": "第四条、第五条", "url": None}
    assert detail["legal_limit_days"] == 0
    assert detail["handling_kind"] == "即办件"
    assert detail["faq"][0]["question"] == "结婚登记要带什么证件？"
    bad = client.get("/api/v1/service-items?size=1000&type=x")
    assert bad.status_code == 400
    assert {param["name"] for param in bad.get_json()["invalid_params"]} == {"size", "type"}
    assert client.get("/api/v1/service-items?agency=nope").status_code == 400
    assert client.get("/api/v1/service-items/424242").status_code == 404
    assert client.get("/api/v1/service-items?q=不存在").get_json()["total"] == 0


def test_the_editor_keeps_what_was_typed_and_puts_messages_beside_fields(
        app: Flask, client: FlaskClient, db_session: Session, staff: dict[str, User],
        agencies: dict[str, int], login: Callable[[str], None]) -> None:
    login("mz-editor")
    form = {
        "agency": str(agencies["mzj"]), "code": "SL-MZ-010", "name": "补领结婚证",
        "item_type": "行政确认", "targets": "自然人", "themes": "婚姻登记",
        "basis": "《婚姻登记条例》第十七条", "steps": "申请：到场申请\n补发：当场补发",
        "legal_limit_days": "5", "promised_limit_days": "10", "visits": "1",
        "location": "婚姻登记处", "online_depth": "不支持网上办理",
        "materials-0-name": "本人的居民户口簿", "materials-0-copies": "1",
        "materials-0-form": "原件", "materials-0-medium": "纸质", "materials-0-source": "政府部门核发",
        "materials-0-necessity": "必需", "materials-0-blank_form": "", "materials-0-sample": "",
    }
    # “增加一项材料” comes back with one more row and everything typed.
    added = client.post("/staff/service-items/new", data={**form, "intent": "add-material"})
    assert added.status_code == 200
    page = added.get_data(as_text=True)
    assert 'name="materials-1-name"' in page
    assert 'value="本人的居民户口簿"' in page
    refused = client.post("/staff/service-items/new", data={**form, "intent": "save"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "承诺办结时限（10个工作日）不能长于法定办结时限（5个工作日）" in page
    assert 'value="补领结婚证"' in page
    days = client.post("/staff/service-items/new",
                       data={**form, "promised_limit_days": "三天", "intent": "save"})
    assert "“三天”不是工作日数" in days.get_data(as_text=True)
    saved = client.post("/staff/service-items/new",
                        data={**form, "promised_limit_days": "即办", "intent": "save"})
    assert saved.status_code == 302
    item = db_session.scalars(select(ServiceItem).where(ServiceItem.code == "SL-MZ-010")).one()
    detail = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "第 1 版：草稿" in detail
    assert "提交审核" in detail
    edit = client.get(f"/staff/service-items/{item.id}/edit").get_data(as_text=True)
    assert "《婚姻登记条例》第十七条" in edit
    assert 'value="本人的居民户口簿"' in edit
