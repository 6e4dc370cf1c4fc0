"""The staff upload of a department's 预决算: upload, preview, confirm.

The file and the form values wait in the instance folder under a random token, bound to the
person who uploaded them; confirming parses the very same bytes that were previewed, and
saves the disclosure, its catalog document and the original file in one unit of work.

An editor of a department uploads for that department only; administrators and site-wide
staff for any agency.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.agencies import service as agencies
from opengov.site.agencies.models import Agency
from opengov.site.catalog.service.attachments import clean_name
from opengov.site.db import get_session, unit_of_work
from opengov.site.exceptions import ForbiddenError, NotFoundError
from opengov.site.fiscal.models import FiscalDisclosure
from opengov.site.fiscal.rules.disclosures import DisclosureData, Stage, publication_warnings
from opengov.site.fiscal.service.disclosures import preview_tables, save_uploaded
from opengov.site.fiscal.service.importing import ImportResult, read_disclosure
from opengov.site.fiscal.service.tables import TableData

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


# --- uploads waiting for confirmation (files in a folder) ---------------------------------


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


# --- the staff pages (entry functions) ------------------------------------------------------


def _pending_folder() -> Path:
    return Path(current_app.instance_path) / "fiscal-imports"


def upload_agencies(actor: User) -> list[Agency]:
    """The agencies ``actor`` may upload for."""
    return agencies.agencies_in_scope(None if actor.has_role(Role.ADMIN) else actor.agency_id)


def staff_disclosures(actor: User) -> list[FiscalDisclosure]:
    """The saved disclosures of the agencies ``actor`` uploads for, newest year first."""
    allowed = [agency.id for agency in upload_agencies(actor)]
    return list(get_session().scalars(
        select(FiscalDisclosure).where(FiscalDisclosure.agency_id.in_(allowed))
        .order_by(FiscalDisclosure.year.desc(), FiscalDisclosure.agency_id)))


def start_upload(*, actor: User, agency_id: int, year: int, stage: Stage, approved_on: dt.date,
                 published_on: dt.date, narrative: str, table_number: int | None,
                 filename: str, content: bytes) -> str:
    """Keep an upload for its preview; returns the token of the preview page. Nothing is
    read or saved yet: the preview shows the problems first."""
    if agency_id not in {agency.id for agency in upload_agencies(actor)}:
        raise ForbiddenError("只能上传本部门的预决算")
    pending = PendingUpload(
        user_id=actor.id, agency_id=agency_id, year=year, stage=stage.value,
        approved_on=approved_on.isoformat(), published_on=published_on.isoformat(),
        narrative=narrative, filename=clean_name(filename), table_number=table_number)
    return save_pending(_pending_folder(), pending, content)


@dataclass
class UploadPreview:
    """An upload read and checked, as the preview page shows it."""

    token: str
    pending: PendingUpload
    agency: Agency
    result: ImportResult
    #: The tables as the public page will show them (none while there are problems).
    tables: list[TableData]
    warnings: list[str]
    #: The disclosure, once confirmed and saved.
    saved: FiscalDisclosure | None = None


def _read_upload(token: str, actor: User) -> tuple[UploadPreview, bytes]:
    loaded = load_pending(_pending_folder(), token, actor.id)
    if loaded is None:
        raise NotFoundError("没有这份待确认的上传（可能已确认或已放弃）")
    pending, content = loaded
    if pending.agency_id not in {agency.id for agency in upload_agencies(actor)}:
        raise ForbiddenError("只能上传本部门的预决算")
    agency = agencies.get_agency(pending.agency_id)
    base = DisclosureData(year=pending.year, stage=Stage(pending.stage),
                          approved_on=dt.date.fromisoformat(pending.approved_on),
                          published_on=dt.date.fromisoformat(pending.published_on),
                          narrative=pending.narrative)
    result = read_disclosure(pending.filename, content, base, pending.table_number)
    tables = preview_tables(agency, result.data) if not result.problems else []
    preview = UploadPreview(token, pending, agency, result, tables,
                            publication_warnings(result.data))
    return preview, content


def upload_preview(token: str, *, actor: User) -> UploadPreview:
    """The upload of ``token`` read and checked; :class:`NotFoundError` when it is not
    ``actor``'s (or no longer waiting)."""
    preview, _ = _read_upload(token, actor)
    return preview


def confirm_upload(token: str, *, actor: User) -> UploadPreview:
    """Save and publish a previewed upload with its original file, then forget the upload.
    An upload with problems is not saved: the preview comes back with ``saved`` None."""
    preview, content = _read_upload(token, actor)
    if preview.result.problems:
        return preview
    with unit_of_work() as session:
        preview.saved = save_uploaded(session, preview.agency, preview.result.data,
                                      upload_dir=Path(current_app.config["UPLOAD_DIR"]),
                                      filename=preview.pending.filename, content=content)
    # Only once the disclosure is committed: a failed save leaves the upload to retry.
    discard_pending(_pending_folder(), token)
    return preview
