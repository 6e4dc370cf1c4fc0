"""The review workflow of revisioned records (:mod:`..rules.workflow`), for service items
here and for the powers feature.

Composable functions: each takes the caller's session and never commits. They check the
step, keep the optimistic version, record the step and the audit entry, and promise the search
index an update whenever what the public sees changes, in the caller's transaction.

A :class:`RecordBook` tells them which tables hold one kind of record and what publishing a
revision copies onto the record (the columns lists filter by).
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.agencies.models import Agency
from opengov.site.audit import service as audit
from opengov.site.audit.service import AuditAction, Origin
from opengov.site.exceptions import ConflictError, ForbiddenError, NotFoundError
from opengov.site.search.service import sources as search_sources
from opengov.site.service_items.models import EventColumns, RecordColumns, RevisionColumns
from opengov.site.service_items.rules import workflow
from opengov.site.service_items.rules.workflow import (
    Action,
    PublicState,
    RevisionStatus,
    WorkflowError,
)

R = TypeVar("R", bound=RecordColumns)
V = TypeVar("V", bound=RevisionColumns)
E = TypeVar("E", bound=EventColumns)


@dataclass(frozen=True)
class RecordBook(Generic[R, V, E]):
    """The tables and hooks of one kind of revisioned record."""

    record: type[R]
    revision: type[V]
    event: type[E]
    #: The record in messages: 事项, 权力事项.
    noun: str
    #: ``object_type`` of audit entries and ``kind`` of the search index.
    kind: str
    #: Copies the list columns of a revision's content onto its record at publication.
    publish_columns: Callable[[Session, R, dict[str, Any]], None]
    #: The content as ``label：value`` lines, for the diff between versions.
    describe: Callable[[dict[str, Any]], list[str]]
    #: The name in a content (the record's name before its first publication).
    name_of: Callable[[dict[str, Any]], str]


class EditConflictError(ConflictError):
    """Someone else saved the revision since this form was opened."""

    def __init__(self, editor: User | None) -> None:
        who = editor.display_name if editor is not None else "其他人"
        super().__init__(f"{who}已在您打开此页面后修改并保存了该修订，请先查看对方的修改，"
                         "再决定如何合并（您填写的内容仍保留在下面）。")


# --- scope -------------------------------------------------------------------------------


def sees_every_agency(actor: User) -> bool:
    """Administrators and staff without an agency work for every agency."""
    return actor.agency_id is None or Role.ADMIN in actor.roles


def in_scope(actor: User, agency_id: int) -> bool:
    return sees_every_agency(actor) or actor.agency_id == agency_id


def require_staff(actor: User, noun: str) -> None:
    """Editors and reviewers maintain records; other staff do not see drafts."""
    if not actor.has_role(Role.EDITOR, Role.REVIEWER):
        raise ForbiddenError(f"您没有维护{noun}的权限。")


def scoped_record(session: Session, book: RecordBook[R, V, E], actor: User, record_id: int,
                  *, fresh: bool = False) -> R:
    """The record if ``actor``'s agency may see it; :class:`NotFoundError` otherwise (no
    hint that it exists). ``fresh`` reloads it, as a writer must before checking state."""
    record = (session.get(book.record, record_id, populate_existing=fresh)
              if 0 < record_id < 2**31 else None)
    if record is None or not in_scope(actor, record.agency_id):
        raise NotFoundError(f"没有这个{book.noun}。")
    return record


def scoped_agency(session: Session, actor: User, agency_id: int, noun: str) -> Agency:
    agency = session.get(Agency, agency_id) if 0 < agency_id < 2**31 else None
    if agency is None:
        raise NotFoundError("没有这个机关。")
    if not in_scope(actor, agency.id):
        raise ForbiddenError(f"您不能为{agency.name}维护{noun}。")
    return agency


def record_audit(session: Session, action: AuditAction, *, actor: User | None,
                 origin: Origin, object_type: str, object_id: int, detail: str) -> None:
    """An audit entry; one without a staff account is the command line's."""
    audit.record(session, action, actor=actor, origin=origin, object_type=object_type,
                 object_id=object_id, detail=detail,
                 username=None if actor is not None else audit.COMMAND_LINE_USERNAME)


# --- revisions ---------------------------------------------------------------------------


def revisions(session: Session, book: RecordBook[R, V, E], record: R) -> Sequence[V]:
    """Every revision of ``record``, oldest first."""
    return session.scalars(select(book.revision).where(book.revision.record_id == record.id)
                           .order_by(book.revision.number)).all()


def live_revision(session: Session, book: RecordBook[R, V, E], record: R) -> V | None:
    """The revision the public sees (or saw, before a withdrawal)."""
    if record.live_number is None:
        return None
    return session.scalars(select(book.revision).where(
        book.revision.record_id == record.id,
        book.revision.number == record.live_number)).one_or_none()


def open_revision(session: Session, book: RecordBook[R, V, E], record: R, *,
                  fresh: bool = False) -> V | None:
    """The revision being written or reviewed, if any (at most one per record)."""
    query = select(book.revision).where(
        book.revision.record_id == record.id,
        book.revision.status.in_([status.value for status in workflow.OPEN_STATUSES]))
    if fresh:
        query = query.execution_options(populate_existing=True)
    return session.scalars(query).one_or_none()


def published_revisions(session: Session, book: RecordBook[R, V, E], record: R) -> list[V]:
    return [revision for revision in revisions(session, book, record)
            if revision.status in workflow.PUBLISHED_STATUSES]


def events(session: Session, book: RecordBook[R, V, E], record: R) -> Sequence[E]:
    return session.scalars(select(book.event).where(book.event.record_id == record.id)
                           .order_by(book.event.at, book.event.id)).all()


def is_author(revision: RevisionColumns, user: User) -> bool:
    """Wrote or last edited it: such a person may not review it."""
    return user.id in {revision.author_id, revision.last_editor_id}


def _next_number(session: Session, book: RecordBook[R, V, E], record: R) -> int:
    highest = session.scalar(select(func.max(book.revision.number)).where(
        book.revision.record_id == record.id))
    return int(highest or 0) + 1


def create_record(session: Session, book: RecordBook[R, V, E], *, agency: Agency, code: str,
                  content: dict[str, Any], actor: User | None, origin: Origin,
                  note: str = "", **columns: Any) -> tuple[R, V]:
    """A new, unpublished record with its first revision as a draft."""
    if session.scalar(select(func.count()).select_from(book.record)
                      .where(book.record.code == code)):
        raise ConflictError(f"编码“{code}”已被另一个{book.noun}使用。")
    record = book.record(agency_id=agency.id, code=code, name=book.name_of(content)[:200],
                         state=PublicState.UNPUBLISHED, **columns)
    session.add(record)
    session.flush()
    revision = book.revision(record_id=record.id, number=1, status=RevisionStatus.DRAFT,
                             content=content, note=note, lock_version=1,
                             author_id=actor.id if actor else None,
                             last_editor_id=actor.id if actor else None)
    session.add(revision)
    _event(session, book, record, revision, "create", "", RevisionStatus.DRAFT, actor, "")
    record_audit(session, AuditAction.CREATE, actor=actor, origin=origin,
                 object_type=book.kind, object_id=record.id, detail=f"{code} {record.name}"[:200])
    session.flush()
    return record, revision


def save_draft(session: Session, book: RecordBook[R, V, E], record: R, *,
               content: dict[str, Any], actor: User | None, origin: Origin,
               expected_version: int | None, note: str = "") -> V:
    """Save ``content`` as the record's draft: into its open draft (when nobody saved it
    since ``expected_version``; None skips the check, for imports) or, when none is open,
    into a new draft started from the public version. :class:`WorkflowError` when the open
    revision is in review: it must be recalled or returned first."""
    revision = open_revision(session, book, record, fresh=True)
    if revision is None:
        revision = book.revision(record_id=record.id,
                                 number=_next_number(session, book, record),
                                 status=RevisionStatus.DRAFT, content=content, note=note,
                                 lock_version=1, author_id=actor.id if actor else None,
                                 last_editor_id=actor.id if actor else None)
        session.add(revision)
        session.flush()
        _event(session, book, record, revision, "create", "", RevisionStatus.DRAFT, actor, "")
    else:
        if revision.status not in workflow.EDITABLE:
            raise WorkflowError(
                f"该{book.noun}的修订“{workflow.STATUS_LABELS[revision.status]}”，不能修改："
                "请先撤回修改，或由审核人员退回。")
        if expected_version is not None and revision.lock_version != expected_version:
            raise EditConflictError(revision.last_editor)
        revision.content = content
        revision.note = note
        revision.lock_version += 1
        revision.last_editor_id = actor.id if actor else None
        revision.updated_at = clock.utcnow()
    if record.state == PublicState.UNPUBLISHED:
        record.name = book.name_of(content)[:200]
    record.updated_at = clock.utcnow()
    record_audit(session, AuditAction.EDIT, actor=actor, origin=origin, object_type=book.kind,
                 object_id=record.id,
                 detail=f"{record.code} 第{revision.number}版草稿"[:200])
    return revision


def transition(session: Session, book: RecordBook[R, V, E], record: R, action: Action | str,
               *, actor: User, origin: Origin, opinion: str = "",
               today: dt.date | None = None) -> workflow.Transition:
    """Take ``action`` on the record's open revision; :class:`WorkflowError` when it is not
    allowed. Publishing makes the revision the public version and the previous one history."""
    revision = open_revision(session, book, record, fresh=True)
    if revision is None:
        raise WorkflowError(f"该{book.noun}没有正在修改的版本。")
    step = workflow.check(action, revision.status, roles=actor.roles,
                          is_author=is_author(revision, actor), opinion=opinion,
                          noun=book.noun)
    now = clock.utcnow()
    before = revision.status
    if step.action == Action.SUBMIT:
        revision.submitted_at = now
    elif step.action in {Action.RETURN, Action.APPROVE}:
        revision.reviewer_id = actor.id
        revision.reviewed_at = now
        revision.review_opinion = opinion.strip()
    elif step.action == Action.PUBLISH:
        _publish(session, book, record, revision, actor, today or clock.today(), now)
    if step.target is None:  # discarded draft
        _event(session, book, record, revision, step.action.value, before.value, None, actor,
               opinion)
        session.delete(revision)
    else:
        revision.status = step.target
        revision.updated_at = now
        _event(session, book, record, revision, step.action.value, before.value, step.target,
               actor, opinion)
    record.updated_at = now
    record_audit(session, AuditAction.TRANSITION, actor=actor, origin=origin,
                 object_type=book.kind, object_id=record.id,
                 detail=(f"{record.code} 第{revision.number}版：{step.label}"
                         + (f"；意见：{opinion.strip()[:150]}" if opinion.strip() else ""))[:300])
    return step


def _publish(session: Session, book: RecordBook[R, V, E], record: R, revision: V,
             actor: User | None, today: dt.date, now: dt.datetime) -> None:
    previous = live_revision(session, book, record)
    if previous is not None and previous.id != revision.id:
        previous.status = RevisionStatus.SUPERSEDED
    revision.published_at = now
    revision.published_by_id = actor.id if actor else None
    record.live_number = revision.number
    record.state = PublicState.PUBLISHED
    record.withdrawn_reason = ""
    record.published_on = today
    record.first_published_on = record.first_published_on or today
    record.name = book.name_of(revision.content)[:200]
    book.publish_columns(session, record, revision.content)
    search_sources.enqueue(session, book.kind, record.id)


def publish_directly(session: Session, book: RecordBook[R, V, E], record: R, revision: V, *,
                     origin: Origin, today: dt.date | None = None) -> None:
    """Publish ``revision`` without review: only for content the operator imports from the
    site's own ``content/`` files (the command line), never for staff."""
    before = revision.status
    now = clock.utcnow()
    _publish(session, book, record, revision, None, today or clock.today(), now)
    revision.status = RevisionStatus.PUBLISHED
    _event(session, book, record, revision, Action.PUBLISH.value, before.value,
           RevisionStatus.PUBLISHED, None, "由 content/ 导入发布")
    record_audit(session, AuditAction.TRANSITION, actor=None, origin=origin,
                 object_type=book.kind, object_id=record.id,
                 detail=f"{record.code} 第{revision.number}版：导入发布")


def withdraw(session: Session, book: RecordBook[R, V, E], record: R, *, actor: User,
             origin: Origin, reason: str) -> None:
    """Take a published record off the site (取消、调整); it comes back when a new
    revision is published."""
    if not workflow.may_withdraw(actor.roles):
        raise WorkflowError("您没有撤下的权限。")
    if record.state != PublicState.PUBLISHED:
        raise WorkflowError(f"只有已发布的{book.noun}可以撤下。")
    if not reason.strip():
        raise WorkflowError("撤下必须说明理由。")
    record.state = PublicState.WITHDRAWN
    record.withdrawn_reason = reason.strip()
    record.updated_at = clock.utcnow()
    live = live_revision(session, book, record)
    if live is not None:
        _event(session, book, record, live, "withdraw", "published", None, actor, reason)
    search_sources.enqueue(session, book.kind, record.id)
    record_audit(session, AuditAction.TRANSITION, actor=actor, origin=origin,
                 object_type=book.kind, object_id=record.id,
                 detail=f"{record.code} 撤下；理由：{reason.strip()[:150]}")


def _event(session: Session, book: RecordBook[R, V, E], record: R, revision: RevisionColumns,
           action: str, before: str, after: RevisionStatus | None, actor: User | None,
           opinion: str) -> None:
    session.add(book.event(record_id=record.id, revision_number=revision.number,
                           action=action, from_status=before,
                           to_status=after.value if after is not None else "",
                           actor_id=actor.id if actor else None, opinion=opinion.strip()))


# --- differences ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "add", "del", "hunk" or "same"
    text: str


def diff(book: RecordBook[R, V, E], old: RevisionColumns,
         new: RevisionColumns) -> list[DiffLine]:
    """A unified diff of two revisions' contents, field by field."""
    lines: list[DiffLine] = []
    for line in difflib.unified_diff(book.describe(old.content), book.describe(new.content),
                                     lineterm="", n=2):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            lines.append(DiffLine("hunk", "……"))
        elif line.startswith("+"):
            lines.append(DiffLine("add", line[1:]))
        elif line.startswith("-"):
            lines.append(DiffLine("del", line[1:]))
        else:
            lines.append(DiffLine("same", line[1:]))
    return lines
