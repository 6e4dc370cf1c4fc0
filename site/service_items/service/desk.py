"""The staff desk of a kind of revisioned record: lists, the review queue, one record's page,
workflow steps, withdrawal and version comparison — entry functions shared by service items
and powers, each given the kind's :class:`~.revisions.RecordBook`.

They take the acting person and decide what that person may see and do: a department's
editors and reviewers see their own agency's records only (administrators and site-wide staff
every agency's), and nobody reviews a version they wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.audit.service import Origin
from opengov.site.db import get_session, unit_of_work
from opengov.site.exceptions import ForbiddenError
from opengov.site.service_items.models import EventColumns, RecordColumns, RevisionColumns
from opengov.site.service_items.rules import workflow
from opengov.site.service_items.rules.workflow import Action, PublicState, RevisionStatus
from opengov.site.service_items.service import revisions
from opengov.site.service_items.service.revisions import DiffLine, RecordBook

R = TypeVar("R", bound=RecordColumns)
V = TypeVar("V", bound=RevisionColumns)
E = TypeVar("E", bound=EventColumns)
C = TypeVar("C")

#: How many records a staff list shows.
LIST_LIMIT = 500

#: The staff list's filters: key → label.
LIST_FILTERS: dict[str, str] = {
    "": "全部",
    "draft": "有草稿",
    "submitted": "待审核",
    "approved": "待发布",
    "published": "已发布",
    "unpublished": "未发布",
    "withdrawn": "已撤下",
}


@dataclass(frozen=True)
class StaffRow(Generic[R, V]):
    record: R
    #: The revision being written or reviewed, if any.
    open: V | None


def staff_rows(book: RecordBook[R, V, E], actor: User,
               status: str = "") -> list[StaffRow[R, V]]:
    """The records of ``actor``'s agency (every agency's for site-wide staff), filtered by
    one of :data:`LIST_FILTERS`, by agency and code."""
    revisions.require_staff(actor, book.noun)
    session = get_session()
    query = (select(book.record).order_by(book.record.agency_id, book.record.code)
             .limit(LIST_LIMIT).options(selectinload(book.record.agency)))
    if not revisions.sees_every_agency(actor):
        query = query.where(book.record.agency_id == actor.agency_id)
    if status in {state.value for state in PublicState}:
        query = query.where(book.record.state == PublicState(status))
    records = list(session.scalars(query))
    open_revisions = {revision.record_id: revision for revision in session.scalars(
        select(book.revision).where(
            book.revision.record_id.in_([record.id for record in records]),
            book.revision.status.in_([s.value for s in workflow.OPEN_STATUSES])))}
    rows = [StaffRow(record, open_revisions.get(record.id)) for record in records]
    if status in {RevisionStatus.DRAFT, RevisionStatus.SUBMITTED, RevisionStatus.APPROVED}:
        rows = [row for row in rows if row.open is not None and row.open.status == status]
    return rows


def review_queue(book: RecordBook[R, V, E], actor: User) -> list[StaffRow[R, V]]:
    """Versions waiting for review in ``actor``'s agency, oldest submission first."""
    if not actor.has_role(Role.REVIEWER):
        raise ForbiddenError("您没有审核的权限。")
    rows = staff_rows(book, actor, RevisionStatus.SUBMITTED.value)
    return sorted(rows, key=lambda row: (row.open.submitted_at if row.open and
                                         row.open.submitted_at else row.record.updated_at))


@dataclass(frozen=True)
class RecordDetail(Generic[R, V, E, C]):
    """A record's back-office page: its public version, the version in the works with what
    it changes, the steps the person may take, the trail and the history."""

    record: R
    live: V | None
    live_content: C | None
    open: V | None
    open_content: C | None
    changes: list[DiffLine]
    actions: list[workflow.Transition]
    may_withdraw: bool
    editable: bool
    events: list[E]
    versions: list[V]


def record_detail(book: RecordBook[R, V, E], actor: User, record_id: int,
                  read: Callable[[dict[str, Any]], C]) -> RecordDetail[R, V, E, C]:
    """The page of a record of ``actor``'s agency; ``read`` turns a content into the kind's
    dataclass."""
    revisions.require_staff(actor, book.noun)
    session = get_session()
    record = revisions.scoped_record(session, book, actor, record_id)
    live = revisions.live_revision(session, book, record)
    draft = revisions.open_revision(session, book, record)
    actions = (workflow.available(draft.status, roles=actor.roles,
                                  is_author=revisions.is_author(draft, actor))
               if draft is not None else [])
    return RecordDetail(
        record=record, live=live, live_content=read(live.content) if live else None,
        open=draft, open_content=read(draft.content) if draft else None,
        changes=revisions.diff(book, live, draft) if live is not None and draft else [],
        actions=actions,
        may_withdraw=(record.state == PublicState.PUBLISHED
                      and workflow.may_withdraw(actor.roles)),
        editable=actor.has_role(Role.EDITOR) and (draft is None
                                                  or draft.status in workflow.EDITABLE),
        events=list(revisions.events(session, book, record)),
        versions=revisions.published_revisions(session, book, record))


def take_action(book: RecordBook[R, V, E], actor: User, record_id: int, action: Action | str,
                *, opinion: str, origin: Origin) -> workflow.Transition:
    """A workflow step on the open version of a record of ``actor``'s agency."""
    revisions.require_staff(actor, book.noun)
    with unit_of_work() as session:
        record = revisions.scoped_record(session, book, actor, record_id, fresh=True)
        return revisions.transition(session, book, record, action, actor=actor,
                                    origin=origin, opinion=opinion)


def withdraw(book: RecordBook[R, V, E], actor: User, record_id: int, *, reason: str,
             origin: Origin) -> None:
    """Take a published record off the site, with the reason."""
    revisions.require_staff(actor, book.noun)
    with unit_of_work() as session:
        record = revisions.scoped_record(session, book, actor, record_id, fresh=True)
        revisions.withdraw(session, book, record, actor=actor, origin=origin, reason=reason)


@dataclass(frozen=True)
class VersionComparison(Generic[R, V]):
    record: R
    versions: list[V]
    old: V | None
    new: V | None
    lines: list[DiffLine]


def compare_versions(book: RecordBook[R, V, E], actor: User, record_id: int,
                     old_number: int | None = None,
                     new_number: int | None = None) -> VersionComparison[R, V]:
    """Two revisions of a record (by default the last two) and their differences."""
    revisions.require_staff(actor, book.noun)
    session = get_session()
    record = revisions.scoped_record(session, book, actor, record_id)
    every = list(revisions.revisions(session, book, record))
    by_number = {revision.number: revision for revision in every}
    newest = every[-1].number if every else 0
    old = by_number.get(old_number if old_number is not None else newest - 1)
    new = by_number.get(new_number if new_number is not None else newest)
    return VersionComparison(record, every, old, new,
                             revisions.diff(book, old, new) if old and new else [])


@dataclass(frozen=True)
class Draft(Generic[R, V]):
    """What an editor opens: the record (None for a new one) and the revision to start from
    (its draft, else its public version)."""

    record: R | None
    source: V | None
    #: The draft's optimistic version; 0 when saving starts a new draft.
    lock_version: int
    note: str


def open_draft(book: RecordBook[R, V, E], actor: User, record_id: int | None) -> Draft[R, V]:
    """The editor of a new record or of the next version of a record of ``actor``'s agency;
    :class:`~opengov.site.exceptions.ConflictError` while a version of it is in review."""
    if not actor.has_role(Role.EDITOR):
        raise ForbiddenError(f"您没有编写{book.noun}的权限。")
    if record_id is None:
        return Draft(None, None, 0, "")
    session = get_session()
    record = revisions.scoped_record(session, book, actor, record_id)
    draft = revisions.open_revision(session, book, record)
    if draft is not None and draft.status not in workflow.EDITABLE:
        raise workflow.WorkflowError(
            f"该{book.noun}的新版本“{workflow.STATUS_LABELS[draft.status]}”，"
            "请先撤回修改或等待审核结果。")
    source = draft or revisions.live_revision(session, book, record)
    return Draft(record, source, draft.lock_version if draft else 0,
                 draft.note if draft else "")


def create(book: RecordBook[R, V, E], actor: User, *, agency_id: int, code: str,
           content: dict[str, Any], note: str, origin: Origin, **columns: Any) -> int:
    """A new record of ``agency_id`` with ``content`` as its first draft; returns its id."""
    if not actor.has_role(Role.EDITOR):
        raise ForbiddenError(f"您没有编写{book.noun}的权限。")
    with unit_of_work() as session:
        agency = revisions.scoped_agency(session, actor, agency_id, book.noun)
        record, _revision = revisions.create_record(
            session, book, agency=agency, code=code.strip(), content=content, actor=actor,
            origin=origin, note=note, **columns)
        return record.id


def save(book: RecordBook[R, V, E], actor: User, record_id: int, *, content: dict[str, Any],
         note: str, expected_version: int, origin: Origin,
         check: Callable[[Any, R], None] | None = None) -> int:
    """Save the next version of a record as a draft; returns its number.
    :class:`~.revisions.EditConflictError` when someone saved the draft (or started one)
    since the form was opened. ``check(session, record)`` may refuse what the content names."""
    if not actor.has_role(Role.EDITOR):
        raise ForbiddenError(f"您没有编写{book.noun}的权限。")
    with unit_of_work() as session:
        record = revisions.scoped_record(session, book, actor, record_id, fresh=True)
        if check is not None:
            check(session, record)
        revision = revisions.save_draft(
            session, book, record, content=content, actor=actor, origin=origin,
            expected_version=expected_version or None, note=note)
        if expected_version == 0 and revision.lock_version != 1:
            # The form started a new draft, but one was started meanwhile.
            raise revisions.EditConflictError(revision.last_editor)
        return revision.number
