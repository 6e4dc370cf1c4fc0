"""Pages of the catalog: public lists and documents, feeds, the editor, the API."""

from __future__ import annotations

from opengov.site.catalog.views import (
    api,
    attachment_files,
    documents,
    editor,
    feeds,
    guides,
    pages,
    portal,
    staff_attachments,
    structure,
)

__all__ = ["api", "attachment_files", "documents", "editor", "feeds", "guides", "pages",
           "portal", "staff_attachments", "structure"]

