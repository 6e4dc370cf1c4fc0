"""Catalog pages: home, 政府信息公开指南, 政府信息公开目录 and the agencies."""

from __future__ import annotations

from flask import current_app, render_template

from opengov.site.agencies import service as agency_service
from opengov.site.catalog.service import public as catalog
from opengov.site.web.public import bp

#: Columns shown with their newest items on the home page, in this order: the 政策文件
#: first, then the top-level columns.
HOME_COLUMNS = ("policies", "statutory", "interpretations", "news", "rules", "annual-reports")
HOME_ITEMS = 6


@bp.get("/")
def home() -> str:
    page = catalog.home_page(HOME_COLUMNS, HOME_ITEMS)
    return render_template("public/home.html", sections=page.sections, agencies=page.agencies)


def _render_guide(code: str) -> str:
    page = catalog.guide_page(code)
    return render_template("public/guide.html", agency=page.agency, documents=page.documents,
                           last_updated=page.last_updated, other_agencies=page.other_agencies,
                           is_root=code == current_app.config["ROOT_AGENCY"])


@bp.get("/guide")
def guide() -> str:
    """The 政府信息公开指南 of the government that runs the site."""
    return _render_guide(current_app.config["ROOT_AGENCY"])


@bp.get("/agencies/<code>/guide")
def agency_guide(code: str) -> str:
    return _render_guide(code)


def _render_catalog(code: str | None) -> str:
    page = catalog.catalog_page(code)
    return render_template("public/catalog.html", agency=page.agency, tree=page.tree,
                           last_updated=page.last_updated, agencies=page.agencies)


@bp.get("/catalog")
def directory() -> str:
    """The 政府信息公开目录 across all agencies."""
    return _render_catalog(None)


@bp.get("/agencies/<code>/catalog")
def agency_directory(code: str) -> str:
    return _render_catalog(code)


@bp.get("/agencies")
def agencies() -> str:
    return render_template("public/agencies.html", agencies=agency_service.all_agencies())


@bp.get("/agencies/<code>")
def agency(code: str) -> str:
    """One agency's own 政府信息公开 home: contact, 目录 with counts, newest items."""
    page = catalog.agency_page(code)
    return render_template("public/agency.html", agency=page.agency, tree=page.tree,
                           latest=page.latest)
