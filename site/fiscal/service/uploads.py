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
from typing import Any, TypeVar

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

T = TypeVar("T")


class PendingStore:
    """Uploads waiting for their preview to be confirmed: a JSON description and the files,
    under a random token in ``folder``, readable only by the person who uploaded them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _meta(self, token: str) -> Path:
        return self.folder / f"{token}.json"

    def _file(self, token: str, name: str) -> Path:
        return self.folder / f"{token}.{name}.bin"

    def save(self, pending: Any, files: dict[str, bytes]) -> str:
        """Keep ``pending`` (a dataclass with ``user_id``) and its files; returns the token."""
        self.folder.mkdir(parents=True, exist_ok=True)
        token = secrets.token_urlsafe(24)
        for name, content in files.items():
            self._file(token, name).write_bytes(content)
        # The description last: a token without it does not exist.
        self._meta(token).write_text(json.dumps({"pending": asdict(pending),
                                                 "files": sorted(files)}, ensure_ascii=False),
                                     encoding="utf-8")
        return token

    def load(self, token: str, user_id: int,
             kind: type[T]) -> tuple[T, dict[str, bytes]] | None:
        """The upload of ``token`` if it exists, is a ``kind`` and belongs to ``user_id``."""
        if not _TOKEN.match(token) or not self._meta(token).is_file():
            return None
        stored = json.loads(self._meta(token).read_text(encoding="utf-8"))
        try:
            pending = kind(**stored["pending"])
        except TypeError:
            return None  # another kind of upload
        if getattr(pending, "user_id", None) != user_id:
            return None
        files = {}
        for name in stored["files"]:
            path = self._file(token, name)
            if not path.is_file():
                return None
            files[name] = path.read_bytes()
        return pending, files

    def discard(self, token: str) -> None:
        if not _TOKEN.match(token):
            return
        for path in self.folder.glob(f"{token}.*"):
            path.unlink(missing_ok=True)


def pending_store() -> PendingStore:
    return PendingStore(Path(current_app.instance_path) / "fiscal-imports")


# --- the staff pages (entry functions) ------------------------------------------------------


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
    return pending_store().save(pending, {"data": content})


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
    loaded = pending_store().load(token, actor.id, PendingUpload)
    if loaded is None:
        raise NotFoundError("没有这份待确认的上传（可能已确认或已放弃）")
    pending, files = loaded
    content = files["data"]
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
    pending_store().discard(token)
    return preview
