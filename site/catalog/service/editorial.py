"""Writing, reviewing and publishing documents (issue 5).

Every change goes through here: it checks the workflow (:mod:`opengov.site.catalog.rules.workflow`),
keeps the optimistic version, records the transition, the audit entry and every published
version, and promises the search index an update in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
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
from opengov.site.catalog.rules.metadata import Disclosure, PublicationStatus, Validity
from opengov.site.catalog.rules.workflow import Action, WorkflowError
from opengov.site.catalog.service import outbox as search_outbox
from opengov.site.catalog.service.columns import issue_index_no
from opengov.site.clock import utcnow
from opengov.site.db import get_session

__all__ = ["ConflictError", "DocumentData", "WorkflowError", "create", "transition", "update"]


class ConflictError(RuntimeError):
    """Someone else saved the document since this form was opened."""

    def __init__(self, document: Document, editor: User | None) -> None:
        who = editor.display_name if editor is not None else "其他人"
        super().__init__(f"{who}已在您打开此页面后修改并保存了该文件，请先查看对方的修改，"
                         "再决定如何合并（您填写的内容仍保留在下面）。")
        self.document = document
        self.editor = editor


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
    from sqlalchemy.orm import object_session

    session = object_session(document)
    return None if session is None else session.get(DocumentWorkflow, document.id)


def _state(session: Session, document: Document) -> DocumentWorkflow:
    """The workflow record, created for documents that came from elsewhere (import)."""
    state = session.get(DocumentWorkflow, document.id)
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
    """Save the editor's changes to a draft; :class:`ConflictError` if someone saved first."""
    if document.status not in workflow.EDITABLE:
        raise WorkflowError("只有草稿可以编辑；已提交的文件请先撤回或由审核人员退回，"
                            "已发布的文件请使用“更正”。")
    state = _state(session, document)
    if state.lock_version != expected_version:
        raise ConflictError(document, state.last_editor)
    _apply(session, document, data)
    state.deadline_basis = data.deadline_basis
    state.lock_version += 1
    state.last_editor_id = actor.id
    document.updated_at = utcnow()
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
    """The server's local midnight of ``day`` as naive UTC (the outbox's clock)."""
    local = dt.datetime.combine(day, dt.time()).astimezone()
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def today() -> dt.date:
    """The server's local date: the same clock as :attr:`Document.is_public`, so "publish
    now" is public at once (servers of the site run on 北京时间)."""
    return dt.date.today()


def transition(session: Session, document: Document, action: Action | str, *, actor: User,
               origin: Origin, opinion: str = "", publish_on: dt.date | None = None,
               correction: DocumentData | None = None) -> workflow.Transition:
    """Take ``action`` on ``document``; raise :class:`WorkflowError` when not allowed."""
    step = workflow.check(action, document.status, roles=actor.roles,
                          is_author=is_author(session, document, actor), opinion=opinion,
                          validity=document.validity)
    state = _state(session, document)
    before = document.status
    now = utcnow()
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
        day = publish_on or today()
        if day < today():
            raise WorkflowError("发布日期不能早于今天。")
        if document.disclosure != Disclosure.PROACTIVE:
            raise WorkflowError(f"公开属性为“{document.disclosure.value}”的文件不在网站主动公开。")
        document.published_on = day
        if document.index_no is None:
            # 索引号 is issued once, at first publication, and never changes afterwards.
            document.index_no = issue_index_no(session, document.agency, day.year)
        if day > today():
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
        document.repealed_on = document.repealed_on or today()
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
    record.saved_at = utcnow()
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
    since = utcnow() - within
    return session.scalars(select(DocumentAutosave).where(
        DocumentAutosave.document_key == document_key, DocumentAutosave.user_id != user.id,
        DocumentAutosave.saved_at >= since)).all()


def discard_autosave(session: Session, user: User, document_key: str) -> None:
    session.execute(delete(DocumentAutosave).where(
        DocumentAutosave.user_id == user.id, DocumentAutosave.document_key == document_key))


def status_counts(actor: User) -> dict[str, int]:
    """How many documents are in each workflow status, of the actor's agency (all agencies for
    administrators and site-wide staff)."""
    query = select(Document.status, func.count()).group_by(Document.status)
    if actor.agency_id is not None and Role.ADMIN not in actor.roles:
        query = query.where(Document.agency_id == actor.agency_id)
    return {str(status): count for status, count in get_session().execute(query).all()}


def recent_drafts(actor: User, limit: int = 10) -> list[Document]:
    """The actor's own drafts, most recently changed first."""
    return list(get_session().scalars(
        select(Document).join(DocumentWorkflow, DocumentWorkflow.document_id == Document.id)
        .where(DocumentWorkflow.author_id == actor.id,
               Document.status == PublicationStatus.DRAFT)
        .order_by(Document.updated_at.desc()).limit(limit)))
