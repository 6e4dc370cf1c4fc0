"""Search over JSON: /api/v1/search, title autocompletion and popular searches.

Parameters follow the API's one validation policy (:mod:`opengov.site.web.params`): a bad
value is a 400 problem naming it, never silently clamped.
"""

from __future__ import annotations

from flask import current_app, jsonify, request
from flask.typing import ResponseReturnValue

from opengov.site.search.service import search as search_service
from opengov.site.search.service import statistics
from opengov.site.web.api import bp, page_links, with_page_links
from opengov.site.web.errors import problem
from opengov.site.web.params import choice_arg, int_arg, text_arg
from opengov.site.web.urls import site_url

#: Deepest page of results served (relevance beyond it is noise; OFFSET costs grow).
MAX_SEARCH_PAGE = 500
SORTS = ("relevance", "date")


def _result(hit: search_service.Hit) -> dict[str, object]:
    return {
        "id": hit.id,
        "kind": hit.kind,
        "kind_label": search_service.kind_label(hit.kind),
        "title": hit.title,
        "url": site_url(search_service.hit_url(hit)),
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
    # The query's own rules (length, syntax) are the search's: a 400 naming ``q``.
    query = request.args.get("q", "")
    filters = {name: value for name in search_service.FACETS
               if (value := text_arg(name, longest=100))}
    sort = choice_arg("sort", SORTS, "relevance")
    page = int_arg("page", 1, low=1, high=MAX_SEARCH_PAGE, label="page（页码）")
    size = int_arg("size", current_app.config["PAGE_SIZE"], low=1, high=100,
                   label="size（每页条数）")
    outcome = search_service.search_documents(query, filters=filters, sort=sort, page=page,
                                              size=size)
    if outcome.error:
        return problem(400, outcome.error, invalid_params={"q": outcome.error})
    if outcome.unavailable:
        return problem(503, search_service.DEGRADED_DOWN)
    links = page_links("api.search", outcome.page, min(outcome.pages, MAX_SEARCH_PAGE),
                       q=query, sort=request.args.get("sort"), size=request.args.get("size"),
                       **filters)
    alternative = outcome.alternative
    return with_page_links(jsonify({
        "total": outcome.total,
        "page": outcome.page,
        "size": outcome.size,
        "pages": outcome.pages,
        "took_ms": outcome.took_ms,
        "suggestion": outcome.suggestion,
        "links": links,
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
    }), links)


@bp.get("/search/suggest")
def suggest() -> ResponseReturnValue:
    """Titles for autocompletion: ``?q=`` (at most 50 characters) and ``limit`` (1–20)."""
    prefix = text_arg("q", longest=50, label="q（输入的开头）")
    titles = search_service.suggest_titles(prefix, int_arg("limit", 8, low=1, high=20))
    return jsonify({"query": prefix, "titles": titles})


@bp.get("/search/popular")
def popular() -> ResponseReturnValue:
    """热门搜索: queries many visitors made recently that found something."""
    return jsonify({"queries": statistics.popular_queries()})
