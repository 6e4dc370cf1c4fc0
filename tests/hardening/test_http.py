"""What every answer carries: security headers, cookies, caching, compression, HEAD, and
absolute URLs that come from the configuration, never from the request's Host."""

from __future__ import annotations

import gzip
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from opengov.site.cli import main
from opengov.site.db import unit_of_work
from tests.factories import make_agency, make_document

FORGED = "evil.example"


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    app_config.update(SITE_DOMAIN="www.shili.gov.cn", SITE_SCHEME="https")
    return app_config


@pytest.fixture
def document_id(app: Flask) -> int:
    with app.app_context(), unit_of_work() as session:
        make_agency(session, "czj")
        document = make_document(session, title="关于规范公务用车管理的通知")
        found = document.id
    assert app.test_cli_runner().invoke(main, ["index", "rebuild"]).exit_code == 0
    return found


def test_a_forged_host_never_reaches_a_body(client: FlaskClient, document_id: int) -> None:
    pages = ["/", "/sitemap.xml", "/robots.txt", "/feeds/all.atom", f"/documents/{document_id}",
             f"/documents/{document_id}/print", "/api/v1/documents",
             f"/api/v1/documents/{document_id}", "/api/v1/search?q=公务用车", "/api/v1/categories",
             "/api/v1/openapi.json", "/search?q=公务用车", "/columns/policies"]
    for url in pages:
        for headers in ({"Host": FORGED}, {"X-Forwarded-Host": FORGED, "Host": FORGED},
                        {"Host": f"{FORGED}:8443", "X-Forwarded-Proto": "http"}):
            response = client.get(url, headers=headers)
            assert response.status_code == 200, url
            body = response.get_data(as_text=True)
            assert FORGED not in body, url
            assert FORGED not in str(response.headers), url
    sitemap = client.get("/sitemap.xml", headers={"Host": FORGED}).get_data(as_text=True)
    assert f"<loc>https://www.shili.gov.cn/documents/{document_id}</loc>" in sitemap
    feed = client.get("/feeds/all.atom", headers={"Host": FORGED}).get_data(as_text=True)
    other = client.get("/feeds/all.atom", headers={"Host": "localhost"}).get_data(as_text=True)
    assert feed == other  # feed ids do not change with the name the site was reached by
    page = client.get(f"/documents/{document_id}", headers={"Host": FORGED})
    html = page.get_data(as_text=True)
    assert (f'<link rel="canonical" href="https://www.shili.gov.cn/documents/{document_id}">'
            in html)
    assert f'<meta name="Url" content="https://www.shili.gov.cn/documents/{document_id}">' in html


def test_every_page_has_one_canonical_link(client: FlaskClient, document_id: int) -> None:
    for url, canonical in [("/", "https://www.shili.gov.cn/"),
                           ("/columns/policies?elder=1&page=1",
                            "https://www.shili.gov.cn/columns/policies?page=1"),
                           ("/search?q=公务用车", "https://www.shili.gov.cn/search?q=%E5%85%AC%E5%8A%A1%E7%94%A8%E8%BD%A6")]:
        html = client.get(url).get_data(as_text=True)
        assert re.findall(r'<link rel="canonical" href="([^"]+)">', html) == [canonical]


def test_security_headers_on_every_kind_of_answer(client: FlaskClient, document_id: int) -> None:
    for url in ["/", f"/documents/{document_id}", "/api/v1/documents", "/no-such-page",
                "/requests/new", "/staff/login", "/feeds/all.atom"]:
        headers = client.get(url).headers
        policy = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy, url
        assert "unsafe-inline" not in policy, url
        assert "unsafe-eval" not in policy, url
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] in {"strict-origin-when-cross-origin", "same-origin"}
        assert "camera=()" in headers["Permissions-Policy"]
        assert headers["X-Frame-Options"] == "DENY"
    page = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in page
    assert "style-src 'self'" in page


def test_no_inline_script_or_style_in_any_template() -> None:
    from opengov.site.config import data_folder

    for template in data_folder("templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)", text), template
        assert not re.search(r"\son[a-z]+=\"", text), template
        assert "<style" not in text, template
        assert ' style="' not in text, template


def test_pages_with_personal_data_or_a_query_code_are_never_stored(
        client: FlaskClient, document_id: int) -> None:
    for url in ["/requests/new", "/requests/status", "/report-error", "/staff/login",
                "/complaints/new", "/complaints/status", "/requests/rating"]:
        response = client.get(url)
        assert response.headers["Cache-Control"] == "no-store", url
        assert "ETag" not in response.headers
    for url in ["/requests/status", "/complaints/status", "/consultations/1/comments"]:
        assert client.post(url, data={}).headers["Cache-Control"] == "no-store", url


def test_session_cookie_is_samesite_lax_and_secure_over_https(app: Flask) -> None:
    app.config["WTF_CSRF_ENABLED"] = True  # the form's token lives in the session cookie
    client = app.test_client()
    response = client.get("/requests/new", base_url="https://www.shili.gov.cn")
    cookie = response.headers["Set-Cookie"]
    assert "SameSite=Lax" in cookie
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    plain = app.test_client().get("/requests/new").headers["Set-Cookie"]
    assert "SameSite=Lax" in plain
    assert "Secure" not in plain
    app.config["SESSION_COOKIE_SECURE"] = True
    forced = app.test_client().get("/requests/new").headers["Set-Cookie"]
    assert "Secure" in forced
    secure = app.test_client().get("/", base_url="https://www.shili.gov.cn")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_head_answers_as_get(client: FlaskClient, document_id: int) -> None:
    for url in ["/requests/new", "/", f"/documents/{document_id}", "/api/v1/documents",
                "/search?q=公务用车", "/staff/login", "/report-error"]:
        get, head = client.get(url), client.head(url)
        assert head.status_code == get.status_code == 200, url
        assert head.get_data() == b""
        assert head.headers["Content-Type"] == get.headers["Content-Type"]


def test_conditional_get_and_cache_control(client: FlaskClient, document_id: int) -> None:
    for url, cache in [(f"/documents/{document_id}", "no-cache"), ("/", "no-cache"),
                       ("/feeds/all.atom", "public, max-age=300"),
                       ("/sitemap.xml", "public, max-age=300"),
                       ("/api/v1/documents", "public, max-age=300")]:
        first = client.get(url)
        assert first.headers["Cache-Control"] == cache, url
        etag = first.headers["ETag"]
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304, url
        assert again.get_data() == b""
    changed = client.get("/", headers={"If-None-Match": '"something-else"'})
    assert changed.status_code == 200


def test_text_is_compressed_for_clients_that_accept_it(app: Flask, document_id: int) -> None:
    client = app.test_client()
    plain = client.get(f"/documents/{document_id}")
    packed = client.get(f"/documents/{document_id}", headers={"Accept-Encoding": "gzip, br"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    assert len(packed.get_data()) < len(plain.get_data()) / 2
    assert packed.headers["ETag"] != plain.headers["ETag"]
    api = client.get("/api/v1/openapi.json", headers={"Accept-Encoding": "gzip"})
    assert api.headers["Content-Encoding"] == "gzip"
    app.config["COMPRESS_RESPONSES"] = False
    assert "Content-Encoding" not in client.get(
        f"/documents/{document_id}", headers={"Accept-Encoding": "gzip"}).headers


def test_api_allows_reading_from_other_origins(client: FlaskClient, document_id: int) -> None:
    response = client.get("/api/v1/documents", headers={"Origin": "https://data.example.cn"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    preflight = client.options("/api/v1/search", headers={
        "Origin": "https://data.example.cn", "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 204
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Origin" not in client.get("/").headers


def test_api_lists_link_their_pages(client: FlaskClient, app: Flask) -> None:
    with app.app_context(), unit_of_work() as session:
        make_agency(session, "czj")
        for number in range(5):
            make_document(session, title=f"第{number}号文件")
    response = client.get("/api/v1/documents?size=2&page=2")
    links = response.get_json()["links"]
    assert links == {
        "self": "https://www.shili.gov.cn/api/v1/documents?size=2&page=2",
        "first": "https://www.shili.gov.cn/api/v1/documents?size=2&page=1",
        "prev": "https://www.shili.gov.cn/api/v1/documents?size=2&page=1",
        "next": "https://www.shili.gov.cn/api/v1/documents?size=2&page=3",
        "last": "https://www.shili.gov.cn/api/v1/documents?size=2&page=3"}
    header = response.headers["Link"]
    assert '<https://www.shili.gov.cn/api/v1/documents?size=2&page=3>; rel="next"' in header
    assert 'rel="self"' not in header
    last = client.get("/api/v1/documents?size=2&page=3").get_json()["links"]
    assert "next" not in last


def test_one_validation_policy_across_the_api(client: FlaskClient, document_id: int) -> None:
    for url, name in [("/api/v1/search?q=公务&page=-1", "page"),
                      ("/api/v1/search?q=公务&size=1000", "size"),
                      ("/api/v1/search?q=公务&sort=random", "sort"),
                      ("/api/v1/documents?page=abc", "page"),
                      ("/api/v1/fiscal/disclosures?year=abc", "year"),
                      ("/api/v1/fiscal/overview?year=99999999999999999999", "year"),
                      ("/api/v1/fiscal/sangong?year=1800", "year"),
                      ("/api/v1/search/suggest?q=" + "政" * 60, "q"),
                      ("/api/v1/search?q=" + "政" * 300, "q"),
                      ("/api/v1/documents?agency=%00", "agency"),
                      ("/api/v1/service-items?q=a%00b", "q"),
                      ("/api/v1/powers?size=1000", "size"),
                      ("/api/v1/consultations?status=x", "status")]:
        response = client.get(url)
        assert response.status_code == 400, url
        assert response.mimetype == "application/problem+json"
        problem = response.get_json()
        assert [item["name"] for item in problem["invalid_params"]] == [name], url
        assert problem["detail"], url
    negative = client.get("/api/v1/search?q=公务&page=-1").get_json()
    assert "不是数字" not in negative["detail"]
    assert "-1" in negative["detail"]


def test_a_nul_character_in_a_url_is_refused_before_any_view(client: FlaskClient) -> None:
    """PostgreSQL's text holds no NUL: one in a path or parameter never reaches a query."""
    assert client.get("/agencies/%00").status_code == 404
    assert client.get("/staff/requests/a%00b").status_code == 404
    page = client.get("/columns/policies?agency=%00")
    assert page.status_code == 400
    assert "agency" in page.get_data(as_text=True)
