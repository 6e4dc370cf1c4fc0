"""Catalog pages: home, 政府信息公开指南, 政府信息公开目录 and the agencies."""

from __future__ import annotations

from flask import abort, current_app, render_template

from opengov.site.agencies.models import Agency
from opengov.site.catalog.rules.listing import DocumentFilters
from opengov.site.catalog.service import public as catalog
from opengov.site.db import get_session
from opengov.site.web.public import bp

#: Top-level columns shown with their newest items on the home page, in this order.
HOME_COLUMNS = ("statutory", "interpretations", "news", "rules", "annual-reports")
HOME_ITEMS = 6


def _agency_or_404(code: str) -> Agency:
    agency = catalog.agency_by_code(get_session(), code)
    if agency is None:
        abort(404)
    return agency


@bp.get("/")
def home() -> str:
    session = get_session()
    sections = []
    for slug in HOME_COLUMNS:
        category = catalog.category_by_slug(session, slug)
        if category is not None:
            sections.append((category, catalog.latest_in_column(session, category, HOME_ITEMS)))
    policies = catalog.category_by_slug(session, "policies")
    if policies is not None:
        sections.insert(0, (policies, catalog.latest_in_column(session, policies, HOME_ITEMS)))
    return render_template("public/home.html", sections=sections,
                           agencies=catalog.public_agencies(session))


def _render_guide(agency: Agency) -> str:
    session = get_session()
    documents = catalog.guide_documents(session, agency)
    others = [a for a in catalog.public_agencies(session) if a.id != agency.id]
    return render_template("public/guide.html", agency=agency, documents=documents,
                           last_updated=catalog.guide_last_updated(agency, documents),
                           other_agencies=others,
                           is_root=agency.code == current_app.config["ROOT_AGENCY"])


@bp.get("/guide")
def guide() -> str:
    """The 政府信息公开指南 of the government that runs the site."""
    return _render_guide(_agency_or_404(current_app.config["ROOT_AGENCY"]))


@bp.get("/agencies/<code>/guide")
def agency_guide(code: str) -> str:
    return _render_guide(_agency_or_404(code))


def _render_catalog(agency: Agency | None) -> str:
    session = get_session()
    return render_template("public/catalog.html", agency=agency,
                           tree=catalog.column_tree(session, agency),
                           last_updated=catalog.catalog_last_updated(session, agency),
                           agencies=catalog.public_agencies(session))


@bp.get("/catalog")
def directory() -> str:
    """The 政府信息公开目录 across all agencies."""
    return _render_catalog(None)


@bp.get("/agencies/<code>/catalog")
def agency_directory(code: str) -> str:
    return _render_catalog(_agency_or_404(code))


@bp.get("/agencies")
def agencies() -> str:
    return render_template("public/agencies.html",
                           agencies=catalog.public_agencies(get_session()))


@bp.get("/agencies/<code>")
def agency(code: str) -> str:
    """One agency's own 政府信息公开 home: contact, 目录 with counts, newest items."""
    session = get_session()
    owner = _agency_or_404(code)
    tree = catalog.column_tree(session, owner)
    latest = catalog.list_documents(session, DocumentFilters(agency=owner.code),
                                    size=10).items
    return render_template("public/agency.html", agency=owner, tree=tree, latest=latest)
