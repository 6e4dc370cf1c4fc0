"""The search page: a GET form, facets, results with snippets, suggestions."""

from __future__ import annotations

from typing import Any

from flask import render_template, request, url_for
from markupsafe import Markup

from opengov.site.search.service import search as search_service
from opengov.site.search.views.api import MAX_SEARCH_PAGE
from opengov.site.web.params import choice_arg, int_arg, text_arg
from opengov.site.web.public import bp

SORT_LABELS = {"relevance": "按相关度", "date": "按发布日期"}


@bp.get("/search")
def search() -> str:
    # The query's own rules (length, syntax) are the search's, shown beside the field.
    raw = request.args.get("q", "")
    shown = search_service.search_page(
        raw, asked=bool(raw.strip()) or "q" in request.args,
        filters={name: value for name in search_service.FACETS
                 if (value := text_arg(name, longest=100))},
        sort=choice_arg("sort", SORT_LABELS, "relevance", label="排序"),
        page=int_arg("page", 1, low=1, high=MAX_SEARCH_PAGE, label="页码"))
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
