"""财政预决算 as JSON: disclosures with their tables, the publication overview, 三公经费."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for
from flask.typing import ResponseReturnValue

from opengov.site import clock
from opengov.site.fiscal.rules.disclosures import days_after_approval, format_amount, is_late
from opengov.site.fiscal.service import public as fiscal
from opengov.site.fiscal.service.export import to_json
from opengov.site.fiscal.views.public import YEAR, stage_from_slug, year_arg, year_args
from opengov.site.web.api import bp
from opengov.site.web.params import InvalidParameterError


def _summary(disclosure: Any) -> dict[str, Any]:
    """A disclosure's key, dates and links (a ``FiscalDisclosure``)."""
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


def _agency_codes() -> list[str]:
    codes = [code.strip() for code in request.args.getlist("agency") if code.strip()]
    for code in codes:
        if len(code) > 40 or not code.isascii():
            raise InvalidParameterError("agency", f"机构代码“{code[:20]}”无效。")
    return codes[:50]


@bp.get("/fiscal/disclosures")
def fiscal_disclosure_list() -> ResponseReturnValue:
    disclosures = fiscal.published_disclosures(year_args(), _agency_codes())
    return jsonify({"disclosures": [_summary(disclosure) for disclosure in disclosures]})


@bp.get(f"/fiscal/disclosures/<agency>/{YEAR}/<stage>")
def fiscal_disclosure_detail(agency: str, year: int, stage: str) -> ResponseReturnValue:
    page = fiscal.disclosure_page(agency, year, stage_from_slug(stage))
    disclosure = page.disclosure
    return jsonify({
        **_summary(disclosure),
        "narrative_markdown": disclosure.narrative,
        "tables": [{"number": number, **to_json(table)} for number, table in page.tables],
        "sangong": [{"item": str(line.item), "amount": format_amount(line.amount) or None,
                     "prior_amount": format_amount(line.prior_amount) or None,
                     "explanation": line.explanation} for line in disclosure.sangong_lines],
        "procurement": to_json(page.procurement) if page.procurement else None,
    })


@bp.get("/fiscal/overview")
def fiscal_overview() -> ResponseReturnValue:
    year = year_arg() or clock.today().year
    entries = fiscal.year_overview(year)
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
    tables = fiscal.sangong_tables(year_args(), _agency_codes())
    return jsonify({
        "departments": to_json(tables.departments),
        "published_sources": to_json(tables.references),
    })
