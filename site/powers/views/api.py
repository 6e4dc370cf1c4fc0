"""The 权力清单 as JSON: ``/api/v1/powers`` (filters, pages) and one power."""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, request, url_for
from flask.typing import ResponseReturnValue

from opengov.site.powers.rules import POWER_TYPES
from opengov.site.powers.service import public as power_service
from opengov.site.powers.views.public import POWER_ID
from opengov.site.service_items.rules.listing import MAX_PAGE_SIZE, parse_list_query
from opengov.site.web.api import bp, page_links, with_page_links
from opengov.site.web.errors import problem


def _bad_request(errors: dict[str, str]) -> ResponseReturnValue:
    return problem(400, "；".join(errors.values()), invalid_params=errors)


def power_summary(power: Any) -> dict[str, Any]:
    return {
        "id": power.id,
        "code": power.code,
        "name": power.name,
        "type": power.power_type,
        "agency": {"code": power.agency.code, "name": power.agency.name},
        "published_on": power.published_on.isoformat() if power.published_on else None,
        "url": url_for("public.power", power_id=power.id, _external=True),
        "api_url": url_for("api.power", power_id=power.id, _external=True),
    }


@bp.get("/powers")
def powers() -> ResponseReturnValue:
    """``?agency=&type=&q=&page=&size=`` (size at most 100)."""
    query = parse_list_query(request.args, types=POWER_TYPES, themes=(), with_targets=False,
                             default_size=current_app.config["PAGE_SIZE"], allow_size=True)
    if query.errors:
        return _bad_request(query.errors)
    try:
        result = power_service.power_list(query)
    except power_service.UnknownAgencyError as exc:
        return _bad_request({"agency": exc.message})
    links = page_links("api.powers", result.page, result.pages, size=request.args.get("size"),
                       **query.as_args())
    return with_page_links(jsonify({"total": result.total, "page": result.page,
                                    "size": result.size, "pages": result.pages,
                                    "max_size": MAX_PAGE_SIZE, "filters": query.as_args(),
                                    "links": links,
                                    "results": [power_summary(power) for power in result.powers]}), links)


@bp.get(f"/powers/{POWER_ID}")
def power(power_id: int) -> ResponseReturnValue:
    page = power_service.power_page(power_id)
    content = page.content
    data = power_summary(page.power)
    data.update({
        "version": page.version,
        "is_example": content.is_example,
        "handling_unit": content.handling_unit,
        "basis": [{"law": basis.law, "articles": basis.articles,
                   "url": url_for("public.document", document_id=page.laws[basis.law].document_id,
                                  _external=True) if basis.law in page.laws else None}
                  for basis in content.basis],
        "responsibilities": content.responsibilities,
        "accountability": content.accountability,
        "process": [{"name": step.name, "description": step.description}
                    for step in content.process],
        "supervision_phone": content.supervision_phone,
        "service_item": ({"code": content.service_item_code,
                          "url": url_for("public.service_item", item_id=page.service_item_id,
                                         _external=True)}
                         if page.service_item_id else None),
        "discretion": [{"violation": rule.violation, "level": rule.level,
                        "circumstance": rule.circumstance, "penalty": rule.penalty,
                        "basis": rule.basis} for rule in content.discretion],
        "note": content.note,
    })
    return jsonify(data)
