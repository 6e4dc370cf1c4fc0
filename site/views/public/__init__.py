"""Public pages: read-only catalog pages, search, the request form and request status.

Route modules register on ``bp``; each audience's modules are imported at the bottom.
"""

from flask import Blueprint

bp = Blueprint("public", __name__)

#: URL parts for database ids. Beyond a 32-bit INTEGER the database would raise (a 500);
#: with ``max`` such URLs are simply 404.
DOCUMENT_ID = "<int(max=2147483647):document_id>"
ATTACHMENT_ID = "<int(max=2147483647):attachment_id>"

from opengov.site.views.public import (  # noqa: E402, F401
    attachment_files,
    display,
    documents,
    feeds,
    fiscal,
    pages,
    requests,
    search,
    statistics,
)
