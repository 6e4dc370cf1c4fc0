"""Writing, reviewing and publishing documents (issue 5).

Every change goes through here: it checks the workflow (:mod:`opengov.site.catalog.rules.workflow`),
keeps the optimistic version, records the transition, the audit entry and every published
version, and promises the search index an update in the same transaction.

The composable functions (:func:`create`, :func:`update`, :func:`transition`, …) take the
caller's session; the entry functions in the last part are what the editor's pages call. They
take the acting person and decide what that person may see and do: a department's staff see
only their agency's documents, and nobody reviews a document they wrote.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, object_session

from opengov.site import clock
from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.agencies import service as agencies
from opengov.site.agencies.models import Agency
from opengov.site.audit import service as audit
from opengov.site.audit.service import AuditAction, Origin
from opengov.site.catalog.models import (
    Category,
    Document,
    DocumentAutosave,
    DocumentVersion,
    DocumentWorkflow,
    WorkflowEvent,
)
from opengov.site.catalog.rules import workflow
from opengov.site.catalog.rules.metadata import (
    INTERPRETATION_CATEGORY,
    INTERPRETATION_GENRE,
    Disclosure,
    PublicationStatus,
    Validity,
)
from opengov.site.catalog.rules.publication import art26_deadline, art26_warning
from opengov.site.catalog.rules.workflow import Action, WorkflowError
from opengov.site.catalog.service import outbox as search_outbox
from opengov.site.catalog.service.columns import issue_index_no
from opengov.site.db import get_session, unit_of_work
from opengov.site.exceptions import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
)
from opengov.site.workdays.rules import WorkingCalendar
from opengov.site.workdays.service import load_calendar

__all__ = ["DocumentData", "EditConflictError", "WorkflowError", "create", "transition",
           "update"]


class EditConflictError(ConflictError):
    """Someone else saved the document since this form was opened."""

    def __init__(self, editor: User | None) -> None:
        who = editor.display_name if editor is not None else "其他人"
        super().__init__(f"{who}已在您打开此页面后修改并保存了该文件，请先查看对方的修改，"
                         "再决定如何合并（您填写的内容仍保留在下面）。")
        self.editor = editor


def in_scope(actor: User, agency_id: int) -> bool:
    """Whether ``actor`` works on documents of ``agency_id``: their own agency's, or every
    agency's for administrators and site-wide staff (no agency)."""
    return actor.agency_id is None or Role.ADMIN in actor.roles or actor.agency_id == agency_id


def scoped_document(session: Session, actor: User, document_id: int, *,
                    fresh: bool = False) -> Document:
    """The document if ``actor``'s agency may see it; :class:`NotFoundError` otherwise (not a
    hint that it exists). ``fresh`` reloads it from the database, as a writer must before
    checking its state: the session may hold what an earlier read of this request saw."""
    document = (session.get(Document, document_id, populate_existing=fresh)
                if 0 < document_id < 2**31 else None)
    if document is None or not in_scope(actor, document.agency_id):
        raise NotFoundError("没有这个文件。")
    return document


@dataclass
class DocumentData:
    """The catalog metadata and text that the editor sets (rules.md §3.5)."""

    title: str
    agency_id: int
    category_id: int
    topic: str
    body: str = ""
    summary: str = ""
    genre: str = "其他"
    issuer: str = ""
    doc_number: str = ""
    date_written: dt.date | None = None
    changed_on: dt.date | None = None
    effective_on: dt.date | None = None
    repealed_on: dt.date | None = None
    keywords: str = ""
    source: str = ""
    disclosure: Disclosure = Disclosure.PROACTIVE
    non_disclosure_reason: str = ""
    deadline_basis: str = ""
    policy_ids: list[int] = field(default_factory=list)

    _FIELDS = ("title", "agency_id", "category_id", "topic", "body", "summary", "genre",
               "issuer", "doc_number", "date_written", "changed_on", "effective_on",
               "repealed_on", "keywords", "source", "disclosure", "non_disclosure_reason")

    @classmethod
    def from_document(cls, document: Document) -> DocumentData:
        values = {name: getattr(document, name) for name in cls._FIELDS}
        state = document_workflow(document)
        return cls(**values, deadline_basis=state.deadline_basis if state else "",
                   policy_ids=[policy.id for policy in document.policies])


def document_workflow(document: Document) -> DocumentWorkflow | None:
    session = object_session(document)
    return None if session is None else session.get(DocumentWorkflow, document.id)


def _state(session: Session, document: Document) -> DocumentWorkflow:
    """The workflow record, created for documents that came from elsewhere (import)."""
    # Reloaded: the optimistic version must be the one in the database now, not the one an
    # earlier read of this request left in the session.
    state = session.get(DocumentWorkflow, document.id, populate_existing=True)
    if state is None:
        state = DocumentWorkflow(document_id=document.id, lock_version=1)
        session.add(state)
        session.flush()
    return state


def _apply(session: Session, document: Document, data: DocumentData) -> None:
    for name in DocumentData._FIELDS:
        setattr(document, name, getattr(data, name))
    if data.disclosure == Disclosure.PROACTIVE:
        document.non_disclosure_reason = ""
    document.agency = session.get(Agency, data.agency_id)  # type: ignore[assignment]
    document.category = session.get(Category, data.category_id)  # type: ignore[assignment]
    wanted = set(data.policy_ids) - {document.id}
    document.policies = list(session.scalars(
        select(Document).where(Document.id.in_(wanted)))) if wanted else []


def create(session: Session, data: DocumentData, *, actor: User, origin: Origin) -> Document:
    """A new draft written by ``actor``."""
    document = Document(status=PublicationStatus.DRAFT, validity=Validity.VALID)
    session.add(document)
    _apply(session, document, data)
    session.flush()
    session.add(DocumentWorkflow(document_id=document.id, author_id=actor.id,
                                 last_editor_id=actor.id, lock_version=1,
                                 deadline_basis=data.deadline_basis))
    search_outbox.enqueue(session, document.id)
    audit.record(session, AuditAction.CREATE, actor=actor, origin=origin,
                 object_type="document", object_id=document.id, detail=document.title[:200])
    discard_autosave(session, actor, "new")
    return document


def update(session: Session, document: Document, data: DocumentData, *, actor: User,
           origin: Origin, expected_version: int) -> None:
    """Save the editor's changes to a draft; :class:`EditConflictError` if someone saved
    first."""
    if document.status not in workflow.EDITABLE:
        raise WorkflowError("只有草稿可以编辑；已提交的文件请先撤回或由审核人员退回，"
                            "已发布的文件请使用“更正”。")
    state = _state(session, document)
    if state.lock_version != expected_version:
        raise EditConflictError(state.last_editor)
    _apply(session, document, data)
    state.deadline_basis = data.deadline_basis
    state.lock_version += 1
    state.last_editor_id = actor.id
    document.updated_at = clock.utcnow()
    search_outbox.enqueue(session, document.id)
    audit.record(session, AuditAction.EDIT, actor=actor, origin=origin,
                 object_type="document", object_id=document.id, detail=document.title[:200])
    discard_autosave(session, actor, str(document.id))


def is_author(session: Session, document: Document, user: User) -> bool:
    """Wrote or last edited it: such a person may not review it."""
    state = session.get(DocumentWorkflow, document.id)
    return state is not None and user.id in {state.author_id, state.last_editor_id}


def available_actions(session: Session, document: Document,
                      user: User) -> list[workflow.Transition]:
    return workflow.available(document.status, roles=user.roles,
                              is_author=is_author(session, document, user),
                              validity=document.validity)


def publication_instant(day: dt.date) -> dt.datetime:
    """Midnight of ``day`` in 北京时间 as naive UTC (the outbox's clock): the moment a
    document published for ``day`` becomes public (:attr:`Document.is_public`)."""
    return clock.beijing_to_utc(dt.datetime.combine(day, dt.time()))


def transition(session: Session, document: Document, action: Action | str, *, actor: User,
               origin: Origin, opinion: str = "", publish_on: dt.date | None = None,
               correction: DocumentData | None = None) -> workflow.Transition:
    """Take ``action`` on ``document``; raise :class:`WorkflowError` when not allowed."""
    step = workflow.check(action, document.status, roles=actor.roles,
                          is_author=is_author(session, document, actor), opinion=opinion,
                          validity=document.validity)
    state = _state(session, document)
    before = document.status
    now = clock.utcnow()
    if step.action in {Action.CORRECT, Action.EXPIRE, Action.REPEAL} \
            and not versions(session, document.id):
        # Published elsewhere (imported): keep what was public as version 1, so that the
        # change shows in the diff.
        _snapshot(session, document, None, note="导入时的版本")
    not_before: dt.datetime | None = None
    new_version = False

    if step.action == Action.SUBMIT:
        state.submitted_at = now
    elif step.action in {Action.RETURN, Action.APPROVE}:
        state.reviewer_id = actor.id
        state.reviewed_at = now
        state.review_opinion = opinion.strip()
    elif step.action == Action.PUBLISH:
        day = publish_on or clock.today()
        if day < clock.today():
            raise WorkflowError("发布日期不能早于今天。")
        if document.disclosure != Disclosure.PROACTIVE:
            raise WorkflowError(f"公开属性为“{document.disclosure.value}”的文件不在网站主动公开。")
        document.published_on = day
        if document.index_no is None:
            # 索引号 is issued once, at first publication, and never changes afterwards.
            document.index_no = issue_index_no(session, document.agency, day.year)
        if day > clock.today():
            not_before = publication_instant(day)
        new_version = True
    elif step.action == Action.CORRECT:
        if correction is None:
            raise WorkflowError("更正需要提交修改后的内容。")
        _apply(session, document, correction)
        state.deadline_basis = correction.deadline_basis
        state.last_editor_id = actor.id
        new_version = True
    elif step.validity is not None:
        document.validity = step.validity
        document.repealed_on = document.repealed_on or clock.today()
        new_version = True

    document.status = step.target
    document.updated_at = now
    state.lock_version += 1
    session.add(WorkflowEvent(document_id=document.id, action=step.action.value,
                              from_status=before.value, to_status=step.target.value,
                              actor_id=actor.id, at=now, opinion=opinion.strip()))
    session.flush()
    if new_version:
        _snapshot(session, document, actor, note=opinion.strip()
                  if step.action != Action.PUBLISH else "")
    if step.action in {Action.PUBLISH, Action.CORRECT, Action.EXPIRE, Action.REPEAL,
                       Action.WITHDRAW}:
        search_outbox.enqueue(session, document.id, not_before=not_before)
    audit.record(session, AuditAction.TRANSITION, actor=actor, origin=origin,
                 object_type="document", object_id=document.id,
                 detail=f"{step.label}：{workflow.STATUS_LABELS[before]} → "
                        f"{workflow.STATUS_LABELS[step.target]}"
                        + (f"；意见：{opinion.strip()[:200]}" if opinion.strip() else ""))
    return step


# --- versions ---------------------------------------------------------------------------

def metadata_lines(document: Document) -> list[str]:
    """The catalog block of a document as ``label：value`` lines, for versions and diffs."""
    def day(value: dt.date | None) -> str:
        return value.isoformat() if value else ""

    return [
        f"标题：{document.title}",
        f"索引号：{document.index_no or ''}",
        f"发文机关：{document.issuer}",
        f"发文字号：{document.doc_number}",
        f"成文日期：{day(document.date_written)}",
        f"形成/变更日期：{day(document.changed_on)}",
        f"发布日期：{day(document.published_on)}",
        f"实施日期：{day(document.effective_on)}",
        f"废止/失效日期：{day(document.repealed_on)}",
        f"主题分类：{document.topic}",
        f"体裁：{document.genre}",
        f"主题词：{document.keywords}",
        f"信息来源：{document.source}",
        f"有效性：{document.validity.value}",
        f"内容概述：{document.summary}",
        "附件：" + "、".join(attachment.original_name for attachment in document.attachments),
    ]


def _snapshot(session: Session, document: Document, actor: User | None,
              note: str) -> DocumentVersion:
    number = (session.scalar(select(func.max(DocumentVersion.number)).where(
        DocumentVersion.document_id == document.id)) or 0) + 1
    version = DocumentVersion(document_id=document.id, number=number,
                              created_by_id=actor.id if actor is not None else None,
                              published_on=document.published_on, note=note,
                              title=document.title, body=document.body,
                              metadata_text="\n".join(metadata_lines(document)))
    session.add(version)
    return version


def versions(session: Session, document_id: int) -> Sequence[DocumentVersion]:
    """Every published version, oldest first: the revision history."""
    return session.scalars(select(DocumentVersion).where(
        DocumentVersion.document_id == document_id).order_by(DocumentVersion.number)).all()


def events(session: Session, document_id: int) -> Sequence[WorkflowEvent]:
    return session.scalars(select(WorkflowEvent).where(
        WorkflowEvent.document_id == document_id).order_by(WorkflowEvent.at,
                                                           WorkflowEvent.id)).all()


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "add", "del", "hunk" or "same"
    text: str


def diff(old: DocumentVersion, new: DocumentVersion) -> list[DiffLine]:
    """A unified diff of metadata and body between two versions."""
    before = [*old.metadata_text.splitlines(), "", "正文：", *old.body.splitlines()]
    after = [*new.metadata_text.splitlines(), "", "正文：", *new.body.splitlines()]
    lines = []
    for line in difflib.unified_diff(before, after, f"第 {old.number} 版",
                                     f"第 {new.number} 版", lineterm="", n=2):
        if line.startswith(("---", "+++")):
            continue
        kind = {"+": "add", "-": "del", "@": "hunk"}.get(line[:1], "same")
        lines.append(DiffLine(kind, line))
    return lines


# --- autosave ---------------------------------------------------------------------------

def autosave(session: Session, user: User, document_key: str, *, title: str, summary: str,
             body: str, base_version: int) -> DocumentAutosave:
    """Keep the editor's unsaved text of ``user`` (one copy per person and document)."""
    record = session.scalars(select(DocumentAutosave).where(
        DocumentAutosave.user_id == user.id,
        DocumentAutosave.document_key == document_key)).one_or_none()
    if record is None:
        record = DocumentAutosave(user_id=user.id, document_key=document_key)
        session.add(record)
    record.title, record.summary, record.body = title[:300], summary, body
    record.base_version = base_version
    record.saved_at = clock.utcnow()
    return record


def own_autosave(session: Session, user: User, document_key: str) -> DocumentAutosave | None:
    return session.scalars(select(DocumentAutosave).where(
        DocumentAutosave.user_id == user.id,
        DocumentAutosave.document_key == document_key)).one_or_none()


def other_editors(session: Session, user: User, document_key: str,
                  within: dt.timedelta = dt.timedelta(minutes=15)) -> Sequence[DocumentAutosave]:
    """Other people whose editor autosaved this document recently: they are editing it now
    (nobody else edits a document that does not exist yet)."""
    if document_key == "new":
        return []
    since = clock.utcnow() - within
    return session.scalars(select(DocumentAutosave).where(
        DocumentAutosave.document_key == document_key, DocumentAutosave.user_id != user.id,
        DocumentAutosave.saved_at >= since)).all()


def discard_autosave(session: Session, user: User, document_key: str) -> None:
    session.execute(delete(DocumentAutosave).where(
        DocumentAutosave.user_id == user.id, DocumentAutosave.document_key == document_key))


# --- entry functions: the editor's pages, the review queue and the dashboard ------------

def _sees_every_agency(actor: User) -> bool:
    return actor.agency_id is None or Role.ADMIN in actor.roles


def status_counts(actor: User) -> dict[str, int]:
    """How many documents are in each workflow status, of the actor's agency (all agencies for
    administrators and site-wide staff)."""
    query = select(Document.status, func.count()).group_by(Document.status)
    if not _sees_every_agency(actor):
        query = query.where(Document.agency_id == actor.agency_id)
    return {str(status): count for status, count in get_session().execute(query).all()}


def recent_drafts(actor: User, limit: int = 10) -> list[Document]:
    """The actor's own drafts, most recently changed first."""
    return list(get_session().scalars(
        select(Document).join(DocumentWorkflow, DocumentWorkflow.document_id == Document.id)
        .where(DocumentWorkflow.author_id == actor.id,
               Document.status == PublicationStatus.DRAFT)
        .order_by(Document.updated_at.desc()).limit(limit)))


#: How many documents the staff list shows, most recently changed first.
LIST_LIMIT = 200


def staff_documents(actor: User, status: PublicationStatus | None = None) -> list[Document]:
    """The documents of ``actor``'s agency (all for site-wide staff), newest change first,
    in ``status`` when given."""
    _require_reader(actor)
    query = select(Document).order_by(Document.updated_at.desc()).limit(LIST_LIMIT)
    if status is not None:
        query = query.where(Document.status == status)
    if not _sees_every_agency(actor):
        query = query.where(Document.agency_id == actor.agency_id)
    return list(get_session().scalars(query))


def review_queue(actor: User) -> list[Document]:
    """Documents submitted for review in ``actor``'s agency, oldest first."""
    if not actor.has_role(Role.REVIEWER):
        raise ForbiddenError("您没有审核的权限。")
    query = (select(Document).where(Document.status == PublicationStatus.SUBMITTED)
             .order_by(Document.updated_at))
    if not _sees_every_agency(actor):
        query = query.where(Document.agency_id == actor.agency_id)
    return list(get_session().scalars(query))


@dataclass(frozen=True)
class EditorChoices:
    """What the editor's selects offer one person."""

    #: (id, name) of the agencies the person may write for.
    agencies: list[tuple[int, str]]
    #: (id, name, depth) of the columns in tree order; the 指南 column is edited on the
    #: agency page, not here.
    columns: list[tuple[int, str, int]]
    #: (id, label) of the published policies an interpretation may name (newest first).
    policies: list[tuple[int, str]]
    #: Ids of the 政策解读 column: its documents may name policies whatever their genre.
    interpretation_columns: frozenset[int]

    def is_interpretation(self, genre: str, column_id: int | None) -> bool:
        return genre == INTERPRETATION_GENRE or column_id in self.interpretation_columns


#: The policies offered to an interpretation: the newest this many.
POLICY_CHOICES = 500


def _editor_choices(session: Session, actor: User) -> EditorChoices:
    writable = [(agency.id, agency.name) for agency in sorted(
        agencies.all_agencies(), key=lambda agency: (agency.sort_order, agency.id))
        if in_scope(actor, agency.id)]
    columns: list[tuple[int, str, int]] = []

    def visit(categories: Sequence[Category], depth: int) -> None:
        for category in categories:
            if category.retired_at is not None:
                continue  # retired columns take no new documents, nor do their children
            if category.slug != "guide":
                columns.append((category.id, category.name, depth))
            visit(category.children, depth + 1)

    visit(session.scalars(select(Category).where(Category.parent_id.is_(None))
                          .order_by(Category.sort_order)).all(), 0)
    policies = session.scalars(
        select(Document).join(Category)
        .where(Document.status == PublicationStatus.PUBLISHED,
               Document.genre != INTERPRETATION_GENRE,
               Category.slug != INTERPRETATION_CATEGORY)
        .order_by(Document.published_on.desc()).limit(POLICY_CHOICES))
    interpretation_columns = frozenset(session.scalars(
        select(Category.id).where(Category.slug == INTERPRETATION_CATEGORY)))
    return EditorChoices(
        writable, columns,
        [(policy.id, f"{policy.title}（{policy.doc_number or policy.index_no}）")
         for policy in policies],
        interpretation_columns)


@dataclass(frozen=True)
class EditorPage:
    """Everything the editor shows for a new document (``document`` None), a draft, or a
    published document being corrected."""

    document: Document | None
    #: The document as saved, to fill the form with (None for a new one).
    data: DocumentData | None
    lock_version: int
    #: ``actor``'s own autosaved text of this document, if any.
    own_autosave: DocumentAutosave | None
    #: Other people editing the same document now.
    others: Sequence[DocumentAutosave]
    choices: EditorChoices
    calendar: WorkingCalendar

    @property
    def key(self) -> str:
        """How autosaves name the document: its id, or "new"."""
        return "new" if self.document is None else str(self.document.id)

    @property
    def unsaved_autosave(self) -> DocumentAutosave | None:
        """The own autosave if it is newer than the saved document (worth offering)."""
        saved = self.own_autosave
        if saved is not None and self.document is not None \
                and saved.saved_at <= self.document.updated_at:
            return None
        return saved

    def art26_warning(self, date_written: dt.date | None, changed_on: dt.date | None,
                      other_basis: str) -> str | None:
        """条例 Art. 26: the warning when publishing today would be late, else None."""
        return art26_warning(self.calendar, date_written, changed_on, clock.today(), other_basis)


def _require_editor(actor: User) -> None:
    if not actor.has_role(Role.EDITOR):
        raise ForbiddenError("您没有撰稿的权限。")


def _require_reader(actor: User) -> None:
    """Editors and reviewers work on documents; other staff (e.g. handlers of requests)
    do not see drafts."""
    if not actor.has_role(Role.EDITOR, Role.REVIEWER):
        raise ForbiddenError("您没有查看文件的权限。")


def _editor_page(session: Session, actor: User, document: Document | None,
                 with_autosaves: bool = True) -> EditorPage:
    key = "new" if document is None else str(document.id)
    state = session.get(DocumentWorkflow, document.id) if document is not None else None
    return EditorPage(
        document, DocumentData.from_document(document) if document is not None else None,
        state.lock_version if state is not None else 1,
        own_autosave(session, actor, key) if with_autosaves else None,
        other_editors(session, actor, key) if with_autosaves else [],
        _editor_choices(session, actor), load_calendar(session))


def open_editor(actor: User, document_id: int | None = None) -> EditorPage:
    """The editor of a new document (``document_id`` None) or of a draft of ``actor``'s
    agency; :class:`ConflictError` when the document is no longer a draft."""
    _require_editor(actor)
    session = get_session()
    document = None
    if document_id is not None:
        document = scoped_document(session, actor, document_id)
        if document.status not in workflow.EDITABLE:
            raise ConflictError(f"“{workflow.STATUS_LABELS[document.status]}”状态的文件"
                                "不能直接编辑。")
    return _editor_page(session, actor, document)


def open_correction(actor: User, document_id: int) -> EditorPage:
    """The editor for 更正 of a published document of ``actor``'s agency;
    :class:`ConflictError` when the document is not published."""
    if not actor.has_role(Role.REVIEWER):
        raise ForbiddenError("您没有更正的权限。")
    session = get_session()
    document = scoped_document(session, actor, document_id)
    if document.status != PublicationStatus.PUBLISHED:
        raise ConflictError("只有已发布的文件可以更正。")
    return _editor_page(session, actor, document, with_autosaves=False)


def _check_agency(actor: User, data: DocumentData) -> None:
    if not in_scope(actor, data.agency_id):
        raise ForbiddenError("您不能为该机构撰稿。")


def create_document(actor: User, data: DocumentData, *, origin: Origin) -> int:
    """A new draft by ``actor`` for their agency; returns its id."""
    _require_editor(actor)
    _check_agency(actor, data)
    with unit_of_work() as session:
        return create(session, data, actor=actor, origin=origin).id


def save_document(actor: User, document_id: int, data: DocumentData, *,
                  expected_version: int, origin: Origin) -> str | None:
    """Save a draft; :class:`EditConflictError` when someone saved it since
    ``expected_version``, :class:`WorkflowError` when it is no longer a draft. Returns the
    条例 Art. 26 warning for publishing it today, if publishing today would be late."""
    _require_editor(actor)
    _check_agency(actor, data)
    with unit_of_work() as session:
        document = scoped_document(session, actor, document_id, fresh=True)
        update(session, document, data, actor=actor, origin=origin,
               expected_version=expected_version)
        calendar = load_calendar(session)
    return art26_warning(calendar, data.date_written, data.changed_on, clock.today(),
                         data.deadline_basis)


@dataclass(frozen=True)
class AutosaveResult:
    saved_at: dt.datetime
    #: Display names of the others editing the same document now.
    others: list[str]


def autosave_text(actor: User, document_key: str, *, title: str, summary: str, body: str,
                  base_version: int) -> AutosaveResult:
    """Keep the editor's unsaved text of a new document (``document_key`` "new") or of a
    draft of ``actor``'s agency."""
    _require_editor(actor)
    if document_key != "new" and not (document_key.isdigit() and document_key.isascii()):
        raise InvalidInputError("无效的文件编号。")
    with unit_of_work() as session:
        if document_key != "new":
            document = scoped_document(session, actor, int(document_key), fresh=True)
            if document.status not in workflow.EDITABLE:
                raise ConflictError("只有草稿可以编辑。")
        record = autosave(session, actor, document_key, title=title, summary=summary,
                          body=body, base_version=base_version)
        saved_at = record.saved_at
    others = [item.user.display_name for item in other_editors(get_session(), actor,
                                                                document_key)]
    return AutosaveResult(saved_at, others)


@dataclass(frozen=True)
class DocumentDetail:
    """A document's back-office page: its catalog record, workflow state and history."""

    document: Document
    state: DocumentWorkflow | None
    #: 条例 Art. 26: the last day to publish it, and the warning while it is not yet public.
    deadline: dt.date | None
    art26: str | None
    actions: list[workflow.Transition]
    events: Sequence[WorkflowEvent]
    versions: Sequence[DocumentVersion]
    #: Whether ``actor`` may open it in the editor now.
    editable: bool


def document_detail(actor: User, document_id: int) -> DocumentDetail:
    """A document of ``actor``'s agency with what ``actor`` may do to it next."""
    _require_reader(actor)
    session = get_session()
    document = scoped_document(session, actor, document_id)
    state = session.get(DocumentWorkflow, document.id)
    calendar = load_calendar(session)
    warning = None
    if document.status in {PublicationStatus.DRAFT, PublicationStatus.SUBMITTED,
                           PublicationStatus.APPROVED}:
        warning = art26_warning(calendar, document.date_written, document.changed_on,
                                clock.today(), state.deadline_basis if state else "")
    return DocumentDetail(
        document, state, art26_deadline(calendar, document.date_written, document.changed_on),
        warning, available_actions(session, document, actor), events(session, document.id),
        versions(session, document.id),
        document.status in workflow.EDITABLE and actor.has_role(Role.EDITOR))


@dataclass(frozen=True)
class TransitionResult:
    step: workflow.Transition
    #: The day a publication takes effect when it is later than today (定时发布).
    scheduled_on: dt.date | None


def take_action(actor: User, document_id: int, action: Action | str, *, origin: Origin,
                opinion: str = "", publish_on: dt.date | None = None) -> TransitionResult:
    """Take a workflow step on a document of ``actor``'s agency: submit, review, publish
    (now or on ``publish_on``), mark 失效/废止, withdraw, reopen. :class:`WorkflowError`
    when the step is not allowed, e.g. reviewing a document one wrote. 更正 needs the
    corrected text: :func:`correct_document`."""
    if action == Action.CORRECT:
        raise InvalidInputError("更正需要提交修改后的内容。")
    with unit_of_work() as session:
        document = scoped_document(session, actor, document_id, fresh=True)
        step = transition(session, document, action, actor=actor, origin=origin,
                          opinion=opinion, publish_on=publish_on)
        day = document.published_on
    scheduled = day if step.action == Action.PUBLISH and day and day > clock.today() else None
    return TransitionResult(step, scheduled)


def correct_document(actor: User, document_id: int, data: DocumentData, *, note: str,
                     origin: Origin) -> None:
    """更正 a published document: a new version with the 更正说明 ``note``."""
    _check_agency(actor, data)
    with unit_of_work() as session:
        document = scoped_document(session, actor, document_id, fresh=True)
        transition(session, document, Action.CORRECT, actor=actor, origin=origin,
                   opinion=note, correction=data)


@dataclass(frozen=True)
class VersionComparison:
    """The published versions of a document and the diff between two of them."""

    document: Document
    versions: Sequence[DocumentVersion]
    old: DocumentVersion | None
    new: DocumentVersion | None
    lines: list[DiffLine]


def compare_versions(actor: User, document_id: int, old_number: int | None = None,
                     new_number: int | None = None) -> VersionComparison:
    """Versions ``old_number`` and ``new_number`` of a document of ``actor``'s agency (by
    default the last two) and their diff."""
    _require_reader(actor)
    session = get_session()
    document = scoped_document(session, actor, document_id)
    history = versions(session, document.id)
    by_number = {version.number: version for version in history}
    newest = history[-1].number if history else 0
    old = by_number.get(old_number if old_number is not None else max(newest - 1, 1))
    new = by_number.get(new_number if new_number is not None else newest)
    return VersionComparison(document, history, old, new,
                             diff(old, new) if old and new else [])


# --- documents written by the content importer (issue 11) ----------------------------------

def record_version(session: Session, document: Document, *, note: str) -> DocumentVersion:
    """Add ``document`` as it stands to its revision history, by no staff member: what the
    content importer (``opengov import-content``) calls for a document it created or
    changed, so that a change from the files is as visible as one made in the back office."""
    return _snapshot(session, document, None, note=note)
