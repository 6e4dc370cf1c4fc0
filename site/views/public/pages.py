"""Catalog pages: home, guide, directory, columns, documents."""

from __future__ import annotations

from flask import render_template

from opengov.site.views.public import bp


@bp.get("/")
def home() -> str:
    return render_template("public/home.html")
