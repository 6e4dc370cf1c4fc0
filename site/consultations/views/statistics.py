"""互动交流统计: the public figures of consultations and complaints per agency and year."""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue

from opengov.site.consultations.service import statistics
from opengov.site.exceptions import InvalidInputError
from opengov.site.web.public import bp


def parse_year(raw: str) -> int | None:
    """``?year=`` as a year; None when empty; InvalidInputError when not a year."""
    text = raw.strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise InvalidInputError(f"年度应为四位数字，收到“{text[:10]}”。")
    return int(text)


@bp.get("/participation/statistics")
def participation_statistics() -> ResponseReturnValue:
    page = statistics.participation(parse_year(request.args.get("year", "")))
    return render_template("public/participation_statistics.html", page=page)
