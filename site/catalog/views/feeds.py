"""Machine-readable views of the public catalog: Atom feeds, sitemap.xml, robots.txt."""

from __future__ import annotations

import datetime as dt

from flask import Response, abort, render_template, url_for

from opengov.site.catalog.models import Category
from opengov.site.catalog.rules.listing import DocumentFilters
from opengov.site.catalog.service import public as catalog
from opengov.site.db import get_session
from opengov.site.web.public import bp

FEED_ITEMS = 50
ATOM_TYPE = "application/atom+xml; charset=utf-8"


def _feed(category: Category | None) -> Response:
    session = get_session()
    filters = DocumentFilters(column=category.slug if category else None)
    items = catalog.list_documents(session, filters, size=FEED_ITEMS).items
    updated = max((d.updated_at for d in items), default=dt.datetime(2000, 1, 1))
    self_url = (url_for(".column_feed", slug=category.slug, _external=True) if category
                else url_for(".feed", _external=True))
    body = render_template("public/feed.atom.xml", category=category, items=items,
                           updated=updated, self_url=self_url)
    return Response(body, content_type=ATOM_TYPE)


@bp.get("/feeds/all.atom")
def feed() -> Response:
    """The newest public documents of every column."""
    return _feed(None)


@bp.get("/columns/<slug>/feed.atom")
def column_feed(slug: str) -> Response:
    category = catalog.category_by_slug(get_session(), slug)
    if category is None:
        abort(404)
    return _feed(category)


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    """Public documents, columns, guides and agency pages (sitemaps.org protocol)."""
    session = get_session()
    body = render_template("public/sitemap.xml",
                           documents=catalog.sitemap_documents(session),
                           categories=catalog.all_categories(session),
                           agencies=catalog.public_agencies(session))
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
