"""Entry functions of request handling by staff: the queue, paper requests, the case page,
every step, transfers and letters.

Scope: a handler of an agency (``actor.agency_id`` set) sees and handles that agency's
requests only; site-wide staff see all. A request outside the actor's scope is answered as one
that does not exist. Which step issues which letter and notice is :mod:`.steps`' policy.
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
from opengov.site.agencies import service as agencies
from opengov.site.agencies.models import Agency
from opengov.site.audit import service as audit
from opengov.site.audit.service import AuditAction, Origin
from opengov.site.db import get_session, unit_of_work
from opengov.site.exceptions import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
)
from opengov.site.requests.models import InfoRequest, ProactiveCandidate, RequestLetter
from opengov.site.requests.rules.clock import (
    CLOSED_STAGES,
    Channel,
    EventKind,
    RequestState,
    Stage,
    TransitionError,
    allowed_kinds,
)
from opengov.site.requests.service import delivery, handling, proactive, signing, steps
from opengov.site.requests.service.letters import LetterPdf, letter_pdf
from opengov.site.requests.service.public import NO_SUCH_REQUEST, Filed
from opengov.site.search.service import search
from opengov.site.workdays import service as work_calendar
from opengov.site.workdays.rules import CalendarFreshness, check_freshness

#: The queue's filter that shows every request not yet closed (未办结).
UNFINISHED = "open"
#: Most rows the queue lists at once.
QUEUE_LIMIT = 500
#: Related documents of the site shown on the case page.
RELATED_DOCUMENTS = 10
CONCURRENT_CHANGE = "该申请刚被他人办理，请核对后重试。"


# --- scope ------------------------------------------------------------------------------


def _visible(actor: User, query: Select[Any]) -> Select[Any]:
    """Handlers of an agency see its requests only; site-wide staff see all."""
    if actor.agency_id is not None:
        return query.where(InfoRequest.agency_id == actor.agency_id)
    return query


def _visible_request(session: Session, actor: User, number: str) -> InfoRequest:
    found: InfoRequest | None = session.scalars(
        _visible(actor, select(InfoRequest).where(InfoRequest.number == number))).one_or_none()
    if found is None:
        raise NotFoundError(NO_SUCH_REQUEST)
    return found


# --- the queue --------------------------------------------------------------------------


@dataclass(frozen=True)
class Queue:
    """The handler's list: requests with their deadline colour, and the reminders."""

    rows: list[InfoRequest]
    #: request id → green / yellow / red / none (closed, or no deadline yet)
    colours: dict[int, str]
    #: request id → the applicant's name and ID number's last characters, decrypted
    applicants: dict[int, handling.ApplicantLabel]
    reminders: list[handling.Reminder]
    freshness: CalendarFreshness
    today: dt.date


def queue(actor: User, stage: str = UNFINISHED) -> Queue:
    """Requests in the actor's scope by deadline, soonest first: the unfinished ones, those
    of one stage, or any other ``stage`` (e.g. ``all``) for every request."""
    session = get_session()
    today = clock.today()
    calendar = work_calendar.load_calendar(session)
    query = select(InfoRequest).order_by(InfoRequest.due_on.is_(None), InfoRequest.due_on,
                                         InfoRequest.id)
    if stage == UNFINISHED:
        query = query.where(InfoRequest.stage.in_([s.value for s in handling.UNFINISHED_STAGES]))
    elif stage in {s.value for s in Stage}:
        query = query.where(InfoRequest.stage == stage)
    rows = list(session.scalars(_visible(actor, query).limit(QUEUE_LIMIT).options(
        selectinload(InfoRequest.agency), selectinload(InfoRequest.handler))))
    closed = {s.value for s in CLOSED_STAGES}
    colours = {row.id: "none" if row.stage in closed
               else handling.deadline_colour(calendar, today, row.due_on) for row in rows}
    return Queue(rows, colours, handling.applicant_labels(rows),
                 handling.reminders(session, today, agency_id=actor.agency_id),
                 check_freshness(today, calendar), today)


# --- paper requests ---------------------------------------------------------------------


def enter_request(actor: User, agency_id: int, application: handling.Application,
                  channel: Channel, received_on: dt.date,
                  confirmed_on: dt.date | None = None) -> Filed:
    """Register a request received in person, by post, by fax or orally (Art. 31). The
    confirmation date counts only for channels that need one; the applicant's notice is
    queued once the receipt date is fixed."""
    if actor.agency_id not in (None, agency_id):
        raise ForbiddenError("只能登记本机关收到的申请")
    if channel in (Channel.ONLINE, Channel.TRANSFER):
        raise InvalidInputError("网上申请和转送申请不由工作人员登记")
    with unit_of_work() as session:
        filed, code = handling.file_request(
            session, agencies.get_agency(agency_id), application, channel, received_on,
            confirmed_on=confirmed_on, entered_by=actor, refuse_duplicates=False)
        steps.queue_filing_notice(session, filed)
    return Filed(filed, code)


# --- the case page ----------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """Everything the handler's page of one request shows."""

    request: InfoRequest
    state: RequestState
    #: The steps the law allows next (the page's buttons).
    allowed: list[EventKind]
    #: Decrypted contact details; None once anonymised.
    personal: handling.PersonalData | None
    documents: search.SearchOutcome
    #: The applicant's requests in this one's month, for the 按件计收 counter.
    month_items: int
    #: Who may be assigned (the agency's handlers and site-wide ones).
    handlers: list[User]
    #: The other agencies of the site the request may be forwarded to (Art. 36(五)).
    transfer_targets: list[Agency]
    today: dt.date
    #: Art. 44 candidates this request is marked for.
    proactive: list[ProactiveCandidate]
    #: Who recorded the decision awaiting sign-off, and whether they may sign it too.
    decided_by: User | None
    decider_may_sign: bool
    #: Released files may still be attached or removed (before sign-off).
    can_attach: bool

    @property
    def outcome_label(self) -> str:
        return self.state.outcome.label if self.state.outcome else ""


def case(actor: User, number: str) -> Case:
    """The request ``number`` as its handler sees it."""
    session = get_session()
    found = _visible_request(session, actor, number)
    state = handling.state_of(session, found)
    personal = handling.personal_data(found) if found.anonymised_at is None else None
    documents = search.related_documents(handling.document_query(found), size=RELATED_DOCUMENTS)
    decision = steps.latest_decision(found)
    return Case(found, state, allowed_kinds(state), personal, documents,
                handling.items_in_month(session, found),
                handling.handlers_of(session, found.agency),
                [agency for agency in agencies.all_agencies() if agency.id != found.agency_id],
                clock.today(), proactive.candidates_of_request(found.id),
                decision.actor if decision is not None else None,
                signing.decider_may_sign(session, found.agency_id),
                found.stage in delivery.ATTACHABLE_STAGES)


# --- steps ------------------------------------------------------------------------------


def record_step(actor: User, number: str, kind: EventKind, on: dt.date,
                data: Mapping[str, Any] | None = None, *, note: str = "") -> steps.Recorded:
    """Record one step of the request, issue its letter and queue its notice.

    ``data`` are the step's details as typed; the service adds who did it: the assigned
    handler's name (``handler_id`` must be one of :attr:`Case.handlers`) and, on sign-off,
    the signer (the actor). Refusals: :class:`NotFoundError` outside the actor's scope,
    :class:`InvalidInputError`, :class:`ConflictError` (the law does not allow the step now,
    or someone else recorded a step at the same moment).
    """
    try:
        with unit_of_work() as session:
            found = _visible_request(session, actor, number)
            details = _with_actors(session, actor, found, kind, dict(data or {}))
            recorded = steps.take_step(session, found, kind, on, details, actor=actor,
                                       note=note)
    except TransitionError as exc:
        raise ConflictError(str(exc)) from exc
    except IntegrityError as exc:  # the same seq recorded by another handler meanwhile
        raise ConflictError(CONCURRENT_CHANGE) from exc
    return recorded


def _with_actors(session: Session, actor: User, found: InfoRequest, kind: EventKind,
                 data: dict[str, Any]) -> dict[str, Any]:
    if kind is EventKind.ASSIGNED:
        handler_id = data.get("handler_id")
        handler = None
        if handler_id is not None:
            handler = next((user for user in handling.handlers_of(session, found.agency)
                            if user.id == handler_id), None)
            if handler is None:
                raise InvalidInputError("请从列表中选择承办人。")
        return {"handler": handler.display_name if handler else "",
                "handler_id": handler.id if handler else None}
    if kind is EventKind.SIGNED_OFF:
        return {**data, "signer": actor.display_name}
    return data


def transfer(actor: User, number: str, target_agency_id: int, on: dt.date) -> InfoRequest:
    """Answer under Art. 36(五) and forward the request to another agency of the site;
    returns the new request of that agency."""
    try:
        with unit_of_work() as session:
            found = _visible_request(session, actor, number)
            try:
                target = agencies.get_agency(target_agency_id)
            except NotFoundError as exc:
                raise InvalidInputError("请选择转送机关。") from exc
            return handling.transfer(session, found, target, on, actor)
    except TransitionError as exc:
        raise ConflictError(str(exc)) from exc


def reissue_query_code(actor: User, number: str, *, origin: Origin) -> str:
    """A new query code for an applicant who lost theirs, after the handler verified who is
    asking (by phone or in person); shown once to the handler, the old one stops working."""
    with unit_of_work() as session:
        found = _visible_request(session, actor, number)
        code = handling.replace_query_code(session, found)
        audit.record(session, AuditAction.EDIT, actor=actor, origin=origin,
                     object_type="info_request", object_id=found.id,
                     detail=f"申请 {found.number}：重新生成查询码")
    return code


# --- letters ----------------------------------------------------------------------------


def staff_letter(actor: User, letter_id: int) -> RequestLetter:
    """A letter of a request in the actor's scope."""
    letter = get_session().get(RequestLetter, letter_id) if 0 < letter_id < 2**31 else None
    if letter is None or actor.agency_id not in (None, letter.request.agency_id):
        raise NotFoundError("没有这份告知书")
    return letter


def staff_letter_pdf(actor: User, letter_id: int) -> LetterPdf:
    return letter_pdf(staff_letter(actor, letter_id))
