"""Portal conventions of a government site (rules.md §10.2): the HTML 网站地图 and the favicon."""

from __future__ import annotations

from flask import current_app, render_template, send_from_directory
from flask.typing import ResponseReturnValue

from opengov.site.agencies.rules import KIND_LABELS
from opengov.site.catalog.service import portal
from opengov.site.web.public import bp


@bp.get("/sitemap")
def sitemap_page() -> str:
    """网站地图 for people: every section, column and agency page (sitemap.xml is for robots)."""
    page = portal.site_map_page()
    return render_template("public/sitemap.html", tree=page.tree, agencies=page.agencies,
                           kinds=KIND_LABELS)


@bp.get("/favicon.ico")
def favicon() -> ResponseReturnValue:
    """Browsers ask for /favicon.ico whatever the page says; answer it instead of a 404."""
    return send_from_directory(str(current_app.static_folder), "favicon.ico",
                               mimetype="image/vnd.microsoft.icon", max_age=7 * 86400)
