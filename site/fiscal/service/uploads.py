"""Uploads waiting for the staff member's confirmation after the preview.

The file and the form values are kept in the instance folder under a random token, bound to
the person who uploaded them; confirming parses the very same bytes that were previewed.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


@dataclass
class PendingUpload:
    user_id: int
    agency_id: int
    year: int
    stage: str
    approved_on: str
    published_on: str
    narrative: str
    filename: str
    table_number: int | None = None


def _paths(folder: Path, token: str) -> tuple[Path, Path]:
    return folder / f"{token}.json", folder / f"{token}.bin"


def save_pending(folder: Path, pending: PendingUpload, content: bytes) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(24)
    meta, data = _paths(folder, token)
    data.write_bytes(content)
    meta.write_text(json.dumps(asdict(pending), ensure_ascii=False), encoding="utf-8")
    return token


def load_pending(folder: Path, token: str, user_id: int) -> tuple[PendingUpload, bytes] | None:
    """The upload of ``token`` if it exists and belongs to ``user_id``."""
    if not _TOKEN.match(token):
        return None
    meta, data = _paths(folder, token)
    if not meta.is_file() or not data.is_file():
        return None
    pending = PendingUpload(**json.loads(meta.read_text(encoding="utf-8")))
    if pending.user_id != user_id:
        return None
    return pending, data.read_bytes()


def discard_pending(folder: Path, token: str) -> None:
    if _TOKEN.match(token):
        for path in _paths(folder, token):
            path.unlink(missing_ok=True)
