"""Search over JSON: /api/v1/search, title autocompletion and popular searches."""

from __future__ import annotations

from flask import current_app, jsonify, request
from flask.typing import ResponseReturnValue

from opengov.site.search.service import search as search_service
from opengov.site.search.service import statistics
from opengov.site.web.api import bp


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    try:
        value = int(request.args.get(name, default))
    except (TypeError, ValueError):
        value = default
    return min(max(value, low), high)


def _error(status: int, message: str) -> ResponseReturnValue:
    return jsonify({"error": {"status": status, "message": message}}), status


def _result(hit: search_service.Hit) -> dict[str, object]:
    return {
        "id": hit.id,
        "kind": hit.kind,
        "kind_label": search_service.kind_label(hit.kind),
        "title": hit.title,
        "url": search_service.hit_url(hit),
        "doc_number": hit.doc_number,
        "index_no": hit.index_no,
        "agency": hit.agency_name,
        "date": hit.date.isoformat() if hit.date else None,
        "validity": hit.validity,
        "category": hit.category_name,
        "snippet": hit.snippet,
    }


@bp.get("/search")
def search() -> ResponseReturnValue:
    """``?q=&page=&size=&kind=&category=&type=&agency=&year=&validity=&sort=``

    ``results`` answer the query as typed (with its synonyms, listed in ``expansions``);
    when nothing does, ``alternative`` may hold what comes closest — a relaxed match without
    the ``missing`` words, or the results of ``suggestion`` — kept apart from ``results``."""
    filters = {name: request.args.get(name, "").strip() for name in search_service.FACETS
               if request.args.get(name, "").strip()}
    outcome = search_service.search_documents(
        request.args.get("q", ""), filters=filters,
        sort=request.args.get("sort", "relevance"),
        page=_int_arg("page", 1, 1, 500),
        size=_int_arg("size", current_app.config["PAGE_SIZE"], 1, 100))
    if outcome.error:
        return _error(400, outcome.error)
    if outcome.unavailable:
        return _error(503, search_service.DEGRADED_DOWN)
    alternative = outcome.alternative
    return jsonify({
        "total": outcome.total,
        "page": outcome.page,
        "size": outcome.size,
        "took_ms": outcome.took_ms,
        "suggestion": outcome.suggestion,
        "expansions": [{"typed": typed, "also": also} for typed, also in outcome.expansions],
        "alternative": None if alternative is None else {
            "kind": alternative.kind,
            "query": alternative.query,
            "missing": alternative.missing,
            "total": alternative.total,
            "results": [_result(hit) for hit in alternative.hits],
        },
        "facets": {name: [{"value": option.value, "label": option.label,
                           "count": option.count} for option in options]
                   for name, options in outcome.facets.items()},
        "results": [_result(hit) for hit in outcome.hits],
    })


@bp.get("/search/suggest")
def suggest() -> ResponseReturnValue:
    """Titles for autocompletion: ``?q=`` (at least one character) and ``limit``."""
    prefix = request.args.get("q", "").strip()[:50]
    titles = search_service.suggest_titles(prefix, _int_arg("limit", 8, 1, 20))
    return jsonify({"query": prefix, "titles": titles})


@bp.get("/search/popular")
def popular() -> ResponseReturnValue:
    """The most searched queries of the last 30 days that found something."""
    return jsonify({"queries": statistics.popular_queries()})
