"""Column lists, the document page, its print view and attachment downloads."""

from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask.typing import ResponseReturnValue

from opengov.site.catalog.models import Category, Document
from opengov.site.catalog.rules.listing import DocumentFilters, parse_listing
from opengov.site.catalog.rules.metadata import Validity, topic_choices
from opengov.site.catalog.service import editorial
from opengov.site.catalog.service import public as catalog
from opengov.site.catalog.views.attachment_files import send_attachment
from opengov.site.db import get_session
from opengov.site.web.public import ATTACHMENT_ID, DOCUMENT_ID, bp


def _column_or_404(slug: str) -> Category:
    category = catalog.category_by_slug(get_session(), slug)
    if category is None:
        abort(404)
    return category


@bp.get("/columns/<slug>")
def column(slug: str) -> ResponseReturnValue:
    """A column's documents (with its sub-columns), newest first, filtered and paginated.
    Bad filters are shown beside their field with a 400, never a 500."""
    session = get_session()
    category = _column_or_404(slug)
    query = parse_listing(request.args, default_size=current_app.config["PAGE_SIZE"])
    query.errors.pop("column", None)  # the column comes from the path
    filters = DocumentFilters(column=slug, agency=query.filters.agency,
                              year=query.filters.year, topic=query.filters.topic,
                              validity=query.filters.validity)
    result = None
    if not query.errors:
        try:
            result = catalog.list_documents(session, filters, query.page, query.size)
        except catalog.UnknownFilterError as exc:
            query.errors[exc.name] = exc.message
    if result is not None and query.page > result.pages:
        abort(404)
    context = {
        "category": category,
        "path": catalog.column_path(category),
        "filters": filters,
        "page_args": {**{k: v for k, v in filters.as_args().items() if k != "column"},
                      "slug": slug},
        "result": result,
        "errors": query.errors,
        "form": request.args,
        "agencies": catalog.public_agencies(session),
        "years": catalog.publication_years(session),
        "topics": topic_choices(),
        "validities": list(Validity),
    }
    status = 400 if query.errors else 200
    return render_template("public/column.html", **context), status


def _document_or_404(document_id: int) -> Document:
    document = catalog.get_public_document(get_session(), document_id)
    if document is None:
        abort(404)
    return document


def _document_context(document: Document) -> dict[str, object]:
    session = get_session()
    return {
        "document": document,
        "path": catalog.column_path(document.category),
        "interpretations": catalog.public_interpretations(session, document),
        "policies": catalog.public_policies(session, document),
        "versions": editorial.versions(session, document.id),
    }


@bp.get(f"/documents/{DOCUMENT_ID}")
def document(document_id: int) -> str:
    return render_template("public/document.html",
                           **_document_context(_document_or_404(document_id)))


@bp.get(f"/documents/{DOCUMENT_ID}/print")
def document_print(document_id: int) -> str:
    """A plain page for printing: metadata table and body, without navigation."""
    return render_template("public/document_print.html",
                           **_document_context(_document_or_404(document_id)))


@bp.get(f"/documents/{DOCUMENT_ID}/attachments/{ATTACHMENT_ID}")
def attachment(document_id: int, attachment_id: int) -> ResponseReturnValue:
    """Download (条例 Art. 24) of an attachment of a public document."""
    found = catalog.get_public_attachment(get_session(), document_id, attachment_id)
    if found is None:
        abort(404)
    return send_attachment(found, inline=False)
