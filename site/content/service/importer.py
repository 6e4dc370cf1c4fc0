"""``opengov import-content DIR``: ``DIR/agencies.yaml``, ``DIR/columns.yaml`` (column
descriptions, optional) and ``DIR/documents/*.md`` into the database, idempotently.

- Agencies are upserted by ``code``, documents by ``content_key`` (the file name): a re-import
  updates, never duplicates, and an unchanged file changes nothing.
- A 索引号 in a file is registered with the agency's counter; a file without one gets the
  next 索引号 of its agency and year. Once issued, a document's 索引号 never changes: a file
  that carries a different one is an error.
- Exact and near duplicates (``domain.duplicates``) of another file of the batch or of a
  document already in the database are reported and not imported. Within the batch the copy
  kept is the one already imported, else the one with a 索引号, else the longer text. A
  file with a 索引号 is not held back as a copy of another file (exports carry every
  索引号, and two published documents may share a text), and a file of a document already
  imported is an update, not checked against the database.
- Interpretations are linked to the policies they name, both ways.
- Attachments (``attachments/<key>/…`` beside ``documents/``) are checked by content and
  stored in the upload folder under random names with their original names; a document's
  attachments are replaced only when the list (bytes, names, types) changed. Links in the
  body to ``../attachments/…`` files become links to the stored attachments.
- Every created or changed document is promised to the search index (``search_outbox``),
  gets a version in its revision history and an audit entry (under the command line).
- A document changed in the back office since its last import (:mod:`.provenance`) is never
  changed by an import: when its file differs too, it is reported as a conflict and left as
  staff left it (``--overwrite KEY`` takes the file's version, recording that it did).

All or nothing: every file is read and checked first, all problems are reported together, and
the writes happen in the caller's single transaction, which the caller commits only when the
import succeeded. Content files are one versioned set (interpretations name policies, 索引号
serials are shared), so importing part of a broken set would publish dangling links and
consume serials for files that are then fixed differently.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import String, select
from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.agencies.models import Agency
from opengov.site.audit import service as audit
from opengov.site.audit.service import COMMAND_LINE, COMMAND_LINE_USERNAME, AuditAction
from opengov.site.catalog.models import Attachment, Category, Document
from opengov.site.catalog.rules.metadata import (
    INTERPRETATION_CATEGORY,
    INTERPRETATION_GENRE,
    PublicationStatus,
)
from opengov.site.catalog.service import editorial
from opengov.site.catalog.service import outbox as search_outbox
from opengov.site.catalog.service.attachments import sniff, upload_dir
from opengov.site.catalog.service.attachments import store as store_attachment
from opengov.site.catalog.service.columns import issue_index_no, register_index_no
from opengov.site.catalog.service.editorial import publication_instant
from opengov.site.content.rules import (
    NEAR_DUPLICATE_THRESHOLD,
    Fingerprint,
    is_duplicate,
    similarity,
)
from opengov.site.content.service import provenance
from opengov.site.content.service.files import (
    KEYWORD_SEPARATOR,
    ContentAgency,
    ContentAttachment,
    ContentDocument,
    ContentFileError,
    agency_codes,
    parse_columns,
    read_agencies,
    read_document,
)
from opengov.site.db import unit_of_work

AGENCIES_FILE = "agencies.yaml"
COLUMNS_FILE = "columns.yaml"
DOCUMENTS_DIR = "documents"


class ContentImportError(Exception):
    """The content set cannot be imported; ``problems`` lists every one, nothing was written."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Duplicate:
    """A file not imported because its text is (nearly) that of ``original``."""

    path: str
    original: str
    score: float

    def message(self) -> str:
        how = "内容相同" if self.score >= 1.0 else f"内容近似（相似度 {self.score:.2f}）"
        return f"重复：{self.path} 与 {self.original} {how}，未导入"


@dataclass(frozen=True)
class Conflict:
    """A document whose file changed while staff changed it in the back office."""

    key: str
    document_id: int
    title: str

    def message(self) -> str:
        return (f"冲突：{self.key}（文档 #{self.document_id}《{self.title}》）自上次导入后已在后台修改，"
                "文件也有改动，未按文件更新。请用 opengov export-content 把后台版本写回文件；"
                f"或确认以文件为准后用 --overwrite {self.key} 导入。")


@dataclass
class ImportReport:
    """What an import did, for the summary printed by the command."""

    agencies_created: list[str] = field(default_factory=list)
    agencies_changed: list[str] = field(default_factory=list)
    columns_changed: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    issued_index_nos: dict[str, str] = field(default_factory=dict)
    #: Documents imported earlier whose file is gone; they are left as they are.
    missing: list[str] = field(default_factory=list)
    #: Stored names of attachments this import replaced. Their files are left in the upload
    #: folder: an import never destroys uploaded bytes (a back-office upload to a document
    #: whose file lacks it would otherwise be gone for good).
    replaced_files: list[str] = field(default_factory=list)
    #: Documents changed in the back office since their last import whose file differs:
    #: left as they are (``--overwrite KEY`` takes the file's version).
    conflicts: list[Conflict] = field(default_factory=list)

    def lines(self) -> list[str]:
        result = [conflict.message() for conflict in self.conflicts]
        result += [duplicate.message() for duplicate in self.duplicates]
        result.extend(f"已为 {key} 编制索引号 {index_no}（文件中没有，请写回文件）"
                      for key, index_no in self.issued_index_nos.items())
        if self.missing:
            result.append(f"数据库中有 {len(self.missing)} 篇内容文档已无对应文件（未删除，请在后台处理）："
                          + "、".join(self.missing))
        if self.replaced_files:
            result.append(f"已替换 {len(self.replaced_files)} 个附件；原文件仍在上传目录中："
                          + "、".join(self.replaced_files))
        if self.columns_changed:
            result.append(f"栏目说明：更新 {len(self.columns_changed)} 个（"
                          + "、".join(self.columns_changed) + "）。")
        result.append(f"机关：新建 {len(self.agencies_created)} 个，更新 {len(self.agencies_changed)} 个。")
        result.append(f"文档：新建 {len(self.created)} 篇，更新 {len(self.changed)} 篇，"
                      f"未变 {len(self.unchanged)} 篇，重复未导入 {len(self.duplicates)} 篇"
                      + (f"，冲突未更新 {len(self.conflicts)} 篇" if self.conflicts else "")
                      + "。")
        return result


@dataclass
class _Candidate:
    path: str
    document: ContentDocument
    fingerprint: Fingerprint
    existing: Document | None


# --- reading --------------------------------------------------------------------------

def _read(directory: Path, known_agencies: dict[str, str]
          ) -> tuple[list[ContentAgency], dict[str, str], list[tuple[str, ContentDocument]]]:
    problems: list[str] = []
    agencies: list[ContentAgency] = []
    agencies_path = directory / AGENCIES_FILE
    if agencies_path.exists():
        try:
            agencies = read_agencies(agencies_path)
        except ContentFileError as error:
            problems.append(str(error))
    columns: dict[str, str] = {}
    columns_path = directory / COLUMNS_FILE
    if columns_path.exists():
        try:
            columns = parse_columns(columns_path.read_text(encoding="utf-8"), columns_path)
        except ContentFileError as error:
            problems.append(str(error))
    codes = {**known_agencies, **agency_codes(agencies)}
    documents_dir = directory / DOCUMENTS_DIR
    if not documents_dir.is_dir():
        problems.append(f"{documents_dir}：目录不存在")
        raise ContentImportError(problems)
    documents: list[tuple[str, ContentDocument]] = []
    for path in sorted(documents_dir.glob("*.md")):
        try:
            document = read_document(path, codes)
            _check_lengths(document, str(path))
            _check_attachments(directory, document, str(path))
            documents.append((str(path), document))
        except ContentFileError as error:
            problems.append(str(error))
    if problems:
        raise ContentImportError(problems)
    return agencies, columns, documents


def _check_lengths(document: ContentDocument, path: str) -> None:
    """Texts must fit their columns; PostgreSQL would otherwise fail the whole import late."""
    table = Document.__table__
    values = {name: getattr(document, name) for name in _LENGTH_CHECKED}
    values["keywords"] = KEYWORD_SEPARATOR.join(document.keywords)
    for name, value in values.items():
        column_type = table.c[name].type
        limit = column_type.length if isinstance(column_type, String) else None
        if limit is not None and len(value) > limit:
            raise ContentFileError(path, name, f"过长：{len(value)} 个字符，最多 {limit} 个")


_LENGTH_CHECKED = ("title", "genre", "issuer", "doc_number", "topic", "source")


def _check_attachments(directory: Path, document: ContentDocument, path: str) -> None:
    """Every attachment exists and its bytes are of the stated type (judged by content, as
    an upload is)."""
    for item in document.attachments:
        if len(item.name) > 255 or len(item.content_type) > 100:  # the columns' lengths
            raise ContentFileError(path, "attachments", f"的文件名或类型过长：{item.name}")
        file = directory / item.file
        if not file.is_file():
            raise ContentFileError(path, "attachments", f"的文件不存在：{item.file}")
        suffix = Path(item.name).suffix.lower()
        kind = sniff(file.read_bytes(), suffix)
        if kind is None or kind.content_type != item.content_type \
                or suffix not in kind.extensions:
            found = kind.content_type if kind else "不可接受的类型"
            raise ContentFileError(path, "attachments", f"{item.file}（{item.name}）的内容是"
                                   f"{found}，与 content_type {item.content_type} 或扩展名不符")


# --- duplicates -----------------------------------------------------------------------

def _preference(candidate: _Candidate) -> tuple[int, int, int, str]:
    return (0 if candidate.existing is not None else 1,
            0 if candidate.document.index_no or (candidate.existing is not None
                                                 and candidate.existing.index_no) else 1,
            -len(candidate.fingerprint.shingles), candidate.document.key)


def _database_fingerprints(session: Session, batch_keys: set[str]
                           ) -> Iterable[tuple[str, Fingerprint]]:
    """Documents not managed by this batch, fingerprinted one at a time (bodies can be many)."""
    rows = session.execute(
        select(Document.id, Document.title, Document.body, Document.content_key)
        .order_by(Document.id).execution_options(yield_per=200))
    for document_id, title, body, content_key in rows:
        if content_key is not None and content_key in batch_keys:
            continue
        yield f"数据库文档 #{document_id}《{title}》", Fingerprint.of(body)


def _split_duplicates(session: Session, candidates: list[_Candidate], threshold: float
                      ) -> tuple[list[_Candidate], list[Duplicate]]:
    kept: list[_Candidate] = []
    duplicates: list[Duplicate] = []
    needs_database_check: list[_Candidate] = []
    for candidate in sorted(candidates, key=_preference):
        best: tuple[float, str] | None = None
        # A file with a 索引号 is catalogued already (an export, or a file once imported):
        # a document in its own right even if its text resembles another file's, e.g. a
        # re-published notice; holding it back would lose it on a round trip.
        for other in kept if not candidate.document.index_no else []:
            score = similarity(candidate.fingerprint, other.fingerprint)
            if is_duplicate(score, threshold) and (best is None or score > best[0]):
                best = (score, other.path)
        if best is not None:
            duplicates.append(Duplicate(candidate.path, best[1], best[0]))
            continue
        kept.append(candidate)
        # A document already in the database is updated, whatever others resemble it.
        if candidate.existing is None:
            needs_database_check.append(candidate)
    if needs_database_check:
        batch_keys = {candidate.document.key for candidate in candidates}
        found: dict[int, tuple[float, str]] = {}
        for label, fingerprint in _database_fingerprints(session, batch_keys):
            for position, candidate in enumerate(needs_database_check):
                score = similarity(candidate.fingerprint, fingerprint)
                if is_duplicate(score, threshold) and score > found.get(position, (0.0, ""))[0]:
                    found[position] = (score, label)
        for position, (score, label) in sorted(found.items()):
            candidate = needs_database_check[position]
            kept.remove(candidate)
            duplicates.append(Duplicate(candidate.path, label, score))
    kept.sort(key=lambda candidate: candidate.document.key)
    duplicates.sort(key=lambda duplicate: duplicate.path)
    return kept, duplicates


# --- writing --------------------------------------------------------------------------

def _assign(target: Any, values: dict[str, Any]) -> bool:
    """Set the attributes that differ; True if any did."""
    changed = False
    for name, value in values.items():
        if getattr(target, name) != value:
            setattr(target, name, value)
            changed = True
    return changed


def _upsert_agencies(session: Session, agencies: list[ContentAgency],
                     report: ImportReport) -> None:
    by_code = {agency.code: agency for agency in session.scalars(select(Agency))}
    for item in agencies:
        values: dict[str, Any] = {
            "name": item.name, "short_name": item.short_name, "org_code": item.org_code,
            "kind": item.kind, "sort_order": item.sort_order, "office_name": item.office_name,
            "address": item.address, "postcode": item.postcode,
            "office_hours": item.office_hours, "phone": item.phone, "fax": item.fax,
            "email": item.email, "website": item.website,
            "guide_markdown": item.guide_markdown, "guide_updated_on": item.guide_updated_on,
            "parent": by_code[item.parent] if item.parent else None,
        }
        agency = by_code.get(item.code)
        if agency is None:
            agency = Agency(code=item.code, **values)
            session.add(agency)
            by_code[item.code] = agency
            report.agencies_created.append(item.code)
        elif _assign(agency, values):
            report.agencies_changed.append(item.code)
    session.flush()


def _document_values(document: ContentDocument, agency: Agency, category: Category,
                     digest: str) -> dict[str, Any]:
    return {
        "agency": agency, "category": category, "title": document.title,
        "summary": document.summary, "body": document.body, "genre": document.genre,
        "issuer": document.issuer, "doc_number": document.doc_number,
        "date_written": document.date_written, "changed_on": document.changed_on,
        "published_on": document.published_on, "effective_on": document.effective_on,
        "repealed_on": document.repealed_on, "topic": document.topic,
        "keywords": KEYWORD_SEPARATOR.join(document.keywords), "validity": document.validity,
        "disclosure": document.disclosure,
        "non_disclosure_reason": document.non_disclosure_reason,
        "source": document.source, "status": PublicationStatus.PUBLISHED, "body_hash": digest,
    }


#: How a body links an attachment (``attachments.markdown_reference``) and how a content
#: file does, relative to ``documents/<key>.md``.
STORED_LINK = re.compile(r"\]\(/attachments/(\d+)\)")
FILE_LINK = re.compile(r"\]\(\.\./(attachments/[^)\s]+)\)")


def _file_body(document: ContentDocument, attachments: Sequence[Attachment]) -> str:
    """The body to store: links to the listed files become links to their attachments."""
    ids = {item.file: row.id for item, row in zip(document.attachments, attachments,
                                                  strict=True)}

    def link(match: re.Match[str]) -> str:
        found = ids.get(match.group(1))
        return match.group(0) if found is None else f"](/attachments/{found})"

    return FILE_LINK.sub(link, document.body) if ids else document.body


def _same_attachments(directory: Path, row: Document | None, document: ContentDocument
                      ) -> bool:
    current = [(item.sha256, item.original_name, item.content_type)
               for item in (row.attachments if row is not None else [])]
    wanted = [(hashlib.sha256((directory / item.file).read_bytes()).hexdigest(), item.name,
               item.content_type) for item in document.attachments]
    return current == wanted


def _replace_attachments(row: Document, document: ContentDocument, directory: Path,
                         upload_dir: Path | None, report: ImportReport) -> None:
    report.replaced_files.extend(item.stored_name for item in row.attachments)
    row.attachments = []
    for item in document.attachments:
        assert upload_dir is not None
        row.attachments.append(store_attachment(
            upload_dir, (directory / item.file).read_bytes(), item.name, item.content_type,
            suffix=Path(item.name).suffix.lower()))


def _check_index_nos(session: Session, kept: list[_Candidate]) -> None:
    """A changed or reused 索引号 is an error; all of them are reported at once."""
    problems: list[str] = []
    claimed: dict[str, str] = {}
    for candidate in kept:
        index_no = candidate.document.index_no
        existing = candidate.existing
        if existing is not None and existing.index_no and index_no \
                and index_no != existing.index_no:
            problems.append(f"{candidate.path}：字段 index_no（索引号）不能变更：已编制为 "
                            f"{existing.index_no}，文件中为 {index_no}")
            continue
        if not index_no:
            continue
        if index_no in claimed:
            problems.append(f"{candidate.path}：字段 index_no（索引号）{index_no} 与 "
                            f"{claimed[index_no]} 重复")
            continue
        claimed[index_no] = candidate.path
        holder = session.scalars(select(Document).where(Document.index_no == index_no)).first()
        if holder is not None and holder is not existing:
            problems.append(f"{candidate.path}：字段 index_no（索引号）{index_no} 已属于数据库文档 "
                            f"#{holder.id}《{holder.title}》")
    if problems:
        raise ContentImportError(problems)


def _differs(row: Document, values: dict[str, Any], same_attachments: bool,
             document: ContentDocument) -> bool:
    """Whether importing ``document`` would change ``row``."""
    interprets = {policy.content_key for policy in row.policies}
    return (any(getattr(row, name) != value for name, value in values.items())
            or not same_attachments
            or bool(document.index_no and row.index_no != document.index_no)
            or (bool(document.interprets or interprets)
                and set(document.interprets) != interprets))


def _upsert_documents(session: Session, kept: list[_Candidate], report: ImportReport,
                      directory: Path, upload_dir: Path | None,
                      overwrite: frozenset[str]) -> dict[str, Document]:
    agencies = {agency.code: agency for agency in session.scalars(select(Agency))}
    categories = {category.slug: category for category in session.scalars(select(Category))}
    imported: dict[str, Document] = {}
    touched: list[Document] = []
    relink: list[tuple[Document, ContentDocument]] = []
    for candidate in kept:
        document = candidate.document
        agency = agencies[document.agency]
        category = categories.get(document.category)
        if category is None:  # the column tree exists after `opengov init`
            raise ContentImportError([f"{candidate.path}：栏目 {document.category} 不在数据库中，"
                                      "请先运行 opengov init"])
        values = _document_values(document, agency, category, candidate.fingerprint.digest)
        row = candidate.existing
        same_attachments = _same_attachments(directory, row, document)
        if same_attachments and row is not None:
            values["body"] = _file_body(document, row.attachments)
        if row is not None and _differs(row, values, same_attachments, document):
            if document.key not in overwrite and provenance.edited_since_import(session, row):
                report.conflicts.append(Conflict(document.key, row.id, row.title))
                continue
            if not editorial.versions(session, row.id):
                # Keep what was public before as the first version, so the change shows.
                editorial.record_version(session, row, note="导入前的版本")
        if row is None:
            row = Document(content_key=document.key, **values)
            session.add(row)
            report.created.append(document.key)
            touched.append(row)
        elif _assign(row, values) or not same_attachments:
            report.changed.append(document.key)
            touched.append(row)
        else:
            report.unchanged.append(document.key)
        if not same_attachments:
            _replace_attachments(row, document, directory, upload_dir, report)
            relink.append((row, document))
        if document.index_no and row.index_no != document.index_no:
            register_index_no(session, agency, document.index_no)
            row.index_no = document.index_no
        imported[document.key] = row
    # Only after every 索引号 of the files is registered, so that none is issued twice.
    for candidate in kept:
        if candidate.document.key not in imported:
            continue  # a conflict, left alone
        row = imported[candidate.document.key]
        if not row.index_no:
            row.index_no = issue_index_no(session, row.agency,
                                          candidate.document.published_on.year)
            report.issued_index_nos[candidate.document.key] = row.index_no
    session.flush()
    for row, document in relink:  # the new attachments have their ids now
        row.body = _file_body(document, row.attachments)
    for row in touched:
        # A document dated ahead (exported while scheduled) waits for its day, as a
        # publication in the back office does.
        day = row.published_on
        not_before = publication_instant(day) if day is not None and day > clock.today() else None
        search_outbox.enqueue(session, row.id, not_before=not_before)
    return imported


def _link_interpretations(session: Session, kept: list[_Candidate],
                          imported: dict[str, Document], report: ImportReport) -> None:
    problems: list[str] = []
    for candidate in kept:
        document = candidate.document
        if document.category != INTERPRETATION_CATEGORY \
                and document.genre != INTERPRETATION_GENRE:
            continue
        policies: list[Document] = []
        for key in document.interprets:
            policy = imported.get(key) or session.scalars(
                select(Document).where(Document.content_key == key)).first()
            if policy is None:
                problems.append(f"{candidate.path}：字段 interprets（所解读的政策）找不到文档 {key}")
            else:
                policies.append(policy)
        row = imported[document.key]
        if {policy.id for policy in row.policies} == {policy.id for policy in policies}:
            continue
        affected = {policy.id for policy in row.policies} ^ {policy.id for policy in policies}
        row.policies = policies
        if document.key not in report.created and document.key not in report.changed:
            report.unchanged.remove(document.key)
            report.changed.append(document.key)
            search_outbox.enqueue(session, row.id)
        already_queued = {imported[key].id for key in (*report.created, *report.changed)}
        for policy_id in sorted(affected - already_queued):
            search_outbox.enqueue(session, policy_id)
    if problems:
        raise ContentImportError(problems)
    session.flush()


def _record_changes(session: Session, imported: dict[str, Document], report: ImportReport,
                    overwrite: frozenset[str]) -> None:
    """A version in the revision history and an audit entry for every document this import
    created or changed, as the back office records its own; then the fingerprint of every
    document the import wrote (see :mod:`.provenance`)."""
    session.flush()
    for key in report.created:
        row = imported[key]
        editorial.record_version(session, row, note="")
        audit.record(session, AuditAction.CREATE, actor=None, origin=COMMAND_LINE,
                     username=COMMAND_LINE_USERNAME, object_type="document",
                     object_id=row.id, detail=f"导入内容文件 {key}：{row.title}"[:200])
    for key in report.changed:
        row = imported[key]
        note = "按内容文件更新" + ("（以文件为准，覆盖后台修改）" if key in overwrite else "")
        editorial.record_version(session, row, note=note)
        audit.record(session, AuditAction.EDIT, actor=None, origin=COMMAND_LINE,
                     username=COMMAND_LINE_USERNAME, object_type="document",
                     object_id=row.id, detail=f"{note} {key}：{row.title}"[:200])
    for key in (*report.agencies_created, *report.agencies_changed):
        audit.record(session, AuditAction.CREATE if key in report.agencies_created
                     else AuditAction.EDIT, actor=None, origin=COMMAND_LINE,
                     username=COMMAND_LINE_USERNAME, object_type="agency", object_id=key,
                     detail="按内容文件 agencies.yaml")
    for slug in report.columns_changed:
        audit.record(session, AuditAction.EDIT, actor=None, origin=COMMAND_LINE,
                     username=COMMAND_LINE_USERNAME, object_type="category", object_id=slug,
                     detail="按内容文件 columns.yaml 更新栏目说明")
    session.flush()
    for row in imported.values():
        provenance.remember(session, row)


def import_content(session: Session, directory: Path,
                   threshold: float = NEAR_DUPLICATE_THRESHOLD, *,
                   upload_dir: Path | None = None,
                   overwrite: frozenset[str] = frozenset()) -> ImportReport:
    """Import ``directory`` into the session's transaction; the caller commits on success
    and rolls back on :class:`ContentImportError`. Attachments are stored in ``upload_dir``.
    A document changed in the back office since its last import is left alone and reported
    as a conflict, unless its key is in ``overwrite``."""
    known = {agency.code: agency.org_code for agency in session.scalars(select(Agency))}
    agencies, columns, documents = _read(directory, known)
    unknown = sorted(overwrite - {document.key for _, document in documents})
    if unknown:
        raise ContentImportError([f"--overwrite {key}：内容目录中没有这个文件" for key in unknown])
    if upload_dir is None and any(document.attachments for _, document in documents):
        raise ContentImportError(["内容文件有附件，但没有给出上传目录（UPLOAD_DIR）"])
    report = ImportReport()
    _upsert_agencies(session, agencies, report)
    for category in session.scalars(select(Category).where(Category.slug.in_(columns))):
        if category.description != columns[category.slug]:
            category.description = columns[category.slug]
            report.columns_changed.append(category.slug)

    existing = {row.content_key: row for row in session.scalars(
        select(Document).where(Document.content_key.in_([doc.key for _, doc in documents])))}
    candidates = [_Candidate(path, document, Fingerprint.of(document.body),
                             existing.get(document.key)) for path, document in documents]
    kept, report.duplicates = _split_duplicates(session, candidates, threshold)
    _check_index_nos(session, kept)
    imported = _upsert_documents(session, kept, report, directory, upload_dir, overwrite)
    kept = [candidate for candidate in kept if candidate.document.key in imported]
    _link_interpretations(session, kept, imported, report)
    _record_changes(session, imported, report, overwrite)
    batch_keys = [document.key for _, document in documents]
    report.missing = list(session.scalars(
        select(Document.content_key).where(Document.content_key.is_not(None),
                                           Document.content_key.not_in(batch_keys))
        .order_by(Document.content_key)))
    return report


def import_directory(directory: Path, threshold: float = NEAR_DUPLICATE_THRESHOLD, *,
                     overwrite: frozenset[str] = frozenset()) -> ImportReport:
    """``opengov import-content``: import ``directory`` in one unit of work, all or nothing
    (see the module's docstring); attachments are stored in the site's upload folder.
    :class:`ContentImportError` lists every problem, and then nothing was written."""
    with unit_of_work() as session:
        return import_content(session, directory, threshold, upload_dir=upload_dir(),
                              overwrite=overwrite)


def to_content_document(row: Document, previous: ContentDocument | None = None,
                        attachments: tuple[ContentAttachment, ...] = (),
                        interprets: tuple[str, ...] | None = None) -> ContentDocument:
    """The content file of a document with a ``content_key``, for export. ``seed`` and
    ``notes`` live only in the file, so they are taken from ``previous`` (the file as it
    stands), if any; ``attachments`` and ``interprets`` are given by the exporter, which
    knows the files it writes."""
    if row.content_key is None or row.published_on is None:
        raise ValueError(f"文档 #{row.id} 不是内容文件导入的已发布文档")
    return ContentDocument(
        key=row.content_key, title=row.title, agency=row.agency.code,
        category=row.category.slug, published_on=row.published_on, genre=row.genre,
        issuer=row.issuer, doc_number=row.doc_number, index_no=row.index_no or "",
        date_written=row.date_written, effective_on=row.effective_on,
        repealed_on=row.repealed_on, changed_on=row.changed_on, topic=row.topic,
        keywords=tuple(row.keyword_list), validity=row.validity, disclosure=row.disclosure,
        non_disclosure_reason=row.non_disclosure_reason, source=row.source,
        seed=previous.seed if previous else "", summary=row.summary,
        interprets=interprets if interprets is not None else tuple(
            policy.content_key for policy in row.policies if policy.content_key is not None),
        attachments=attachments, notes=previous.notes if previous else "", body=row.body)
