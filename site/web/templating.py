"""Jinja filters and the values every template sees."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from opengov.site import clock
from opengov.site.rendering import render_markdown


def format_date(value: dt.date | dt.datetime | None) -> str:
    """Dates as YYYY-MM-DD, the format of the catalog (design.md §6)."""
    if value is None:
        return ""
    return value.strftime("%Y-%m-%d")


def format_beijing(value: dt.datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """A stored timestamp (naive UTC) in 北京时间, the time staff and the public read."""
    if value is None:
        return ""
    return clock.to_beijing(value).strftime(pattern)


def static_version(app: Flask, filename: str) -> str | None:
    """A short digest of a static file's bytes, cached for the life of the process: the
    ``v`` of its URL, so that browsers and nginx may cache static files for a year and still
    fetch a changed file at once after an upgrade. None for a file that does not exist."""
    versions: dict[str, str | None] = app.extensions.setdefault("opengov.static_versions", {})
    if filename not in versions:
        path = Path(app.static_folder or "") / filename
        try:
            versions[filename] = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        except OSError:
            versions[filename] = None
    return versions[filename]


def init_app(app: Flask) -> None:
    @app.url_defaults
    def versioned_static(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            version = static_version(app, values["filename"])
            if version:
                values["v"] = version

    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["beijing"] = format_beijing
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def site_context() -> dict[str, Any]:
        return {
            "site_name": current_app.config["SITE_NAME"],
            "site_domain": current_app.config["SITE_DOMAIN"],
            "site_id_code": current_app.config["SITE_ID_CODE"],
            "staff_enabled": current_app.config["ENABLE_STAFF"],
            "portal": portal_identifiers(),
        }


def portal_identifiers() -> dict[str, str]:
    """The footer's identifiers of a government site (《政府网站发展指引》, rules.md §10.2),
    from the settings; an empty setting is left out of the footer."""
    config = current_app.config
    return {
        "organiser": config["SITE_ORGANISER"] or config["SITE_NAME"],
        "operator": config["SITE_OPERATOR"],
        "contact": config["SITE_CONTACT"],
        "icp": config["ICP_RECORD"],
        "icp_url": config["ICP_RECORD_URL"],
        "security": config["PUBLIC_SECURITY_RECORD"],
        "security_url": config["PUBLIC_SECURITY_RECORD_URL"],
        "badge_url": config["PARTY_GOV_BADGE_URL"],
        "description": config["SITE_DESCRIPTION"],
    }
