"""JSON API /api/v1: documents with filters and pagination, one document, the column tree."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.public.conftest import ATTACHMENT_NAME, Catalog


def get_json(client: FlaskClient, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == ("application/json" if status < 400
                                 else "application/problem+json")
    return response.get_json()


def test_documents_list(client: FlaskClient, catalog: Catalog) -> None:
    data = get_json(client, "/api/v1/documents")
    assert (data["total"], data["page"], data["size"], data["pages"]) == (6, 1, 20, 1)
    assert data["results"][0]["id"] == catalog.news
    assert {item["id"] for item in data["results"]} == catalog.public_ids
    policy = next(item for item in data["results"] if item["id"] == catalog.policy)
    assert policy["title"] == "关于深化政务公开加强政务服务的意见"
    assert policy["doc_number"] == "中办发〔2011〕22号"
    assert policy["index_no"].startswith("007000001/2011-")
    assert policy["published_on"] == "2011-06-08"
    assert policy["date_written"] == "2011-06-05"
    assert policy["effective_on"] == "2011-06-08"
    assert policy["repealed_on"] is None
    assert policy["validity"] == "有效"
    assert policy["topic"] == "综合政务\\政务公开"
    assert policy["keywords"] == ["政务公开", "政务服务"]
    assert policy["agency"] == {"code": "gov", "name": "示例市人民政府"}
    assert policy["column"] == {"slug": "policies", "name": "政策文件"}
    assert policy["url"] == f"http://localhost/documents/{catalog.policy}"
    assert policy["api_url"] == f"http://localhost/api/v1/documents/{catalog.policy}"
    assert "body_markdown" not in policy


@pytest.mark.parametrize(("query", "expected"), [
    ("column=fiscal", "sangong budget"),
    ("column=statutory&agency=czj", "sangong budget"),
    ("year=2011", "interpretation policy"),
    ("validity=废止", "repealed_rule"),
    ("topic=综合政务", "news interpretation policy repealed_rule"),
    ("agency=qsz&year=2024&column=news", "news"),
    ("year=1990", ""),
])
def test_documents_filters(client: FlaskClient, catalog: Catalog, query: str,
                           expected: str) -> None:
    data = get_json(client, f"/api/v1/documents?{query}")
    wanted = [getattr(catalog, name) for name in expected.split()]
    assert [item["id"] for item in data["results"]] == wanted
    assert data["total"] == len(wanted)


def test_documents_pagination(client: FlaskClient, catalog: Catalog) -> None:
    first = get_json(client, "/api/v1/documents?size=4")
    second = get_json(client, "/api/v1/documents?size=4&page=2")
    beyond = get_json(client, "/api/v1/documents?size=4&page=3")
    assert (first["pages"], len(first["results"]), len(second["results"])) == (2, 4, 2)
    assert beyond["results"] == []
    assert beyond["total"] == 6
    seen = [item["id"] for item in first["results"] + second["results"]]
    assert set(seen) == catalog.public_ids
    assert get_json(client, "/api/v1/documents?size=100")["size"] == 100


@pytest.mark.parametrize(("query", "field", "message"), [
    ("size=101", "size", "每页条数应在 1 至 100 之间，收到 101。"),
    ("size=0", "size", "每页条数应在 1 至 100 之间，收到 0。"),
    ("size=lots", "size", "每页条数应为数字，收到“lots”。"),
    ("page=0", "page", "页码应在 1 至 10000 之间，收到 0。"),
    ("page=-3", "page", "页码应在 1 至 10000 之间，收到 -3。"),
    ("year=20x4", "year", "年份应为数字，收到“20x4”。"),
    ("validity=maybe", "validity", "有效性应为有效、失效、废止、已修改之一，收到“maybe”。"),
    ("topic=xx", "topic", "主题分类“xx”不在主题分类表中。"),
    ("column=nope", "column", "栏目“nope”不存在。"),
    ("agency=nope", "agency", "发布机构“nope”不存在。"),
])
def test_documents_bad_parameters(client: FlaskClient, catalog: Catalog, query: str,
                                  field: str, message: str) -> None:
    data = get_json(client, f"/api/v1/documents?{query}", status=400)
    assert data["status"] == 400
    assert data["invalid_params"] == [{"name": field, "reason": message}]
    assert data["detail"] == message


def test_several_bad_parameters_are_all_reported(client: FlaskClient, catalog: Catalog) -> None:
    data = get_json(client, "/api/v1/documents?year=x&size=1000", status=400)
    assert {item["name"] for item in data["invalid_params"]} == {"year", "size"}


def test_document_detail(client: FlaskClient, catalog: Catalog) -> None:
    data = get_json(client, f"/api/v1/documents/{catalog.policy}")
    assert data["title"] == "关于深化政务公开加强政务服务的意见"
    assert data["body_markdown"].startswith("## 一、总体要求")
    assert "一、总体要求</h2>" in data["body_html"]
    assert [link["id"] for link in data["interpretations"]] == [catalog.interpretation]
    assert data["interpretations"][0]["url"] == (
        f"http://localhost/documents/{catalog.interpretation}")
    assert data["policies"] == []
    assert data["attachments"] == []
    interpretation = get_json(client, f"/api/v1/documents/{catalog.interpretation}")
    assert [link["id"] for link in interpretation["policies"]] == [catalog.policy]


def test_document_detail_attachments(client: FlaskClient, catalog: Catalog) -> None:
    data = get_json(client, f"/api/v1/documents/{catalog.budget}")
    [attachment] = data["attachments"]
    assert attachment["name"] == ATTACHMENT_NAME
    assert attachment["content_type"] == "application/pdf"
    assert attachment["url"] == (f"http://localhost/documents/{catalog.budget}"
                                 f"/attachments/{catalog.attachment}")
    assert client.get(attachment["url"]).status_code == 200


def test_hidden_documents_are_404_in_json(client: FlaskClient, catalog: Catalog) -> None:
    # A hidden document answers exactly as one that does not exist: no hint that it does.
    missing = get_json(client, "/api/v1/documents/999999", status=404)
    assert missing["status"] == 404
    assert missing["detail"]
    for hidden in catalog.hidden_ids:
        assert get_json(client, f"/api/v1/documents/{hidden}", status=404) == {
            **missing, "instance": f"/api/v1/documents/{hidden}"}
    get_json(client, "/api/v1/documents/abc", status=404)


def test_categories(client: FlaskClient, catalog: Catalog) -> None:
    data = get_json(client, "/api/v1/categories")
    assert data["agency"] is None
    tree = {node["slug"]: node for node in data["categories"]}
    assert [node["slug"] for node in data["categories"]] == [
        "guide", "rules", "statutory", "annual-reports", "interpretations", "news",
        "consultations"]
    statutory = tree["statutory"]
    assert (statutory["name"], statutory["count"], statutory["own_count"]) == (
        "法定主动公开内容", 4, 0)
    fiscal = next(child for child in statutory["children"] if child["slug"] == "fiscal")
    assert (fiscal["count"], fiscal["own_count"]) == (2, 1)
    assert fiscal["children"][0]["slug"] == "sangong"
    assert fiscal["url"] == "http://localhost/columns/fiscal"
    assert sum(node["count"] for node in data["categories"]) == len(catalog.public_ids)


def test_categories_per_agency(client: FlaskClient, catalog: Catalog) -> None:
    data = get_json(client, "/api/v1/categories?agency=czj")
    assert data["agency"] == {"code": "czj", "name": "示例市财政局"}
    assert sum(node["count"] for node in data["categories"]) == 2
    statutory = next(node for node in data["categories"] if node["slug"] == "statutory")
    assert statutory["url"] == "http://localhost/columns/statutory?agency=czj"
    error = get_json(client, "/api/v1/categories?agency=nope", status=400)
    assert error["invalid_params"] == [{"name": "agency", "reason": "发布机构“nope”不存在。"}]


def test_api_never_needs_csrf_or_cookies(client: FlaskClient, catalog: Catalog) -> None:
    response = client.get("/api/v1/documents")
    assert "Set-Cookie" not in response.headers
