"""Machine-readable views of the public catalog: Atom feeds, sitemap.xml, robots.txt."""

from __future__ import annotations

from flask import Response, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from opengov.site.catalog.service import public as catalog
from opengov.site.catalog.service.structure import ColumnRetiredError
from opengov.site.web.public import bp

FEED_ITEMS = 50
ATOM_TYPE = "application/atom+xml; charset=utf-8"


def _feed(slug: str | None) -> Response:
    feed = catalog.feed(slug, FEED_ITEMS)
    self_url = (url_for(".column_feed", slug=slug, _external=True) if slug is not None
                else url_for(".feed", _external=True))
    body = render_template("public/feed.atom.xml", category=feed.category, items=feed.items,
                           updated=feed.updated, self_url=self_url)
    return Response(body, content_type=ATOM_TYPE)


@bp.get("/feeds/all.atom")
def feed() -> Response:
    """The newest public documents of every column."""
    return _feed(None)


@bp.get("/columns/<slug>/feed.atom")
def column_feed(slug: str) -> ResponseReturnValue:
    """A column's (or 专栏's) own feed; a retired column's moves to its successor's."""
    try:
        return _feed(slug)
    except ColumnRetiredError as retired:
        if retired.successor_slug is None:
            raise
        return redirect(url_for(".column_feed", slug=retired.successor_slug), 301)


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    """Public documents, columns, guides and agency pages (sitemaps.org protocol)."""
    sitemap = catalog.sitemap()
    body = render_template("public/sitemap.xml", documents=sitemap.documents,
                           categories=sitemap.categories, agencies=sitemap.agencies)
    return Response(body, content_type="application/xml; charset=utf-8")


@bp.get("/robots.txt")
def robots() -> Response:
    lines = [
        "User-agent: *",
        "Disallow: /staff/",
        "Disallow: /documents/*/print",
        "Allow: /",
        f"Sitemap: {url_for('.sitemap', _external=True)}",
    ]
    return Response("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
