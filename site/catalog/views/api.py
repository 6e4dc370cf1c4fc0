"""Public catalog as JSON: documents with filters and pagination, one document, the column tree.

Exactly what the public pages show (same service, same definition of public); bad
parameters answer 400 with a Chinese message per parameter.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, request, url_for
from flask.typing import ResponseReturnValue

from opengov.site.catalog.rules.listing import MAX_PAGE_SIZE, parse_listing
from opengov.site.catalog.service import public as catalog
from opengov.site.rendering import render_markdown
from opengov.site.web.api import bp, page_links, with_page_links
from opengov.site.web.errors import problem
from opengov.site.web.params import text_arg
from opengov.site.web.public import DOCUMENT_ID


def _date(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def document_summary(document: Any) -> dict[str, Any]:
    """The catalog metadata of a document (rules.md §3.5 identifiers) and its URLs."""
    return {
        "id": document.id,
        "index_no": document.index_no,
        "title": document.title,
        "summary": document.summary,
        "issuer": document.issuer,
        "doc_number": document.doc_number,
        "genre": document.genre,
        "topic": document.topic,
        "keywords": document.keyword_list,
        "validity": document.validity.value,
        "date_written": _date(document.date_written),
        "published_on": _date(document.published_on),
        "effective_on": _date(document.effective_on),
        "repealed_on": _date(document.repealed_on),
        "source": document.source,
        "agency": {"code": document.agency.code, "name": document.agency.name},
        "column": {"slug": document.category.slug, "name": document.category.name},
        "url": url_for("public.document", document_id=document.id, _external=True),
        "api_url": url_for("api.document", document_id=document.id, _external=True),
    }


def _attachment(document: Any, attachment: Any) -> dict[str, Any]:
    return {
        "name": attachment.original_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "url": url_for("public.attachment", document_id=document.id,
                       attachment_id=attachment.id, _external=True),
    }


def _link(document: Any) -> dict[str, Any]:
    return {"id": document.id, "title": document.title, "doc_number": document.doc_number,
            "url": url_for("public.document", document_id=document.id, _external=True),
            "api_url": url_for("api.document", document_id=document.id, _external=True)}


def _bad_request(errors: dict[str, str]) -> ResponseReturnValue:
    return problem(400, "；".join(errors.values()), invalid_params=errors)


@bp.get("/documents")
def documents() -> ResponseReturnValue:
    """``?column=&agency=&year=&topic=&validity=&page=&size=`` (size at most 100)."""
    query = parse_listing(request.args, default_size=current_app.config["PAGE_SIZE"],
                          allow_size=True)
    if query.errors:
        return _bad_request(query.errors)
    try:
        result = catalog.document_listing(query)
    except catalog.UnknownFilterError as exc:
        return _bad_request({exc.name: exc.message})
    links = page_links("api.documents", result.page, result.pages,
                       size=request.args.get("size"), **query.filters.as_args())
    return with_page_links(jsonify({
        "total": result.total,
        "page": result.page,
        "size": result.size,
        "pages": result.pages,
        "max_size": MAX_PAGE_SIZE,
        "filters": query.filters.as_args(),
        "links": links,
        "results": [document_summary(document) for document in result.items],
    }), links)


@bp.get(f"/documents/{DOCUMENT_ID}")
def document(document_id: int) -> ResponseReturnValue:
    view = catalog.document_view(document_id)
    found = view.document
    data = document_summary(found)
    data.update({
        "body_markdown": found.body,
        "body_html": str(render_markdown(found.body)),
        "attachments": [_attachment(found, attachment) for attachment in found.attachments],
        "interpretations": [_link(d) for d in view.interpretations],
        "policies": [_link(d) for d in view.policies],
    })
    return jsonify(data)


def _node(node: catalog.ColumnNode, agency: Any) -> dict[str, Any]:
    return {
        "slug": node.category.slug,
        "name": node.category.name,
        "description": node.category.description,
        "count": node.total,
        "own_count": node.own,
        "url": url_for("public.column", slug=node.category.slug, _external=True,
                       **({"agency": agency.code} if agency else {})),
        "children": [_node(child, agency) for child in node.children],
    }


@bp.get("/categories")
def categories() -> ResponseReturnValue:
    """The column tree with counts of public documents, of all agencies or ``?agency=``."""
    code = text_arg("agency", longest=40, label="发布机构")
    try:
        agency, tree = catalog.column_tree_of(code or None)
    except catalog.UnknownFilterError as exc:
        return _bad_request({exc.name: exc.message})
    return jsonify({
        "agency": {"code": agency.code, "name": agency.name} if agency else None,
        "categories": [_node(node, agency) for node in tree],
    })
