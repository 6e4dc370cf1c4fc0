"""Chinese 404 and 500 pages, and JSON errors under /api/."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.public.html import parse


def test_404_page_is_chinese_and_helpful(client: FlaskClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    page = parse(response.get_data(as_text=True))
    assert page.texts("h1") == ["页面不存在"]
    assert page.all("html")[0].attrs["lang"] == "zh-CN"
    assert page.all("a", href="/catalog")
    assert page.all("a", href="/requests/new")
    assert page.all("form", action="/search", role="search")
    assert page.all("label", **{"for": "error-q"})
    assert page.all("meta", name="robots", content="noindex")
    assert "错误代码：404" in page.texts("p")


def test_500_page_is_chinese_and_hides_the_error(app: Flask) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken() -> str:
        raise RuntimeError("secret internal detail")

    app.add_url_rule("/broken-for-test", "broken_for_test", broken)
    response = app.test_client().get("/broken-for-test")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "secret internal detail" not in html
    page = parse(html)
    assert page.texts("h1") == ["服务器内部错误"]
    assert "错误代码：500" in page.texts("p")


def test_api_errors_are_json(client: FlaskClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.get_json() == {"type": "about:blank", "title": "页面不存在", "status": 404,
                                   "detail": "页面不存在", "instance": "/api/v1/nothing-here"}


def test_public_routes_are_read_only(client: FlaskClient) -> None:
    assert client.post("/").status_code == 405
    assert client.post("/api/v1/documents").status_code == 405
