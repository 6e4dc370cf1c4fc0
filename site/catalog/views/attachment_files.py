"""Attachment downloads and the images embedded in document bodies (条例 Art. 24: 下载).

Served only for public documents; signed-in editors and reviewers also get those of
documents not yet public, so that the editor's preview shows embedded images.
"""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, send_file
from flask.typing import ResponseReturnValue
from flask_login import current_user

from opengov.site.accounts.rules.roles import Role
from opengov.site.catalog.models import Attachment
from opengov.site.catalog.service.attachments import stored_path
from opengov.site.db import get_session
from opengov.site.web.public import bp

#: Shown in the browser; everything else is downloaded.
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"}


def _staff_may_see(attachment: Attachment) -> bool:
    """Editors and reviewers of the document's agency (or site-wide staff)."""
    if not current_user.is_authenticated:
        return False
    user = current_user.user
    if not user.has_role(Role.EDITOR, Role.REVIEWER):
        return False
    return bool(user.agency_id is None or Role.ADMIN in user.roles
                or user.agency_id == attachment.document.agency_id)


@bp.get("/attachments/<int(max=2147483647):attachment_id>")
def attachment_file(attachment_id: int) -> ResponseReturnValue:
    """The file as the body embeds it: images and PDFs shown inline."""
    attachment = get_session().get(Attachment, attachment_id)
    if attachment is None or not (attachment.document.is_public or _staff_may_see(attachment)):
        abort(404)
    return send_attachment(attachment, inline=attachment.content_type in INLINE_TYPES)


def send_attachment(attachment: Attachment, *, inline: bool) -> ResponseReturnValue:
    """The stored file under its original (Chinese) name; Werkzeug writes the RFC 5987
    ``filename*=UTF-8''…`` form beside an ASCII fallback. Never sniffed into HTML."""
    path = stored_path(Path(current_app.config["UPLOAD_DIR"]), attachment)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=attachment.content_type or None,
                         download_name=attachment.original_name, as_attachment=not inline,
                         max_age=0 if not attachment.document.is_public else 3600)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    if not attachment.document.is_public:
        response.headers["Cache-Control"] = "no-store"
    return response
