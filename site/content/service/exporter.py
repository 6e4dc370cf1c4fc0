"""``opengov export-content DIR``: the database's content set back into the ``content/`` format
(``content_files``), so that ``import-content`` of the result rebuilds it without loss.

What is exported: every agency, the column descriptions staff changed, and every document whose status is *published* (scheduled
ones included), except the catalog documents of 预决算 disclosures and of the government's
budget reports, which belong to ``content/fiscal`` and are rebuilt by ``import-fiscal``. Drafts, documents under review and
withdrawn ones are not: the importer publishes every file it reads, so a file for them would
put on the site what the back office keeps off it. The file of a document that the database
knows but no longer publishes (withdrawn) is removed for the same reason; files the database
does not know (the duplicates the importer reports, notes of the content helper) are left.

A document written in the editor gets its key on its first export — the slug of its 索引号,
which never changes — recorded as its ``content_key`` so that a re-import updates it.

Deterministic: files are written in one canonical form, attachments as
``attachments/<key>/NN<ext>`` in their order, links in the body to stored attachments as
``../attachments/…``; a file whose bytes would not change is not rewritten. Everything is
built and checked (each file parses back to what was meant) before the first write.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from opengov.site.agencies.models import Agency
from opengov.site.catalog.models import Category, Document
from opengov.site.catalog.rules.metadata import PublicationStatus
from opengov.site.catalog.service.attachments import stored_path, upload_dir
from opengov.site.content.service import provenance
from opengov.site.content.service.files import (
    ATTACHMENTS_DIR,
    DEFAULT_DESCRIPTIONS,
    KEY_PATTERN,
    ContentAgency,
    ContentAttachment,
    ContentDocument,
    ContentFileError,
    agency_codes,
    document_path,
    leading_comment,
    parse_agencies,
    parse_document,
    read_document,
    serialise_agencies,
    serialise_columns,
    serialise_document,
)
from opengov.site.content.service.importer import (
    AGENCIES_FILE,
    COLUMNS_FILE,
    STORED_LINK,
    _check_lengths,
    to_content_document,
)
from opengov.site.db import unit_of_work
from opengov.site.fiscal.service.government import mirrored_documents


class ContentExportError(Exception):
    """The content set cannot be exported; ``problems`` lists every one, nothing was written."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class ExportReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    #: Editor-made documents given a key by this export.
    keyed: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        result = [f"已为文档 #{document_id} 编制内容键 {key}" for key, document_id
                  in self.keyed.items()]
        result.extend(f"已删除（文档未发布或已撤下）：{path}" for path in self.removed)
        result.append(f"写入 {len(self.written)} 个文件，未变 {self.unchanged} 个，"
                      f"删除 {len(self.removed)} 个。")
        return result


def exported_documents(session: Session) -> list[Document]:
    return list(session.scalars(select(Document).where(
        Document.status == PublicationStatus.PUBLISHED, Document.id.not_in(mirrored_documents()))
        .options(joinedload(Document.agency), joinedload(Document.category),
                 selectinload(Document.attachments), selectinload(Document.policies))
        .order_by(Document.id)))


def _new_key(row: Document, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", (row.index_no or "").lower()).strip("-")
    base = base[:100] if base else f"document-{row.id}"
    key, number = base, 1
    while key in taken:
        number += 1
        key = f"{base}-{number}"
    assert KEY_PATTERN.match(key)
    return key


def _known_keys(session: Session) -> set[str]:
    return {key for key in session.scalars(select(Document.content_key)) if key is not None}


def assign_keys(session: Session, directory: Path, rows: list[Document],
                report: ExportReport) -> None:
    """Give each document without a ``content_key`` a new one, clear of every key in the
    database and every file in ``directory``."""
    taken = _known_keys(session) | {path.stem for path in (directory / "documents").glob("*.md")}
    for row in rows:
        if row.content_key is None:
            row.content_key = _new_key(row, taken)
            taken.add(row.content_key)
            report.keyed[row.content_key] = row.id
    session.flush()


def _previous(path: Path) -> ContentDocument | None:
    """The file as it stands, for what lives only there (seed, notes, interprets order)."""
    try:
        return read_document(path) if path.is_file() else None
    except ContentFileError:
        return None


def _agencies_text(session: Session, directory: Path) -> str:
    rows = list(session.scalars(select(Agency).order_by(Agency.sort_order, Agency.code)))
    ordered: list[Agency] = []
    while len(ordered) < len(rows):  # parents first, as agencies.yaml requires
        ready = [row for row in rows if row not in ordered
                 and (row.parent is None or row.parent in ordered)]
        if not ready:  # a cycle of parents: parse_agencies below reports it
            ready = [row for row in rows if row not in ordered]
        ordered.extend(ready)
    agencies = [ContentAgency(
        code=row.code, name=row.name, org_code=row.org_code, kind=row.kind,
        parent=row.parent.code if row.parent else "", sort_order=row.sort_order,
        short_name=row.short_name, office_name=row.office_name, address=row.address,
        postcode=row.postcode, office_hours=row.office_hours, phone=row.phone, fax=row.fax,
        email=row.email, website=row.website, guide_markdown=_normalised(row.guide_markdown),
        guide_updated_on=row.guide_updated_on) for row in ordered]
    path = directory / AGENCIES_FILE
    comment = leading_comment(path.read_text(encoding="utf-8")) if path.is_file() else ""
    return serialise_agencies(agencies, comment) if comment else serialise_agencies(agencies)


def _columns_text(session: Session, directory: Path) -> str | None:
    """``columns.yaml`` with the descriptions staff changed; None when there are none and
    there is no such file to bring up to date."""
    changed = {category.slug: _normalised(category.description)
               for category in session.scalars(select(Category))
               if category.description != DEFAULT_DESCRIPTIONS.get(category.slug)}
    path = directory / COLUMNS_FILE
    if not changed and not path.is_file():
        return None
    comment = leading_comment(path.read_text(encoding="utf-8")) if path.is_file() else ""
    return serialise_columns(changed, comment) if comment else serialise_columns(changed)


def _interprets(row: Document, exported: set[str], previous: ContentDocument | None
                ) -> tuple[str, ...]:
    keys = [policy.content_key for policy in sorted(
        row.policies, key=lambda policy: (policy.published_on, policy.content_key or ""))
        if policy.content_key in exported]
    if previous is not None and sorted(previous.interprets) == sorted(keys):
        return previous.interprets  # the order written by hand
    return tuple(key for key in keys if key is not None)


def _normalised(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def export_content(session: Session, directory: Path, upload_dir: Path) -> ExportReport:
    """Write the content set into ``directory``; keys given to editor-made documents are
    set in the session, which the caller commits after success."""
    report = ExportReport()
    rows = exported_documents(session)
    assign_keys(session, directory, rows, report)
    exported = {row.content_key for row in rows if row.content_key is not None}
    agencies_text = _agencies_text(session, directory)
    try:
        codes = agency_codes(parse_agencies(agencies_text, AGENCIES_FILE))
    except ContentFileError as error:
        raise ContentExportError([str(error)]) from None
    files: dict[Path, bytes] = {directory / AGENCIES_FILE: agencies_text.encode("utf-8")}
    columns = _columns_text(session, directory)
    if columns is not None:
        files[directory / COLUMNS_FILE] = columns.encode("utf-8")
    problems: list[str] = []
    for row in rows:
        key = row.content_key
        assert key is not None
        path = document_path(directory, key)
        previous = _previous(path)
        attachments, links = _attachment_files(row, key, directory, upload_dir, files,
                                               problems)
        body = _file_links(_normalised(row.body), links)
        try:
            document = to_content_document(row, previous, attachments,
                                           _interprets(row, exported, previous))
        except ValueError as error:
            problems.append(str(error))
            continue
        document = _replace_text(document, body)
        text = serialise_document(document)
        try:
            _check_lengths(document, str(path))
            if parse_document(text, path, codes) != document:
                problems.append(f"{path}：导出后读回的内容与数据库不一致")
        except ContentFileError as error:
            problems.append(str(error))
        files[path] = text.encode("utf-8")
    if problems:
        raise ContentExportError(problems)
    _write(directory, files, report)
    _remove_stale(session, directory, exported, files, report)
    # The files now say what these documents are: an import of them is not a conflict with
    # the back office's earlier edits, only with edits made after this export.
    for row in rows:
        provenance.remember(session, row)
    return report


def export_directory(directory: Path) -> ExportReport:
    """``opengov export-content``: write the content set into ``directory``. One unit of
    work: the keys given to editor-made documents are saved only when the export
    succeeded; :class:`ContentExportError` lists every problem, and then nothing was
    written."""
    with unit_of_work() as session:
        return export_content(session, directory, upload_dir())


def _attachment_files(row: Document, key: str, directory: Path, upload_dir: Path,
                      files: dict[Path, bytes], problems: list[str]
                      ) -> tuple[tuple[ContentAttachment, ...], dict[int, str]]:
    """The attachments list of ``row``'s file, their bytes added to ``files``, and the file
    of each attachment id (for the links in the body)."""
    attachments: list[ContentAttachment] = []
    links: dict[int, str] = {}
    for number, attachment in enumerate(row.attachments, start=1):
        suffix = Path(attachment.original_name).suffix.lower()
        file = f"{ATTACHMENTS_DIR}/{key}/{number:02d}{suffix}"
        source = stored_path(upload_dir, attachment)
        if not source.is_file():
            problems.append(f"{key}：附件 {attachment.original_name} 的文件 {source} 不存在")
            continue
        files[directory / file] = source.read_bytes()
        attachments.append(ContentAttachment(file, attachment.original_name,
                                             attachment.content_type))
        links[attachment.id] = file
    return tuple(attachments), links


def _file_links(body: str, links: dict[int, str]) -> str:
    """Links to the document's stored attachments become links to their exported files."""
    def link(match: re.Match[str]) -> str:
        file = links.get(int(match.group(1)))
        return match.group(0) if file is None else f"](../{file})"

    return STORED_LINK.sub(link, body)


def _replace_text(document: ContentDocument, body: str) -> ContentDocument:
    """Line ends as a file has them (a browser's form sends CR LF), one final newline."""
    return replace(document, body=body.rstrip("\n") + "\n", summary=_normalised(document.summary),
                   non_disclosure_reason=_normalised(document.non_disclosure_reason))


def _write(directory: Path, files: dict[Path, bytes], report: ExportReport) -> None:
    for path, data in sorted(files.items()):
        if path.is_file() and path.read_bytes() == data:
            report.unchanged += 1
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        report.written.append(str(path.relative_to(directory)))


def _remove_stale(session: Session, directory: Path, exported: set[str],
                  files: dict[Path, bytes], report: ExportReport) -> None:
    """Files of documents the database knows but does not export, and attachment files no
    longer listed by an exported document."""
    known = _known_keys(session)
    for key in sorted(known - exported):
        path = document_path(directory, key)
        if path.is_file():
            path.unlink()
            report.removed.append(str(path.relative_to(directory)))
    attachments = directory / ATTACHMENTS_DIR
    if not attachments.is_dir():
        return
    for folder in sorted(attachments.iterdir()):
        if folder.name not in known:
            continue  # not ours to judge
        for path in sorted(folder.iterdir()):
            if path not in files:
                if path.is_dir():
                    shutil.rmtree(path)
                else:
                    path.unlink()
                report.removed.append(str(path.relative_to(directory)))
        if not any(folder.iterdir()):
            folder.rmdir()
