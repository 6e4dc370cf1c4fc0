"""Entry functions of complaint handling by staff: the queue with its warnings, the case page,
every step, complaints received on paper or by phone, and the requests a complaint concerns.

Scope: the 主管部门's staff (and site-wide staff) see and handle every complaint; the staff of
any other agency see only the complaints about their own agency, without the complainant's
name or contact (a complainant is protected from the agency complained about), and may only
explain their agency's side when asked. A complaint outside the actor's scope is answered as
one that does not exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from opengov.site import clock
from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.agencies import service as agencies
from opengov.site.complaints.models import Complaint
from opengov.site.complaints.rules import (
    OPEN_STAGES,
    Channel,
    ComplaintState,
    Stage,
    Step,
    TransitionError,
    allowed_steps,
)
from opengov.site.complaints.service import filing, notifications
from opengov.site.complaints.service.filing import Complainant, ComplaintInput
from opengov.site.complaints.service.public import Filed
from opengov.site.db import get_session, unit_of_work
from opengov.site.exceptions import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
)
from opengov.site.requests.models import InfoRequest
from opengov.site.requests.service import handling as requests
from opengov.site.workdays import service as work_calendar
from opengov.site.workdays.rules import CalendarFreshness, check_freshness

#: The queue's filter for complaints not yet answered or withdrawn.
UNFINISHED = "open"
QUEUE_LIMIT = 500
#: Working days before a due date from which the queue warns (as for requests).
WARNING_DAYS = 5
CONCURRENT_CHANGE = "该投诉举报刚被他人办理，请核对后重试。"


def _require_handler(actor: User) -> None:
    if not actor.has_role(Role.HANDLER):
        raise ForbiddenError("您没有办理投诉举报的权限。")


def _visible(session: Session, actor: User, query: Select[Any]) -> Select[Any]:
    if filing.is_competent(session, actor):
        return query
    return query.where(Complaint.agency_id == actor.agency_id)


def _visible_complaint(session: Session, actor: User, number: str) -> Complaint:
    found: Complaint | None = session.scalars(_visible(session, actor, select(Complaint).where(
        Complaint.number == number.strip().upper()))).one_or_none()
    if found is None:
        raise NotFoundError("没有这件投诉举报")
    return found


# --- the queue --------------------------------------------------------------------------


@dataclass(frozen=True)
class DueWarning:
    complaint: Complaint
    #: Working days from today to the due date (0 = due today, negative = overdue).
    days_left: int


@dataclass(frozen=True)
class Queue:
    rows: list[Complaint]
    #: complaint id → green / yellow / red / none (closed)
    colours: dict[int, str]
    warnings: list[DueWarning]
    freshness: CalendarFreshness
    today: dt.date
    competent: bool


def queue(actor: User, stage: str = UNFINISHED) -> Queue:
    """Complaints in the actor's scope by due date, soonest first, with the warnings of those
    due within :data:`WARNING_DAYS` working days or overdue."""
    _require_handler(actor)
    session = get_session()
    today = clock.today()
    calendar = work_calendar.load_calendar(session)
    query = select(Complaint).order_by(Complaint.due_on.is_(None), Complaint.due_on,
                                       Complaint.id)
    if stage == UNFINISHED:
        query = query.where(Complaint.stage.in_([s.value for s in OPEN_STAGES]))
    elif stage in {s.value for s in Stage}:
        query = query.where(Complaint.stage == stage)
    rows = list(session.scalars(_visible(session, actor, query).limit(QUEUE_LIMIT)
                                .options(selectinload(Complaint.agency),
                                         selectinload(Complaint.handler))))
    open_values = {s.value for s in OPEN_STAGES}
    colours: dict[int, str] = {}
    warnings: list[DueWarning] = []
    for row in rows:
        if row.stage not in open_values or row.due_on is None:
            colours[row.id] = "none"
            continue
        colours[row.id] = requests.deadline_colour(calendar, today, row.due_on)
        left = requests.workdays_left(calendar, today, row.due_on)
        if left <= WARNING_DAYS:
            warnings.append(DueWarning(row, left))
    warnings.sort(key=lambda warning: (warning.days_left, warning.complaint.number))
    return Queue(rows, colours, warnings, check_freshness(today, calendar), today,
                 filing.is_competent(session, actor))


# --- the case page ----------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    complaint: Complaint
    state: ComplaintState
    allowed: list[Step]
    #: Decrypted name and contact: for the 主管部门 only, None for anyone else.
    complainant: Complainant | None
    #: Who may be assigned (the 主管部门's handlers).
    handlers: list[User]
    competent: bool
    today: dt.date


def case(actor: User, number: str) -> Case:
    _require_handler(actor)
    session = get_session()
    found = _visible_complaint(session, actor, number)
    competent = filing.is_competent(session, actor)
    state = filing.state_of(session, found)
    return Case(found, state, allowed_steps(state, competent_office=competent),
                filing.personal_data(found) if competent and found.anonymised_at is None
                else None,
                notifications.office_handlers(session) if competent else [], competent,
                clock.today())


# --- steps ------------------------------------------------------------------------------


def record_step(actor: User, number: str, step: Step, on: dt.date,
                data: Mapping[str, Any] | None = None) -> ComplaintState:
    """Record one step; the complainant is mailed the answer, the agency complained about is
    mailed a request to explain, once the step is committed.

    Refusals: :class:`NotFoundError` outside the actor's scope, :class:`ForbiddenError` for a
    step the actor's office does not take, :class:`InvalidInputError`, :class:`ConflictError`
    (not allowed now, or recorded by someone else at the same moment)."""
    _require_handler(actor)
    if on > clock.today():
        raise InvalidInputError("日期不能晚于今天。")
    try:
        with unit_of_work() as session:
            found = _visible_complaint(session, actor, number)
            competent = filing.is_competent(session, actor)
            state = filing.state_of(session, found)
            if step not in allowed_steps(state, competent_office=competent):
                if not competent:
                    raise ForbiddenError("被投诉机关只能在被要求时说明情况；投诉举报由政府信息公开"
                                         "工作主管部门办理。")
                raise ConflictError(f"当前状态（{state.stage}）不能{step.label}。")
            details = _details(session, found, step, dict(data or {}))
            state = filing.record(session, found, step, on, details, actor=actor)
    except TransitionError as exc:
        raise ConflictError(str(exc)) from exc
    except IntegrityError as exc:
        raise ConflictError(CONCURRENT_CHANGE) from exc
    _after_step(found, step, details)
    return state


def _details(session: Session, found: Complaint, step: Step,
             data: dict[str, Any]) -> dict[str, Any]:
    if step is Step.ASSIGNED:
        handler_id = data.get("handler_id")
        handler = next((user for user in notifications.office_handlers(session)
                        if user.id == handler_id), None)
        if handler is None:
            raise InvalidInputError("请从列表中选择承办人。")
        return {"handler": handler.display_name, "handler_id": handler.id}
    if step is Step.EXPLANATION_REQUESTED:
        return {"note": str(data.get("note", "")).strip()}
    if step is Step.EXPLAINED:
        return {"text": str(data.get("text", "")).strip()}
    if step is Step.ANSWERED:
        return {"finding": str(data.get("finding", "")),
                "measures": [str(value) for value in data.get("measures", ())],
                "answer": str(data.get("answer", "")).strip()}
    return data


def _after_step(found: Complaint, step: Step, details: Mapping[str, Any]) -> None:
    session = get_session()
    if step is Step.ANSWERED:
        notifications.notify_complainant(session, found, "answered")
    elif step is Step.EXPLANATION_REQUESTED:
        notifications.notify_staff(requests.handlers_of(session, found.agency), found,
                                   "请说明被投诉举报的情况", note=str(details.get("note", "")))
    elif step is Step.EXPLAINED:
        assigned = [found.handler] if found.handler else notifications.office_handlers(session)
        notifications.notify_staff(assigned, found, "被投诉机关已说明情况")


# --- complaints received otherwise ------------------------------------------------------


def enter_complaint(actor: User, data: ComplaintInput, channel: Channel,
                    received_on: dt.date) -> Filed:
    """Register a complaint received by letter, in person, by phone or forwarded: the
    主管部门's staff only."""
    _require_handler(actor)
    if channel is Channel.ONLINE:
        raise InvalidInputError("网上投诉举报由投诉人自行提交。")
    if received_on > clock.today():
        raise InvalidInputError("收到日期不能晚于今天。")
    with unit_of_work() as session:
        if not filing.is_competent(session, actor):
            raise ForbiddenError("投诉举报由政府信息公开工作主管部门登记。")
        complaint, code = filing.file_complaint(session, agencies.get_agency(data.agency_id),
                                                data, channel, received_on, entered_by=actor)
    notifications.notify_complainant(get_session(), complaint, "received")
    return Filed(complaint, code)


# --- linked requests --------------------------------------------------------------------


def link_request(actor: User, number: str, request_number: str) -> InfoRequest:
    """Link the 依申请公开 request ``request_number`` (of any agency) to the complaint."""
    _require_handler(actor)
    with unit_of_work() as session:
        found = _visible_complaint(session, actor, number)
        if not filing.is_competent(session, actor):
            raise ForbiddenError("关联申请由政府信息公开工作主管部门办理。")
        target = requests.find_by_number(session, request_number)
        if target is None:
            raise InvalidInputError(f"没有编号为“{request_number.strip()[:30]}”的申请。")
        if target not in found.requests:
            found.requests.append(target)
        return target


def unlink_request(actor: User, number: str, request_id: int) -> None:
    _require_handler(actor)
    with unit_of_work() as session:
        found = _visible_complaint(session, actor, number)
        if not filing.is_competent(session, actor):
            raise ForbiddenError("关联申请由政府信息公开工作主管部门办理。")
        found.requests = [linked for linked in found.requests if linked.id != request_id]
