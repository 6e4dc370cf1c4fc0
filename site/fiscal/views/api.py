"""财政预决算 as JSON: disclosures with their tables, the publication overview, 三公经费."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, jsonify, request, url_for
from flask.typing import ResponseReturnValue

from opengov.site.db import get_session
from opengov.site.fiscal.models import FiscalDisclosure
from opengov.site.fiscal.rules.disclosures import Stage, days_after_approval, format_amount, is_late
from opengov.site.fiscal.service.disclosures import (
    overview,
    public_disclosure,
    public_disclosures,
    sangong_references,
)
from opengov.site.fiscal.service.export import to_json
from opengov.site.fiscal.service.tables import comparison_table, disclosure_tables, reference_table
from opengov.site.web.api import bp


def _summary(disclosure: FiscalDisclosure) -> dict[str, Any]:
    approved, published = disclosure.approved_on, disclosure.published_on
    days = days_after_approval(approved, published) if approved and published else None
    key: dict[str, Any] = {"agency": disclosure.agency.code, "year": disclosure.year,
                           "stage": disclosure.stage.slug}
    return {
        **key,
        "agency_name": disclosure.agency.name,
        "stage_name": str(disclosure.stage),
        "title": disclosure.title,
        "approved_on": approved.isoformat() if approved else None,
        "published_on": published.isoformat() if published else None,
        "days_after_approval": days,
        "late": bool(approved and published and is_late(approved, published)),
        "is_example": disclosure.is_example,
        "url": url_for("public.fiscal_disclosure", _external=True, **key),
        "api_url": url_for("api.fiscal_disclosure_detail", _external=True, **key),
    }


@bp.get("/fiscal/disclosures")
def fiscal_disclosure_list() -> ResponseReturnValue:
    years = request.args.getlist("year", type=int)
    agencies = request.args.getlist("agency")
    disclosures = public_disclosures(get_session(), dt.date.today(), years=years or None,
                                     agency_codes=agencies or None)
    return jsonify({"disclosures": [_summary(disclosure) for disclosure in disclosures]})


@bp.get("/fiscal/disclosures/<agency>/<int:year>/<stage>")
def fiscal_disclosure_detail(agency: str, year: int, stage: str) -> ResponseReturnValue:
    try:
        stage_value = Stage.from_slug(stage)
    except ValueError:
        abort(404)
    disclosure = public_disclosure(get_session(), agency, year, stage_value, dt.date.today())
    if disclosure is None:
        abort(404)
    return jsonify({
        **_summary(disclosure),
        "narrative_markdown": disclosure.narrative,
        "tables": [{"number": number, **to_json(table)}
                   for number, table in disclosure_tables(disclosure)],
        "sangong": [{"item": str(line.item), "amount": format_amount(line.amount) or None,
                     "prior_amount": format_amount(line.prior_amount) or None,
                     "explanation": line.explanation} for line in disclosure.sangong_lines],
    })


@bp.get("/fiscal/overview")
def fiscal_overview() -> ResponseReturnValue:
    year = request.args.get("year", type=int) or dt.date.today().year
    entries = overview(get_session(), year, dt.date.today())
    return jsonify({"year": year, "agencies": [{
        "agency": entry.agency.code,
        "agency_name": entry.agency.name,
        **{status.stage.slug: None if status.disclosure is None else {
            "approved_on": status.disclosure.approved_on.isoformat()
            if status.disclosure.approved_on else None,
            "published": status.published,
            "timeliness": str(status.timeliness) if status.timeliness else None,
            "days_after_approval": status.days,
        } for status in entry.stages},
    } for entry in entries]})


@bp.get("/fiscal/sangong")
def fiscal_sangong() -> ResponseReturnValue:
    years = request.args.getlist("year", type=int) or None
    agencies = request.args.getlist("agency") or None
    session = get_session()
    disclosures = public_disclosures(session, dt.date.today(), years=years, agency_codes=agencies)
    example = any(disclosure.is_example for disclosure in disclosures)
    return jsonify({
        "departments": to_json(comparison_table(disclosures, example=example)),
        "published_sources": to_json(reference_table(sangong_references(session, years=years))),
    })
