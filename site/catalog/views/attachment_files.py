"""Attachment downloads and the images embedded in document bodies (条例 Art. 24: 下载).

Served only for public documents; signed-in editors and reviewers also get those of
documents not yet public, so that the editor's preview shows embedded images.
"""

from __future__ import annotations

from flask import send_file
from flask.typing import ResponseReturnValue
from flask_login import current_user

from opengov.site.catalog.service import public as catalog
from opengov.site.web.public import ATTACHMENT_ID, bp

#: Shown in the browser; everything else is downloaded.
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"}


@bp.get(f"/attachments/{ATTACHMENT_ID}")
def attachment_file(attachment_id: int) -> ResponseReturnValue:
    """The file as the body embeds it: images and PDFs shown inline."""
    viewer = current_user.user if current_user.is_authenticated else None
    found = catalog.embedded_attachment(attachment_id, viewer)
    return send_attachment(found, inline=found.content_type in INLINE_TYPES)


def send_attachment(found: catalog.AttachmentFile, *, inline: bool) -> ResponseReturnValue:
    """The stored file under its original (Chinese) name; Werkzeug writes the RFC 5987
    ``filename*=UTF-8''…`` form beside an ASCII fallback. Never sniffed into HTML."""
    response = send_file(found.path, mimetype=found.content_type or None,
                         download_name=found.name, as_attachment=not inline,
                         max_age=3600 if found.public else 0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    if not found.public:
        response.headers["Cache-Control"] = "no-store"
    return response
