"""Column lists, the document page, its print view and attachment downloads."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from opengov.site.catalog.rules.listing import parse_listing
from opengov.site.catalog.rules.metadata import Validity, topic_choices
from opengov.site.catalog.service import public as catalog
from opengov.site.catalog.service.structure import ColumnRetiredError
from opengov.site.catalog.views.attachment_files import send_attachment
from opengov.site.web.public import ATTACHMENT_ID, DOCUMENT_ID, bp


@bp.get("/columns/<slug>")
def column(slug: str) -> ResponseReturnValue:
    """A column's documents (with its sub-columns), newest first, filtered and paginated.
    Bad filters are shown beside their field with a 400, never a 500."""
    query = parse_listing(request.args, default_size=current_app.config["PAGE_SIZE"])
    try:
        page = catalog.column_page(slug, query)
    except ColumnRetiredError as retired:
        if retired.successor_slug is None:
            raise  # 410 Gone, with the way to the 目录 and search
        arguments = request.query_string.decode()
        return redirect(url_for(".column", slug=retired.successor_slug)
                        + (f"?{arguments}" if arguments else ""), 301)
    context = {
        "category": page.category,
        "path": page.path,
        "filters": page.filters,
        "page_args": {**{k: v for k, v in page.filters.as_args().items() if k != "column"},
                      "slug": slug},
        "result": page.result,
        "errors": page.errors,
        "form": request.args,
        "agencies": page.agencies,
        "years": page.years,
        "topics": topic_choices(),
        "validities": list(Validity),
    }
    status = 400 if page.errors else 200
    return render_template("public/column.html", **context), status


def _document_context(document_id: int) -> dict[str, object]:
    view = catalog.document_view(document_id)
    return {"document": view.document, "path": view.path,
            "interpretations": view.interpretations, "policies": view.policies,
            "versions": view.versions}


@bp.get(f"/documents/{DOCUMENT_ID}")
def document(document_id: int) -> str:
    return render_template("public/document.html", **_document_context(document_id))


@bp.get(f"/documents/{DOCUMENT_ID}/print")
def document_print(document_id: int) -> str:
    """A plain page for printing: metadata table and body, without navigation."""
    return render_template("public/document_print.html", **_document_context(document_id))


@bp.get(f"/documents/{DOCUMENT_ID}/attachments/{ATTACHMENT_ID}")
def attachment(document_id: int, attachment_id: int) -> ResponseReturnValue:
    """Download (条例 Art. 24) of an attachment of a public document."""
    return send_attachment(catalog.public_attachment(document_id, attachment_id), inline=False)
