"""Jinja filters and the values every template sees."""

from __future__ import annotations

import datetime as dt
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


def init_app(app: Flask) -> None:
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
        }
