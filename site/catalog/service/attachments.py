"""Attachments: PDF, Office documents and images, checked by content, stored under random names.

The type is read from the file's first bytes (and, for Office Open XML / OpenDocument, from
the ZIP's own parts), and must agree with the extension: a script renamed ``.pdf`` is
refused. The original (Chinese) file name is kept for display and download headers only.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePath

from flask import current_app
from sqlalchemy.orm import Session

from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.audit import service as audit
from opengov.site.audit.service import AuditAction, Origin
from opengov.site.catalog.models import Attachment, Document
from opengov.site.catalog.rules.workflow import EDITABLE
from opengov.site.catalog.service import outbox as search_outbox
from opengov.site.catalog.service.editorial import scoped_document
from opengov.site.db import get_session, unit_of_work
from opengov.site.exceptions import ConflictError, ForbiddenError, InvalidInputError, NotFoundError


class UploadError(InvalidInputError, ValueError):
    """An upload that is refused; the message is for the person."""


@dataclass(frozen=True)
class Kind:
    content_type: str
    label: str
    extensions: frozenset[str]
    is_image: bool = False


PDF = Kind("application/pdf", "PDF", frozenset({".pdf"}))
DOC = Kind("application/msword", "Word 97-2003", frozenset({".doc"}))
XLS = Kind("application/vnd.ms-excel", "Excel 97-2003", frozenset({".xls"}))
PPT = Kind("application/vnd.ms-powerpoint", "PowerPoint 97-2003", frozenset({".ppt"}))
DOCX = Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word",
            frozenset({".docx"}))
XLSX = Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel",
            frozenset({".xlsx"}))
PPTX = Kind("application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "PowerPoint", frozenset({".pptx"}))
ODT = Kind("application/vnd.oasis.opendocument.text", "OpenDocument 文本", frozenset({".odt"}))
ODS = Kind("application/vnd.oasis.opendocument.spreadsheet", "OpenDocument 表格",
           frozenset({".ods"}))
WPS = Kind("application/vnd.ms-works", "WPS 文字", frozenset({".wps", ".et"}))
PNG = Kind("image/png", "PNG 图片", frozenset({".png"}), is_image=True)
JPEG = Kind("image/jpeg", "JPEG 图片", frozenset({".jpg", ".jpeg"}), is_image=True)
GIF = Kind("image/gif", "GIF 图片", frozenset({".gif"}), is_image=True)
WEBP = Kind("image/webp", "WebP 图片", frozenset({".webp"}), is_image=True)

KINDS = (PDF, DOC, XLS, PPT, DOCX, XLSX, PPTX, ODT, ODS, WPS, PNG, JPEG, GIF, WEBP)
ALLOWED_EXTENSIONS = frozenset(ext for kind in KINDS for ext in kind.extensions)

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"


def _sniff_zip(data: bytes) -> Kind | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                return {ODT.content_type: ODT, ODS.content_type: ODS}.get(mimetype)
            if "[Content_Types].xml" not in names:
                return None
            if any(name.startswith("word/") for name in names):
                return DOCX
            if any(name.startswith("xl/") for name in names):
                return XLSX
            if any(name.startswith("ppt/") for name in names):
                return PPTX
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return None
    return None


def sniff(data: bytes, extension: str) -> Kind | None:
    """The kind of file ``data`` is, judged by its content; None when it is not accepted."""
    head = data[:16]
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(_OLE2):
        # The compound-file container is shared by .doc/.xls/.ppt/.wps; the extension
        # chooses among them, the container proves it is not a renamed executable or script.
        for kind in (DOC, XLS, PPT, WPS):
            if extension in kind.extensions:
                return kind
        return None
    if head.startswith(_ZIP):
        return _sniff_zip(data)
    return None


def clean_name(filename: str) -> str:
    """The original name for display: path parts and control characters removed, Chinese
    kept (``secure_filename`` would destroy it)."""
    name = PurePath(filename.replace("\\", "/")).name
    name = "".join(ch for ch in unicodedata.normalize("NFC", name)
                   if unicodedata.category(ch)[0] != "C" and ch not in '"<>|*?:')
    return name.strip(" .")[:200] or "附件"


def check(data: bytes, filename: str, max_bytes: int) -> tuple[Kind, str]:
    """The kind and cleaned name of an upload; :class:`UploadError` when refused."""
    name = clean_name(filename)
    extension = PurePath(name).suffix.lower()
    if len(data) == 0:
        raise UploadError("文件是空的。")
    if len(data) > max_bytes:
        raise UploadError(f"文件超过 {max_bytes // (1024 * 1024)} MB 的上限。")
    if extension not in ALLOWED_EXTENSIONS:
        raise UploadError("只接受 PDF、Office/WPS 文档和图片（PNG、JPEG、GIF、WebP）。")
    kind = sniff(data, extension)
    if kind is None:
        raise UploadError("文件内容不是可接受的类型（按文件内容判断，而不只看扩展名）。")
    if extension not in kind.extensions:
        raise UploadError(f"文件内容是 {kind.label}，与扩展名“{extension}”不符。")
    return kind, name


def store(upload_dir: Path, data: bytes, name: str, content_type: str, *,
          suffix: str) -> Attachment:
    """Write ``data`` under a new random name (never overwriting) and return its row, not yet
    attached to a document. The file is written before the row exists, so a failed commit
    leaves at most an orphan file, never a row without a file."""
    stored = secrets.token_hex(16) + suffix
    upload_dir.mkdir(parents=True, exist_ok=True)
    with (upload_dir / stored).open("xb") as handle:
        handle.write(data)
    return Attachment(original_name=name[:255], stored_name=stored, content_type=content_type,
                      size=len(data), sha256=hashlib.sha256(data).hexdigest())


def save(session: Session, document: Document, data: bytes, filename: str, *,
         upload_dir: Path, max_bytes: int, actor: User, origin: Origin) -> Attachment:
    """Check and store an upload for ``document``; the file is written before the row so a
    failed commit leaves at most an orphan file, never a row without a file."""
    kind, name = check(data, filename, max_bytes)
    attachment = store(upload_dir, data, name, kind.content_type,
                       suffix=sorted(kind.extensions)[0])
    attachment.document = document
    session.add(attachment)
    session.flush()
    search_outbox.enqueue(session, document.id)
    audit.record(session, AuditAction.UPLOAD, actor=actor, origin=origin,
                 object_type="attachment", object_id=attachment.id,
                 detail=f"文件 #{document.id}：{name}（{len(data)} 字节）")
    return attachment


def upload_dir() -> Path:
    """The folder of the site's stored attachments (setting ``UPLOAD_DIR``)."""
    return Path(current_app.config["UPLOAD_DIR"])


def stored_path(folder: Path, attachment: Attachment) -> Path:
    """Where the bytes of ``attachment`` are in ``folder``; never outside it."""
    path = (folder / attachment.stored_name).resolve()
    if path.parent != folder.resolve():
        raise UploadError("附件路径无效")
    return path


def remove(session: Session, attachment: Attachment, *, upload_dir: Path, actor: User,
           origin: Origin) -> None:
    document_id = attachment.document_id
    path = stored_path(upload_dir, attachment)
    session.delete(attachment)
    search_outbox.enqueue(session, document_id)
    audit.record(session, AuditAction.EDIT, actor=actor, origin=origin,
                 object_type="attachment", object_id=attachment.id,
                 detail=f"删除文件 #{document_id} 的附件：{attachment.original_name}")
    session.flush()
    path.unlink(missing_ok=True)


def markdown_reference(attachment: Attachment, url: str) -> str:
    """What to paste into the body: an image embed or a link."""
    if attachment.content_type.startswith("image/"):
        return f"![{attachment.original_name}]({url})"
    return f"[{attachment.original_name}]({url})"


# --- entry functions: a draft's attachments in the back office --------------------------

class NotADraftError(ConflictError):
    """Attachments change with the text they belong to: only while the document is a draft."""

    def __init__(self, document_id: int) -> None:
        super().__init__("只有草稿可以增删附件。")
        self.document_id = document_id


@dataclass(frozen=True)
class AttachmentsPage:
    """A document's attachments as its editor sees them."""

    document: Document
    attachments: list[Attachment]
    editable: bool
    max_mb: int


def _max_mb() -> int:
    value: int = current_app.config["MAX_UPLOAD_MB"]
    return value


def _editor_document(session: Session, actor: User, document_id: int) -> Document:
    """The document, if ``actor`` may edit for its agency (else :class:`NotFoundError`)."""
    if not actor.has_role(Role.EDITOR):
        raise ForbiddenError("您没有撰稿的权限。")
    return scoped_document(session, actor, document_id)


def attachments_page(actor: User, document_id: int) -> AttachmentsPage:
    """The attachments of a document of ``actor``'s agency."""
    document = _editor_document(get_session(), actor, document_id)
    return AttachmentsPage(document, list(document.attachments),
                           document.status in EDITABLE, _max_mb())


def upload_attachment(actor: User, document_id: int, data: bytes, filename: str, *,
                      origin: Origin) -> Attachment:
    """Check and attach an upload to a draft; :class:`UploadError` when the file is refused,
    :class:`NotADraftError` when the document is no longer a draft."""
    with unit_of_work() as session:
        document = _editor_document(session, actor, document_id)
        if document.status not in EDITABLE:
            raise NotADraftError(document.id)
        return save(session, document, data, filename, upload_dir=upload_dir(),
                    max_bytes=_max_mb() * 1024 * 1024, actor=actor, origin=origin)


def remove_attachment(actor: User, attachment_id: int, *, origin: Origin) -> int:
    """Delete an attachment of a draft and its file; returns its document's id."""
    with unit_of_work() as session:
        attachment = session.get(Attachment, attachment_id) if 0 < attachment_id < 2**31 \
            else None
        if attachment is None:
            raise NotFoundError("没有这个附件。")
        document = _editor_document(session, actor, attachment.document_id)
        if document.status not in EDITABLE:
            raise NotADraftError(document.id)
        remove(session, attachment, upload_dir=upload_dir(), actor=actor, origin=origin)
        return document.id
