"""The public 办事指南: the directory, an item's page, its printable checklist, its forms."""

from __future__ import annotations

from flask import current_app, render_template, request, send_file
from flask.typing import ResponseReturnValue

from opengov.site.service_items.rules.guide import ItemType, visits_label
from opengov.site.service_items.rules.listing import ITEM_TYPES, parse_list_query
from opengov.site.service_items.service import public as items
from opengov.site.web.public import bp

ITEM_ID = "<int(max=2147483647):item_id>"
FILE_ID = "<int(max=2147483647):file_id>"


@bp.get("/service-items")
def service_items() -> ResponseReturnValue:
    """By 个人办事 / 法人办事 and their themes, by agency, by type, by words; bad parameters
    are shown beside the filters with a 400."""
    query = parse_list_query(request.args, types=ITEM_TYPES,
                             default_size=current_app.config["PAGE_SIZE"])
    page = items.directory_page(query)
    return render_template("public/service_items/directory.html", page=page,
                           errors=query.errors, item_types=[t.value for t in ItemType],
                           form=request.args, visits_label=visits_label), \
        400 if query.errors else 200


@bp.get(f"/service-items/{ITEM_ID}")
def service_item(item_id: int) -> str:
    return render_template("public/service_items/item.html", page=items.item_page(item_id))


@bp.get(f"/service-items/{ITEM_ID}/print")
def service_item_print(item_id: int) -> str:
    """The one-page checklist to take along: where, when, what to bring."""
    return render_template("public/service_items/print.html", page=items.item_page(item_id))


@bp.get(f"/service-items/{ITEM_ID}/files/{FILE_ID}")
def service_item_file(item_id: int, file_id: int) -> ResponseReturnValue:
    """A blank form or a filled sample, downloaded under its original name."""
    found = items.item_file(item_id, file_id)
    response = send_file(found.path, mimetype=found.content_type, download_name=found.name,
                         as_attachment=True, max_age=3600)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
