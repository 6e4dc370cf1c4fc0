"""Blank forms (空白表格) and filled samples (示例样表) offered with an item's materials.

Uploads are checked by content as document attachments are (the catalog's rules: PDF,
Office/WPS, images) and stored in the same upload folder under random names. A file is never
changed or deleted while a version of a guide may name it: a new upload is a new file.
"""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from flask import current_app
from sqlalchemy.orm import Session

from opengov.site.accounts.models import User
from opengov.site.audit.service import AuditAction, Origin
from opengov.site.catalog.service.attachments import check, upload_dir
from opengov.site.exceptions import InvalidInputError
from opengov.site.service_items.models import ServiceItem, ServiceItemFile
from opengov.site.service_items.service.revisions import record_audit


def stored_file_path(found: ServiceItemFile) -> Path:
    """Where the bytes of ``found`` are; never outside the upload folder."""
    folder = upload_dir().resolve()
    path = (folder / found.stored_name).resolve()
    if path.parent != folder:
        raise InvalidInputError("文件路径无效。")
    return path


def save_file(session: Session, item: ServiceItem, data: bytes, filename: str, *,
              actor: User | None, origin: Origin) -> ServiceItemFile:
    """Check and store an upload for ``item``; the bytes are written before the row, so a
    failed commit leaves at most an orphan file, never a row without its file."""
    max_bytes = int(current_app.config["MAX_UPLOAD_MB"]) * 1024 * 1024
    kind, name = check(data, filename, max_bytes)
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stored = secrets.token_hex(16) + sorted(kind.extensions)[0]
    with (folder / stored).open("xb") as handle:
        handle.write(data)
    found = ServiceItemFile(item_id=item.id, original_name=name[:255], stored_name=stored,
                            content_type=kind.content_type, size=len(data),
                            sha256=hashlib.sha256(data).hexdigest(),
                            uploaded_by_id=actor.id if actor else None)
    session.add(found)
    session.flush()
    record_audit(session, AuditAction.UPLOAD, actor=actor, origin=origin,
                 object_type="service_item_file", object_id=found.id,
                 detail=f"事项 {item.code}：{name}（{len(data)} 字节）")
    return found
