"""Portal conventions of a government site (rules.md §10.2): footer identifiers from the
settings, 找错 and site-map links, an HTML 网站地图, a favicon, a description on every page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from opengov.site.db import unit_of_work
from tests.factories import make_document

PAGES = ["/", "/search", "/search?q=政务公开", "/guide", "/catalog", "/columns/policies",
         "/agencies", "/agencies/gov", "/fiscal/", "/fiscal/sangong", "/requests/new",
         "/requests/status", "/statistics", "/sitemap", "/report-error", "/standard-catalog",
         "/no-such-page"]


@pytest.fixture
def identified(app_config: dict[str, Any]) -> None:
    app_config.update({
        "SITE_ORGANISER": "示例市人民政府办公室", "SITE_OPERATOR": "示例市大数据中心",
        "SITE_CONTACT": "0000-12345600", "ICP_RECORD": "示ICP备12345678号",
        "PUBLIC_SECURITY_RECORD": "示公网安备 99010002000001号",
        "PUBLIC_SECURITY_RECORD_URL": "https://beian.example/record?code=99010002000001",
        "PARTY_GOV_BADGE_URL": "https://bszs.example/certificate/9999000001"})


@pytest.mark.usefixtures("identified")
def test_footer_identifiers_come_from_the_settings(client: FlaskClient) -> None:
    html = client.get("/guide").get_data(as_text=True)
    footer = html[html.index("<footer"):]
    assert "主办单位：示例市人民政府办公室" in footer
    assert "承办单位：示例市大数据中心" in footer
    assert "联系方式：0000-12345600" in footer
    assert "网站标识码：9999000001" in footer
    assert '<a href="https://beian.miit.gov.cn/" rel="noopener">示ICP备12345678号</a>' in footer
    assert "示公网安备 99010002000001号</a>" in footer
    assert 'href="https://bszs.example/certificate/9999000001"' in footer
    assert 'alt="党政机关网站标识"' in footer
    for label in ("网站地图", "联系我们", "我要找错", "无障碍浏览", "RSS/Atom 订阅"):
        assert label in footer


def test_unset_identifiers_are_left_out(client: FlaskClient) -> None:
    footer = client.get("/").get_data(as_text=True).split("<footer", 1)[1]
    assert "主办单位：示例市人民政府" in footer
    for absent in ("ICP", "党政机关网站标识", "承办单位"):
        assert absent not in footer


def test_every_page_has_one_description(client: FlaskClient) -> None:
    for url in PAGES:
        html = client.get(url).get_data(as_text=True)
        head = html.split("</head>", 1)[0]
        found = re.findall(r'<meta name="[Dd]escription" content="([^"]+)"', head)
        assert len(found) == 1, (url, found)
        assert len(found[0]) > 10, (url, found)


def test_favicon(client: FlaskClient) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon"
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert 'rel="icon"' in client.get("/").get_data(as_text=True)


def test_html_site_map_lists_sections_columns_and_agencies(
        app: Flask, client: FlaskClient) -> None:
    with app.app_context(), unit_of_work() as session:
        make_document(session, agency="qsz")
    html = client.get("/sitemap").get_data(as_text=True)
    assert "<h1>网站地图</h1>" in html
    for link in ("/guide", "/catalog", "/columns/statutory", "/columns/sangong",
                 "/standard-catalog", "/requests/new", "/report-error", "/agencies/qsz",
                 "/agencies/qsz/standard-catalog"):
        assert f'href="{link}"' in html, link
    # The footer's 网站地图 is this page, not raw XML.
    assert 'href="/sitemap">网站地图' in client.get("/").get_data(as_text=True)


def test_feeds_are_labelled_as_people_know_them(client: FlaskClient) -> None:
    column = client.get("/columns/policies").get_data(as_text=True)
    assert "RSS/Atom 订阅本栏目" in column
    assert "（Atom）" not in column
