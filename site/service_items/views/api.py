"""Service items as JSON: ``/api/v1/service-items`` (filters, pages) and one item's guide."""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, request, url_for
from flask.typing import ResponseReturnValue

from opengov.site.service_items.rules.listing import ITEM_TYPES, MAX_PAGE_SIZE, parse_list_query
from opengov.site.service_items.service import public as items
from opengov.site.service_items.views.public import ITEM_ID
from opengov.site.web.api import bp, page_links, with_page_links
from opengov.site.web.errors import problem


def _bad_request(errors: dict[str, str]) -> ResponseReturnValue:
    return problem(400, "；".join(errors.values()), invalid_params=errors)


def item_summary(item: Any) -> dict[str, Any]:
    targets = [label for label, wanted in (("自然人", item.for_persons),
                                           ("法人", item.for_organisations)) if wanted]
    return {
        "id": item.id,
        "code": item.code,
        "name": item.name,
        "type": item.item_type,
        "agency": {"code": item.agency.code, "name": item.agency.name},
        "targets": targets,
        "themes": item.theme_names,
        "promised_limit_days": item.promised_limit_days,
        "visits": item.visits,
        "published_on": item.published_on.isoformat() if item.published_on else None,
        "url": url_for("public.service_item", item_id=item.id, _external=True),
        "api_url": url_for("api.service_item", item_id=item.id, _external=True),
    }


@bp.get("/service-items")
def service_items() -> ResponseReturnValue:
    """``?agency=&type=&theme=&target=&q=&page=&size=`` (size at most 100)."""
    query = parse_list_query(request.args, types=ITEM_TYPES,
                             default_size=current_app.config["PAGE_SIZE"], allow_size=True)
    if query.errors:
        return _bad_request(query.errors)
    try:
        result = items.item_list(query)
    except items.UnknownAgencyError as exc:
        return _bad_request({"agency": exc.message})
    links = page_links("api.service_items", result.page, result.pages, size=request.args.get("size"),
                       **query.as_args())
    return with_page_links(jsonify({"total": result.total, "page": result.page,
                                    "size": result.size, "pages": result.pages,
                                    "max_size": MAX_PAGE_SIZE, "filters": query.as_args(),
                                    "links": links,
                                    "results": [item_summary(item) for item in result.items]}), links)


@bp.get(f"/service-items/{ITEM_ID}")
def service_item(item_id: int) -> ResponseReturnValue:
    """The public 办事指南 of one item, every field, with download links of its forms."""
    page = items.item_page(item_id)
    guide = page.guide

    def file_link(file_id: int | None) -> dict[str, Any] | None:
        found = page.files.get(file_id) if file_id else None
        if found is None:
            return None
        return {"name": found.original_name, "content_type": found.content_type,
                "size": found.size,
                "url": url_for("public.service_item_file", item_id=item_id, file_id=found.id,
                               _external=True)}

    data = item_summary(page.item)
    data.update({
        "version": page.version,
        "is_example": guide.is_example,
        "handling_unit": guide.handling_unit,
        "summary": guide.summary,
        "basis": [{"law": basis.law, "articles": basis.articles,
                   "url": url_for("public.document", document_id=page.laws[basis.law].document_id,
                                  _external=True) if basis.law in page.laws else None}
                  for basis in guide.basis],
        "conditions": guide.conditions,
        "materials": [{"name": m.name, "copies": m.copies, "form": m.form.value,
                       "medium": m.medium.value, "source": m.source,
                       "necessity": m.necessity.value, "note": m.note,
                       "blank_form": file_link(m.blank_form), "sample": file_link(m.sample)}
                      for m in guide.materials],
        "steps": [{"name": step.name, "description": step.description}
                  for step in guide.steps],
        "legal_limit_days": guide.legal_limit_days,
        "handling_kind": guide.handling_kind,
        "limit_note": guide.limit_note,
        "fee": {"charged": guide.charged, "standard": guide.fee_standard,
                "basis": guide.fee_basis},
        "visits_label": guide.visits_label,
        "location": guide.location,
        "hours": guide.hours,
        "phone": guide.phone,
        "online": {"depth": guide.online_depth.value, "url": guide.online_url or None},
        "result": {"name": guide.result_name, "delivery": guide.delivery},
        "consult": guide.consult,
        "complaint": guide.complaint,
        "faq": [{"question": q.question, "answer": q.answer} for q in guide.faq],
        "print_url": url_for("public.service_item_print", item_id=item_id, _external=True),
    })
    return jsonify(data)
