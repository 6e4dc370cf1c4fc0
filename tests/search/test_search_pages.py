"""The search page and the JSON API."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape

from opengov.site.catalog.models import Document
from opengov.site.search.service import index as search_index
from tests.search.conftest import DOWN_URL

ROOT = Path(__file__).resolve().parents[2]


def test_search_page_shows_results_facets_snippets_and_sorting(
        client: FlaskClient, sample: dict[str, Document]) -> None:
    response = client.get("/search?q=政务公开")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r"找到 \d+ 条结果", html)
    assert "<mark>政务公开</mark>" in html
    assert 'aria-label="筛选搜索结果"' in html
    assert "工作动态（1）" in html
    assert "按发布日期" in html
    filtered = client.get("/search?q=政务公开&category=news").get_data(as_text=True)
    assert "找到 1 条结果" in filtered
    assert "已选，点击取消" in filtered


def test_empty_visit_and_bad_queries_get_messages_not_error_pages(
        client: FlaskClient, sample: dict[str, Document]) -> None:
    first = client.get("/search")
    assert first.status_code == 200
    assert "field-error" not in first.get_data(as_text=True)
    for query, message in (("", "请输入要搜索的内容"), ("政" * 300, "搜索内容过长"),
                           ("title:(*)", None), ('"政务', "引号")):
        response = client.get("/search", query_string={"q": query})
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        if message:
            assert message in html
            assert 'aria-invalid="true"' in html
            assert f'value="{escape(query)}"' in html


def test_suggestion_and_paging(client: FlaskClient, sample: dict[str, Document],
                               indexed: object) -> None:
    html = client.get("/search?q=政府信息公开实施办发").get_data(as_text=True)
    assert "没有找到与“政府信息公开实施办发”相符的政府信息" in html
    assert "您是不是要找" in html
    assert "“政府信息公开实施办法”的搜索结果" in html
    for number in range(25):
        indexed(title=f"政务公开专题第{number}期")  # type: ignore[operator]
    page_two = client.get("/search?q=政务公开专题&page=2").get_data(as_text=True)
    assert "第 2 页" in page_two
    assert 'rel="prev"' in page_two


def test_api_has_exactly_the_documented_shape(
        client: FlaskClient, sample: dict[str, Document]) -> None:
    response = client.get("/api/v1/search", query_string={
        "q": "政府信息公开实施办法", "size": 1, "page": 1, "validity": "有效", "sort": "relevance"})
    data = response.get_json()
    assert response.status_code == 200
    assert set(data) == {"total", "page", "size", "pages", "took_ms", "suggestion", "links",
                         "expansions", "alternative", "facets", "results"}
    assert (data["total"], data["page"], data["size"]) == (1, 1, 1)
    result = data["results"][0]
    assert set(result) == {"id", "kind", "kind_label", "title", "url", "doc_number",
                           "index_no", "agency", "date", "validity", "category", "snippet"}
    assert (result["kind"], result["kind_label"]) == ("document", "政府信息")
    assert result["id"] == sample["regulation"].id
    assert result["url"].endswith(f"/documents/{sample['regulation'].id}")
    assert result["doc_number"] == "示政发〔2023〕7号"
    assert result["date"] == "2023-05-01"
    assert set(data["facets"]) == {"kind", "category", "type", "agency", "year", "validity"}
    assert data["facets"]["validity"] == [{"value": "有效", "label": "有效", "count": 1}]


def test_api_errors_are_json_with_a_message(client: FlaskClient, app: Flask,
                                            sample: dict[str, Document]) -> None:
    response = client.get("/api/v1/search?q=")
    assert response.status_code == 400
    assert response.get_json()["detail"] == "请输入要搜索的内容。"
    app.config.update(SEARCH_BACKEND="elasticsearch", ELASTICSEARCH_URL=DOWN_URL)
    with app.app_context():
        backend = search_index.make_backend(app.config)
    backend.timeout = 1.0  # type: ignore[attr-defined]
    app.extensions[search_index.EXTENSION_KEY] = backend
    down = client.get("/api/v1/search?q=政务公开")
    assert down.status_code == 503
    page = client.get("/search?q=政府信息公开实施办法").get_data(as_text=True)
    assert "搜索服务暂时不可用" in page
    assert "示例市政府信息公开实施办法" in re.sub(r"</?mark>", "", page)


def test_autocomplete_endpoint(client: FlaskClient, sample: dict[str, Document]) -> None:
    titles = client.get("/api/v1/search/suggest?q=公務用車").get_json()["titles"]
    assert titles == ["关于规范公务用车管理的通知"]
    assert client.get("/api/v1/search/suggest?q=%20").get_json() == {"query": "", "titles": []}


def test_views_forms_and_commands_never_import_a_search_engine() -> None:
    modules = [path for path in (ROOT / "site").rglob("*.py")
               if {"views", "forms", "cli"} & {path.stem, path.parent.name}]
    assert any(path.match("search/views/public.py") for path in modules)
    offenders = [str(path.relative_to(ROOT)) for path in modules
                 if re.search(r"^\s*(from|import) (whoosh|elasticsearch|opengov\.indexer)",
                              path.read_text(encoding="utf-8"), re.M)]
    assert offenders == []
