"""The information in the applicant's hands: released files attached to a reply, redacted for
real where part is withheld (Art. 37), downloaded from the status page with the query code or
sent by e-mail when the applicant chose it (Art. 29(三)); every time a file leaves the site is
logged.

Only the released bytes are stored (``UPLOAD_DIR/released``, random names); the unredacted
original the handler uploads is never written to disk.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.accounts.models import User
from opengov.site.audit import service as audit
from opengov.site.audit.service import AuditAction, Origin
from opengov.site.catalog.service import attachments as files
from opengov.site.db import get_session, unit_of_work
from opengov.site.exceptions import ConflictError, InvalidInputError, NotFoundError
from opengov.site.requests.models import InfoRequest, ReleasedFile, ReleaseDownload
from opengov.site.requests.rules.clock import Stage

#: Stages in which released files may still be attached or removed: until the reply is
#: signed off, after which the letter lists them and they are what was released.
ATTACHABLE_STAGES = frozenset({Stage.REGISTERED.value, Stage.CONSULTING.value,
                               Stage.AWAITING_FEE.value, Stage.DECIDED.value})
#: Stages in which the applicant may download them: once the reply went out.
RELEASED_STAGES = frozenset({Stage.REPLIED.value, Stage.ARCHIVED.value})
NO_SUCH_REQUEST = "没有这个申请"


@dataclass(frozen=True)
class Area:
    """A box to redact as a person measures it: on page ``page`` (from 1), ``left``/``top``
    from the page's top-left corner, in millimetres (PDF) or pixels (images)."""

    page: int
    left: float
    top: float
    width: float
    height: float


@dataclass(frozen=True)
class RedactionRequest:
    """What to remove from a file before release."""

    terms: Sequence[str] = ()
    id_numbers: bool = False
    mobile_numbers: bool = False
    areas: Sequence[Area] = ()

    @property
    def wanted(self) -> bool:
        return bool([t for t in self.terms if t.strip()] or self.id_numbers
                    or self.mobile_numbers or self.areas)


@dataclass
class Attached:
    released: ReleasedFile
    #: Terms asked for but not found in the file's text (a scan has no text).
    not_found: list[str] = field(default_factory=list)


def released_dir() -> Path:
    return Path(current_app.config["UPLOAD_DIR"]) / "released"


def _max_bytes() -> int:
    return int(current_app.config["REQUEST_RELEASE_MAX_MB"]) * 1024 * 1024


def _redact(data: bytes, kind: files.Kind, wanted: RedactionRequest) -> tuple[bytes, str,
                                                                             list[str]]:
    """The released bytes, a summary of the redaction, and the terms not found."""
    # Loaded on first use: fpdf, openpyxl and pypdf (≈80 MB) stay out of the web workers
    # that never build a file (tests/architecture/test_worker_memory.py).
    from opengov.site.redaction import (
        ID_NUMBER,
        MOBILE_NUMBER,
        Box,
        RedactionError,
        find_boxes,
        page_sizes,
        redact_image,
        redact_pdf,
    )

    if not wanted.wanted:
        return data, "", []
    terms = [term.strip() for term in wanted.terms if term.strip()]
    if kind is files.PDF:
        try:
            sizes = page_sizes(data)
            patterns = [pattern for pattern, on in ((ID_NUMBER, wanted.id_numbers),
                                                    (MOBILE_NUMBER, wanted.mobile_numbers)) if on]
            boxes = find_boxes(data, terms, patterns)
            not_found = [term for term in terms if not find_boxes(data, [term])]
            for area in wanted.areas:
                if not 1 <= area.page <= len(sizes):
                    raise InvalidInputError(f"遮盖区域的页码 {area.page} 超出了文件的页数（{len(sizes)}页）。")
                boxes.append(Box.from_millimetres(area.page - 1, area.left, area.top, area.width,
                                                  area.height, sizes[area.page - 1]))
            if not boxes:
                return data, "", not_found
            result = redact_pdf(data, boxes)
        except RedactionError as exc:
            raise InvalidInputError(str(exc)) from exc
        pages = sorted({box.page + 1 for box in boxes})
        summary = (f"遮盖{len(boxes)}处（第{'、'.join(str(p) for p in pages)}页），"
                   f"删除文字{result.glyphs_removed}个"
                   + (f"，涂盖图片{result.images_changed}幅" if result.images_changed else ""))
        return result.content, summary, not_found
    if kind.is_image and kind in (files.PNG, files.JPEG):
        if terms or wanted.id_numbers or wanted.mobile_numbers:
            raise InvalidInputError("图片中的文字无法按文字查找遮盖：请用遮盖区域（按像素）标出。")
        try:
            content = redact_image(data, [(a.left, a.top, a.width, a.height)
                                          for a in wanted.areas])
        except RedactionError as exc:
            raise InvalidInputError(str(exc)) from exc
        return content, f"遮盖{len(wanted.areas)}处（图片像素已涂黑）", []
    raise InvalidInputError(f"{kind.label} 文件无法可靠遮盖：请转换为 PDF（或 PNG、JPEG 图片）"
                            "后再上传并遮盖。")


def _case(session: Session, actor: User, number: str) -> InfoRequest:
    query = session.query(InfoRequest).filter(InfoRequest.number == number)
    if actor.agency_id is not None:
        query = query.filter(InfoRequest.agency_id == actor.agency_id)
    found = query.one_or_none()
    if found is None:
        raise NotFoundError(NO_SUCH_REQUEST)
    return found


def attach_release(actor: User, number: str, data: bytes, filename: str,
                   wanted: RedactionRequest, *, origin: Origin) -> Attached:
    """Attach a released file to request ``number``, redacted as ``wanted``; refused once
    the reply is signed off (:class:`ConflictError`) or when the file cannot be redacted
    reliably (:class:`InvalidInputError`)."""
    kind, name = files.check(data, filename, _max_bytes())
    content, summary, not_found = _redact(data, kind, wanted)
    with unit_of_work() as session:
        found = _case(session, actor, number)
        if found.stage not in ATTACHABLE_STAGES:
            raise ConflictError("答复书签发后不能再更改提供的文件。")
        folder = released_dir()
        folder.mkdir(parents=True, exist_ok=True)
        stored = secrets.token_hex(16) + sorted(kind.extensions)[0]
        with (folder / stored).open("xb") as handle:
            handle.write(content)
        released = ReleasedFile(request=found, filename=name, stored_name=stored,
                                content_type=kind.content_type, size=len(content),
                                sha256=hashlib.sha256(content).hexdigest(), redaction=summary,
                                attached_by_id=actor.id)
        session.add(released)
        session.flush()
        audit.record(session, AuditAction.UPLOAD, actor=actor, origin=origin,
                     object_type="released_file", object_id=released.id,
                     detail=f"申请 {found.number}：提供文件 {name}"
                            + (f"（{summary}）" if summary else ""))
        return Attached(released, not_found)


def remove_release(actor: User, number: str, file_id: int, *, origin: Origin) -> None:
    """Take a released file off the reply before it is signed off."""
    with unit_of_work() as session:
        found = _case(session, actor, number)
        released = next((item for item in found.released_files if item.id == file_id), None)
        if released is None:
            raise NotFoundError("没有这个文件")
        if found.stage not in ATTACHABLE_STAGES:
            raise ConflictError("答复书签发后不能再更改提供的文件。")
        path = _path(released)
        found.released_files.remove(released)
        audit.record(session, AuditAction.EDIT, actor=actor, origin=origin,
                     object_type="released_file", object_id=file_id,
                     detail=f"申请 {found.number}：撤下提供文件 {released.filename}")
    path.unlink(missing_ok=True)


def _path(released: ReleasedFile) -> Path:
    folder = released_dir().resolve()
    path = (folder / released.stored_name).resolve()
    if path.parent != folder or not re.fullmatch(r"[0-9a-f]{32}\.[a-z]+", released.stored_name):
        raise NotFoundError("没有这个文件")
    return path


@dataclass(frozen=True)
class ReleasedContent:
    filename: str
    content_type: str
    content: bytes


def _log(session: Session, released: ReleasedFile, channel: str,
         user: User | None = None) -> None:
    session.add(ReleaseDownload(released_file=released, channel=channel, at=clock.utcnow(),
                                user_id=user.id if user else None))


def applicant_download(file_id: int, granted: Collection[int]) -> ReleasedContent:
    """A released file of a request this browser opened with its query code, once the reply
    went out; the download is logged (hence a POST)."""
    with unit_of_work() as session:
        released = session.get(ReleasedFile, file_id) if 0 < file_id < 2**31 else None
        if (released is None or released.request_id not in granted
                or released.request.stage not in RELEASED_STAGES):
            raise NotFoundError("没有这个文件")
        content = _path(released).read_bytes()
        _log(session, released, "applicant")
        return ReleasedContent(released.filename, released.content_type, content)


def staff_download(actor: User, file_id: int) -> ReleasedContent:
    """A released file of a request in the actor's scope (to check the redaction); logged."""
    with unit_of_work() as session:
        released = session.get(ReleasedFile, file_id) if 0 < file_id < 2**31 else None
        if released is None or actor.agency_id not in (None, released.request.agency_id):
            raise NotFoundError("没有这个文件")
        content = _path(released).read_bytes()
        _log(session, released, "staff", actor)
        return ReleasedContent(released.filename, released.content_type, content)


def read_released(released: ReleasedFile) -> bytes:
    """The released bytes of ``released`` (for another service, e.g. Art. 44 drafts)."""
    return _path(released).read_bytes()


def files_for_mail(request: InfoRequest) -> list[ReleasedContent]:
    """The released files of ``request`` for an e-mail (read from disk, logged separately)."""
    return [ReleasedContent(item.filename, item.content_type, _path(item).read_bytes())
            for item in request.released_files]


def log_mailed(request_id: int) -> None:
    """Record that the released files of a request were sent by e-mail."""
    with unit_of_work() as session:
        found = session.get(InfoRequest, request_id)
        if found is None:
            return
        for released in found.released_files:
            _log(session, released, "email")


def download_counts(request: InfoRequest) -> dict[int, int]:
    """Per released file, how often it left the site (for the staff page)."""
    return {item.id: len(item.downloads) for item in request.released_files}


def released_files(request_id: int) -> list[ReleasedFile]:
    found = get_session().get(InfoRequest, request_id)
    return list(found.released_files) if found else []
