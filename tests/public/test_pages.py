"""Every public page: content, filters, pagination, hidden documents, meta tags, accessibility."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient

from opengov.site.catalog.models import Document
from opengov.site.db import unit_of_work
from tests.public.conftest import ATTACHMENT_BYTES, ATTACHMENT_NAME, Catalog
from tests.public.html import Page, parse

HIDDEN_TITLES = ("草稿：尚未发布的通知", "依申请公开的内部文件", "不予公开的涉密文件",
                 "明年才发布的预告", "已撤下的旧通知")


def get_page(client: FlaskClient, url: str, status: int = 200) -> Page:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    assert response.content_type.startswith("text/html")
    html = response.get_data(as_text=True)
    for title in HIDDEN_TITLES:
        assert title not in html, (url, title)
    return parse(html)


def page_urls(catalog: Catalog) -> list[str]:
    return ["/", "/guide", "/catalog", "/agencies", "/agencies/czj", "/agencies/czj/guide",
            "/agencies/czj/catalog", "/columns/statutory", "/columns/policies",
            "/columns/fiscal?agency=czj&year=2024", f"/documents/{catalog.policy}",
            f"/documents/{catalog.policy}/print"]


def test_every_page_meets_the_accessibility_basics(client: FlaskClient,
                                                   catalog: Catalog) -> None:
    for url in page_urls(catalog):
        page = get_page(client, url)
        html_tag = page.all("html")[0]
        assert html_tag.attrs["lang"] == "zh-CN", url
        assert len(page.all("h1")) == 1, url
        assert page.all("meta", name="viewport"), url
        assert page.all("main", id="main"), url
        labelled = {e.attrs["for"] for e in page.all("label")}
        for control in page.all("input") + page.all("select"):
            if control.attrs.get("type") in {"hidden", "submit"}:
                continue
            assert control.attrs.get("id") in labelled or "aria-label" in control.attrs, (
                url, control.attrs)
        headers = page.all("th")
        assert all("scope" in th.attrs for th in headers), url
        if not url.endswith("/print"):
            assert page.all("a", class_="skip-link", href="#main"), url
            assert page.all("header", role="banner")
            assert page.all("footer", role="contentinfo")
            assert page.all("nav", **{"aria-label": "主导航"}), url


def test_home(client: FlaskClient, catalog: Catalog) -> None:
    page = get_page(client, "/")
    search = page.all("form", role="search")[0]
    assert (search.attrs["action"], search.attrs["method"]) == ("/search", "get")
    assert page.all("input", name="q", id="home-q")
    assert page.all("a", href="/requests/new")
    titles = page.texts("a")
    assert "关于深化政务公开加强政务服务的意见" in titles
    assert "示例市财政局2024年“三公”经费预算" in titles  # a sub-sub-column under 法定主动公开内容
    assert "青石镇召开政务公开工作会议" in titles
    assert {"示例市人民政府", "示例市财政局", "示例市青石镇人民政府"} <= set(titles)
    assert page.meta("SiteName") == "示例市人民政府"


def test_home_without_any_content(client: FlaskClient) -> None:
    page = get_page(client, "/")
    assert "暂无信息" in page.texts("li")


@pytest.mark.parametrize("url", ["/guide", "/agencies/gov/guide"])
def test_root_guide_has_every_article_12_item(client: FlaskClient, catalog: Catalog,
                                              url: str) -> None:
    page = get_page(client, url)
    assert page.texts("h1") == ["示例市人民政府政府信息公开指南"]
    terms = page.texts("dt")
    for item in ("政府信息公开工作机构", "办公地址", "办公时间", "联系电话", "传真号码", "互联网联系方式"):
        assert item in terms
    details = page.texts("dd")
    assert "示例市人民路1号" in details
    assert "0000-12345679" in details
    assert "最后更新：2024-01-15" in page.texts("p", class_="updated")
    assert "一、公开范围" in page.texts("h2")  # the guide's Markdown, rendered
    assert page.all("a", href="/requests/new")
    assert page.all("a", href="/agencies/czj/guide")


def test_agency_guide_without_text(client: FlaskClient, catalog: Catalog) -> None:
    page = get_page(client, "/agencies/czj/guide")
    assert page.texts("h1") == ["示例市财政局政府信息公开指南"]
    assert "最后更新：尚未发布" in page.texts("p", class_="updated")
    # Without a guide text of its own, the page still says how to obtain information.
    assert {"政府信息的分类、编排体系", "获取方式"} <= set(page.texts("h2"))
    assert page.all("a", href="/requests/new")


@pytest.mark.parametrize("url", ["/agencies/nope", "/agencies/nope/guide",
                                 "/agencies/nope/catalog", "/columns/nope",
                                 "/columns/nope/feed.atom"])
def test_unknown_agency_or_column_is_404(client: FlaskClient, catalog: Catalog,
                                         url: str) -> None:
    assert client.get(url).status_code == 404


def test_guide_404_when_the_root_agency_is_missing(client: FlaskClient) -> None:
    assert client.get("/guide").status_code == 404


def tree_counts(page: Page) -> dict[str, str]:
    counts: dict[str, str] = {}
    for item in page.all("li"):
        match = re.match(r"^(\S+?) （(\d+)）", " ".join(item.text.split()))
        if match and match[1] not in counts:
            counts[match[1]] = match[2]
    return counts


def test_catalog_tree_counts(client: FlaskClient, catalog: Catalog) -> None:
    page = get_page(client, "/catalog")
    assert "最后更新：2024-03-05" in page.texts("p", class_="updated")
    counts = tree_counts(page)
    assert counts["法定主动公开内容"] == "4"
    assert counts["财政预决算"] == "2"
    assert counts["“三公”经费"] == "1"
    assert counts["政策解读"] == "1"
    assert counts["政府信息公开年报"] == "0"
    per_agency = get_page(client, "/agencies/czj/catalog")
    assert "最后更新：2024-02-02" in per_agency.texts("p", class_="updated")
    assert tree_counts(per_agency)["法定主动公开内容"] == "2"
    assert tree_counts(per_agency)["工作动态"] == "0"
    assert per_agency.all("a", href="/columns/fiscal?agency=czj")


def test_agency_pages(client: FlaskClient, catalog: Catalog) -> None:
    listing = get_page(client, "/agencies")
    assert listing.all("a", href="/agencies/qsz")
    page = get_page(client, "/agencies/czj")
    assert page.texts("h1") == ["示例市财政局"]
    assert "示例市2024年财政预算" in page.texts("a")
    assert "青石镇召开政务公开工作会议" not in page.texts("a")
    assert tree_counts(page)["财政预决算"] == "2"


def list_titles(page: Page) -> list[str]:
    table = page.all("table", class_="doc-list")
    if not table:
        return []
    rows = [e for e in page.elements if e.tag == "td" and e.attrs.get("class") == "col-title"]
    links = [e for e in page.elements if e.tag == "a" and e.attrs.get("href", "").startswith(
        "/documents/")]
    titles = {" ".join(link.text.split()) for link in links}
    return [title for row in rows for title in titles if row.text.strip().startswith(title)]


def test_column_list_table(client: FlaskClient, catalog: Catalog) -> None:
    page = get_page(client, "/columns/statutory")
    assert page.texts("th") == ["索引号", "标题", "发文字号", "发布日期"]
    assert list_titles(page) == ["示例市财政局2024年“三公”经费预算", "示例市2024年财政预算",
                                 "关于深化政务公开加强政务服务的意见", "示例市政府信息公开暂行办法"]
    assert "中办发〔2011〕22号" in page.texts("td", class_="col-number")
    assert "2011-06-08" in page.texts("td", class_="col-date")
    assert "部署政务公开重点工作。" in page.texts("span", class_="summary")  # 内容概述 (Art. 12)
    assert any(re.fullmatch(r"007000001/2011-\d{5}", index)
               for index in page.texts("td", class_="col-index"))
    assert page.all("a", href="/columns/fiscal")  # sub-column navigation


@pytest.mark.parametrize(("query", "expected"), [
    ("agency=czj", ["示例市财政局2024年“三公”经费预算", "示例市2024年财政预算"]),
    ("year=2008", ["示例市政府信息公开暂行办法"]),
    ("validity=废止", ["示例市政府信息公开暂行办法"]),
    ("validity=有效&year=2024", ["示例市财政局2024年“三公”经费预算", "示例市2024年财政预算"]),
    ("topic=综合政务", ["关于深化政务公开加强政务服务的意见", "示例市政府信息公开暂行办法"]),
    ("topic=综合政务\\政务公开", ["关于深化政务公开加强政务服务的意见"]),
    ("agency=&year=&topic=&validity=", ["示例市财政局2024年“三公”经费预算", "示例市2024年财政预算",
                                        "关于深化政务公开加强政务服务的意见", "示例市政府信息公开暂行办法"]),
])
def test_column_filters(client: FlaskClient, catalog: Catalog, query: str,
                        expected: list[str]) -> None:
    page = get_page(client, f"/columns/statutory?{query}")
    assert list_titles(page) == expected


def test_filters_keep_what_was_chosen(client: FlaskClient, catalog: Catalog) -> None:
    page = get_page(client, "/columns/statutory?agency=czj&year=2024&validity=有效")
    assert page.all("option", value="czj", selected="")
    assert page.all("option", value="有效", selected="")
    assert page.all("input", name="year", value="2024")


def test_empty_result(client: FlaskClient, catalog: Catalog) -> None:
    page = get_page(client, "/columns/statutory?year=1990")
    assert "没有符合条件的信息。" in page.texts("p")
    assert get_page(client, "/columns/annual-reports").texts("p", class_="empty")


@pytest.mark.parametrize(("query", "field", "message"), [
    ("year=abc", "year", "年份应为数字，收到“abc”。"),
    ("year=3000", "year", "年份应在 1949 至 2100 之间，收到 3000。"),
    ("validity=永久", "validity", "有效性应为有效、失效、废止、已修改之一，收到“永久”。"),
    ("topic=随便", "topic", "主题分类“随便”不在主题分类表中。"),
    ("agency=nope", "agency", "发布机构“nope”不存在。"),
    ("page=abc", "page", "页码应为数字，收到“abc”。"),
])
def test_bad_filters_are_explained_beside_the_field(client: FlaskClient, catalog: Catalog,
                                                    query: str, field: str,
                                                    message: str) -> None:
    page = get_page(client, f"/columns/statutory?{query}", status=400)
    assert message in page.texts("p", id=f"err-{field}") + page.texts("p", id="filter-page")
    assert message in page.texts("a", href=f"#filter-{field}")
    assert page.all("div", role="alert")
    assert not page.all("table", class_="doc-list")
    if field == "year":
        assert page.all("input", name="year", value=query.split("=")[1])  # what was typed


def test_pagination(app: Flask, client: FlaskClient, catalog: Catalog) -> None:
    app.config["PAGE_SIZE"] = 2
    first = get_page(client, "/columns/statutory?agency=")
    assert len(list_titles(first)) == 2
    assert "共 4 条，第 1 / 2 页" in first.texts("p")
    next_link = first.all("a", rel="next")[0].attrs["href"]
    assert next_link == "/columns/statutory?page=2"
    assert first.all("a", **{"aria-current": "page", "href": "/columns/statutory?page=1"})
    second = get_page(client, next_link)
    assert list_titles(second) == ["关于深化政务公开加强政务服务的意见", "示例市政府信息公开暂行办法"]
    assert second.all("a", rel="prev")
    assert not second.all("a", rel="next")
    assert client.get("/columns/statutory?page=3").status_code == 404
    filtered = get_page(client, "/columns/statutory?validity=有效")
    assert filtered.all("a", rel="next")[0].attrs["href"] == (
        "/columns/statutory?validity=" + quote("有效") + "&page=2")
    assert "共 3 条，第 1 / 2 页" in filtered.texts("p")
    assert client.get("/columns/statutory?page=0").status_code == 400


def test_document_page(client: FlaskClient, catalog: Catalog) -> None:
    page = get_page(client, f"/documents/{catalog.policy}")
    labels = page.texts("th")
    for label in ("索引号", "主题分类", "发文机关", "成文日期", "标题", "发文字号", "发布日期",
                  "有效性", "实施日期", "主题词"):
        assert label in labels
    cells = page.texts("td")
    assert "中办发〔2011〕22号" in cells
    assert "综合政务\\政务公开" in cells
    assert "2011-06-08" in cells
    assert "2011-06-05" in cells
    assert "政务公开 政务服务" in cells  # shown with a full-width space
    assert page.texts("h1") == ["关于深化政务公开加强政务服务的意见"]
    assert "一、总体要求" in page.texts("h2")  # the Markdown body
    related = page.all("a", href=f"/documents/{catalog.interpretation}")
    assert related
    assert related[0].text == "就《关于深化政务公开加强政务服务的意见》答记者问"
    assert not page.all("a", href=f"/documents/{catalog.on_request}")
    assert page.all("a", href=f"/documents/{catalog.policy}/print")
    interpretation = get_page(client, f"/documents/{catalog.interpretation}")
    assert interpretation.all("a", href=f"/documents/{catalog.policy}")
    assert "解读的政策文件" in interpretation.texts("h2")


def test_document_without_dates_hides_the_empty_rows(client: FlaskClient,
                                                     catalog: Catalog) -> None:
    page = get_page(client, f"/documents/{catalog.news}")
    assert "实施日期" not in page.texts("th")
    assert "废止/失效日期" not in page.texts("th")
    policy = get_page(client, f"/documents/{catalog.policy}")
    assert "废止/失效日期" not in policy.texts("th")
    repealed = get_page(client, f"/documents/{catalog.repealed_rule}")
    assert "废止/失效日期" in repealed.texts("th")
    assert "实施日期" not in repealed.texts("th")
    assert "2020-01-01" in repealed.texts("td")
    assert "废止" in repealed.texts("td")


def test_document_body_is_sanitised(app: Flask, client: FlaskClient, catalog: Catalog) -> None:
    with app.app_context(), unit_of_work() as session:
        document = session.get(Document, catalog.news)
        assert document is not None
        document.body = "正文<script>alert(1)</script>\n\n[链接](javascript:alert(1))"
    html = client.get(f"/documents/{catalog.news}").get_data(as_text=True)
    assert "<script>alert" not in html
    assert "javascript:" not in html


def test_print_view(client: FlaskClient, catalog: Catalog) -> None:
    page = get_page(client, f"/documents/{catalog.budget}/print")
    assert page.texts("h1") == ["示例市2024年财政预算"]
    assert not page.all("nav")
    assert page.all("meta", name="robots", content="noindex")
    assert ATTACHMENT_NAME in page.texts("li")


def test_non_public_documents_are_404_everywhere(client: FlaskClient, catalog: Catalog) -> None:
    for hidden in catalog.hidden_ids:
        for url in (f"/documents/{hidden}", f"/documents/{hidden}/print",
                    f"/api/v1/documents/{hidden}"):
            assert client.get(url).status_code == 404, url
    assert client.get("/documents/999999").status_code == 404
    huge = "99999999999999999999"  # beyond any database integer: 404, not 500
    for url in (f"/documents/{huge}", f"/documents/{huge}/print",
                f"/documents/{catalog.budget}/attachments/{huge}", f"/api/v1/documents/{huge}"):
        assert client.get(url).status_code == 404, url


def test_download_with_chinese_filename(client: FlaskClient, catalog: Catalog) -> None:
    page = get_page(client, f"/documents/{catalog.budget}")
    href = f"/documents/{catalog.budget}/attachments/{catalog.attachment}"
    assert page.all("a", href=href)[0].text == ATTACHMENT_NAME
    response = client.get(href)
    assert response.status_code == 200
    assert response.data == ATTACHMENT_BYTES
    assert response.mimetype == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote(ATTACHMENT_NAME)}" in disposition
    disposition.encode("latin-1")  # the header itself stays ASCII/latin-1 safe


def test_download_refuses_wrong_document_and_missing_file(app: Flask, client: FlaskClient,
                                                          catalog: Catalog) -> None:
    assert client.get(f"/documents/{catalog.policy}/attachments/"
                      f"{catalog.attachment}").status_code == 404
    catalog.attachment_file.unlink()
    assert client.get(f"/documents/{catalog.budget}/attachments/"
                      f"{catalog.attachment}").status_code == 404


def test_meta_tags_on_list_and_detail_pages(client: FlaskClient, catalog: Catalog) -> None:
    column = get_page(client, "/columns/fiscal")
    assert column.meta("SiteName") == "示例市人民政府"
    assert column.meta("SiteIDCode") == "9999000001"
    assert column.meta("ColumnName") == "财政预决算"
    assert (column.meta("ColumnDescription") or "").startswith("《中华人民共和国政府信息公开条例》")
    assert column.meta("ColumnKeywords")
    assert column.meta("ColumnType") == "信息公开"
    assert column.meta("Url") == "http://localhost/columns/fiscal"
    document = get_page(client, f"/documents/{catalog.policy}")
    assert document.meta("ColumnName") == "政策文件"
    assert document.meta("ArticleTitle") == "关于深化政务公开加强政务服务的意见"
    assert document.meta("PubDate") == "2011-06-08 00:00"
    assert document.meta("ContentSource") == "新华社"
    assert document.meta("Keywords") == "政务公开,政务服务"
    assert document.meta("Description") == "部署政务公开重点工作。"
    assert document.meta("Url") == f"http://localhost/documents/{catalog.policy}"
    for url in ("/", "/guide", "/catalog", "/agencies/czj"):
        page = get_page(client, url)
        assert page.meta("ColumnName"), url
        assert page.meta("Url"), url


def test_elder_mode_without_javascript(client: FlaskClient, catalog: Catalog) -> None:
    standard = get_page(client, "/columns/policies?year=2011")
    toggle = standard.all("a", class_="elder-toggle")[0]
    assert toggle.text.startswith("长辈版")
    assert toggle.attrs["href"] == "/columns/policies?year=2011&elder=1"
    response = client.get(toggle.attrs["href"])
    assert "opengov_elder=1" in response.headers["Set-Cookie"]
    assert 'class="elder ' in response.get_data(as_text=True)
    kept = get_page(client, "/")  # the cookie carries the choice to the next page
    assert kept.all("body")[0].attrs["class"].startswith("elder")
    assert kept.all("a", class_="elder-toggle")[0].text.startswith("标准版")
    client.get("/?elder=0")
    assert "elder" not in get_page(client, "/").all("body")[0].attrs["class"]


def test_nav_marks_the_current_page(client: FlaskClient, catalog: Catalog) -> None:
    page = get_page(client, "/catalog")
    assert page.all("a", href="/catalog", **{"aria-current": "page"})
