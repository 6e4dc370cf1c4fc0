"""The search page: a GET form, facets, results with snippets, suggestions."""

from __future__ import annotations

from typing import Any

from flask import render_template, request, url_for
from markupsafe import Markup

from opengov.site.search.service import search as search_service
from opengov.site.web.public import bp

SORT_LABELS = {"relevance": "按相关度", "date": "按发布日期"}


def _int_arg(name: str, default: int) -> int:
    try:
        return int(request.args.get(name, default))
    except (TypeError, ValueError):
        return default


@bp.get("/search")
def search() -> str:
    raw = request.args.get("q", "")
    shown = search_service.search_page(
        raw, asked=bool(raw.strip()) or "q" in request.args,
        filters={name: request.args.get(name, "").strip() for name in search_service.FACETS
                 if request.args.get(name, "").strip()},
        sort=request.args.get("sort", "relevance"), page=_int_arg("page", 1))
    outcome = shown.outcome

    def link(**changes: Any) -> str:
        """This search with some parameters changed (None removes one); back to page 1
        unless the page is what changes."""
        params: dict[str, Any] = {key: value for key, value in request.args.items() if value}
        if "page" not in changes:
            params.pop("page", None)
        for key, value in changes.items():
            if value is None:
                params.pop(key, None)
            else:
                params[key] = value
        return url_for("public.search", **params)

    def title_html(title: str) -> Markup:
        # marked_title escapes the title and adds only <mark> around the searched words.
        return Markup(search_service.marked_title(title, outcome.terms if outcome else []))  # noqa: S704

    return render_template("public/search.html", outcome=outcome, query=raw,
                           popular=shown.popular, link=link, title_html=title_html,
                           facet_labels=search_service.FACET_LABELS, facets=search_service.FACETS,
                           sort_labels=SORT_LABELS,
                           document_url=search_service.document_url,
                           hit_url=search_service.hit_url, kind_label=search_service.kind_label)
