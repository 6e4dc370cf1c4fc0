"""Atom feeds, sitemap.xml and robots.txt: valid XML, public documents only."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from flask.testing import FlaskClient

from tests.public.conftest import Catalog

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def fetch_xml(client: FlaskClient, url: str, content_type: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response.content_type == content_type
    return ET.fromstring(response.data)


def entry_links(feed: ET.Element) -> list[str]:
    return [entry.find(f"{ATOM}link").attrib["href"]  # type: ignore[union-attr]
            for entry in feed.findall(f"{ATOM}entry")]


def test_site_feed(client: FlaskClient, catalog: Catalog) -> None:
    feed = fetch_xml(client, "/feeds/all.atom", "application/atom+xml; charset=utf-8")
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}title") == "示例市人民政府政府信息公开"
    assert feed.findtext(f"{ATOM}id") == "http://localhost/feeds/all.atom"
    assert feed.findtext(f"{ATOM}updated")
    links = entry_links(feed)
    assert links == [f"http://localhost/documents/{i}" for i in
                     (catalog.news, catalog.sangong, catalog.budget, catalog.interpretation,
                      catalog.policy, catalog.repealed_rule)]
    for entry in feed.findall(f"{ATOM}entry"):
        for required in ("title", "id", "updated", "published", "summary"):
            assert entry.findtext(f"{ATOM}{required}"), required
    first = feed.findall(f"{ATOM}entry")[4]
    assert first.findtext(f"{ATOM}title") == "关于深化政务公开加强政务服务的意见"
    assert first.findtext(f"{ATOM}published") == "2011-06-08T00:00:00+08:00"
    assert first.findtext(f"{ATOM}summary") == "中办发〔2011〕22号　部署政务公开重点工作。"


def test_column_feed_includes_sub_columns(client: FlaskClient, catalog: Catalog) -> None:
    feed = fetch_xml(client, "/columns/fiscal/feed.atom", "application/atom+xml; charset=utf-8")
    assert feed.findtext(f"{ATOM}title") == "示例市人民政府政府信息公开 · 财政预决算"
    assert entry_links(feed) == [f"http://localhost/documents/{catalog.sangong}",
                                 f"http://localhost/documents/{catalog.budget}"]
    empty = fetch_xml(client, "/columns/annual-reports/feed.atom",
                      "application/atom+xml; charset=utf-8")
    assert empty.findall(f"{ATOM}entry") == []


def test_feed_escapes_markup_in_titles(client: FlaskClient, catalog: Catalog) -> None:
    from opengov.site.catalog.models import Document
    from opengov.site.db import unit_of_work

    with client.application.app_context(), unit_of_work() as session:
        document = session.get(Document, catalog.news)
        assert document is not None
        document.title = "关于<测试>&“引号”的通知"
    feed = fetch_xml(client, "/feeds/all.atom", "application/atom+xml; charset=utf-8")
    assert feed.findall(f"{ATOM}entry")[0].findtext(f"{ATOM}title") == "关于<测试>&“引号”的通知"


def test_sitemap(client: FlaskClient, catalog: Catalog) -> None:
    urlset = fetch_xml(client, "/sitemap.xml", "application/xml; charset=utf-8")
    assert urlset.tag == f"{SITEMAP}urlset"
    locations = [url.findtext(f"{SITEMAP}loc") for url in urlset.findall(f"{SITEMAP}url")]
    assert len(locations) == len(set(locations))
    for document_id in catalog.public_ids:
        assert f"http://localhost/documents/{document_id}" in locations
    for document_id in catalog.hidden_ids:
        assert f"http://localhost/documents/{document_id}" not in locations
    for expected in ("http://localhost/", "http://localhost/guide", "http://localhost/catalog",
                     "http://localhost/columns/statutory", "http://localhost/columns/sangong",
                     "http://localhost/agencies/czj/guide", "http://localhost/agencies/qsz"):
        assert expected in locations
    document_urls = [url for url in urlset.findall(f"{SITEMAP}url")
                     if "/documents/" in (url.findtext(f"{SITEMAP}loc") or "")]
    assert all(len(url.findtext(f"{SITEMAP}lastmod") or "") == 10 for url in document_urls)


def test_robots(client: FlaskClient) -> None:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /staff/" in lines
    assert "Sitemap: http://localhost/sitemap.xml" in lines
