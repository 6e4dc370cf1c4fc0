"""Composable functions of complaints: filing with a number and query code (as requests are
numbered), the step log and its derived fields, the requests a complaint concerns, and who
handles complaints (the 政府信息公开工作主管部门, 条例 Arts. 47, 51).

They take the caller's ``session`` and never commit.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from opengov.site import clock
from opengov.site.accounts.models import User
from opengov.site.agencies.models import Agency
from opengov.site.complaints.models import Complaint, ComplaintEvent
from opengov.site.complaints.rules import (
    ANONYMISED,
    CLOSED_STAGES,
    DESCRIPTION_MAX_CHARS,
    IDENTIFYING_DETAILS,
    NUMBER_PREFIX,
    OPEN_STAGES,
    Channel,
    ComplaintState,
    Event,
    Kind,
    Stage,
    Step,
    claimed_request_numbers,
    derive,
)
from opengov.site.exceptions import InvalidInputError
from opengov.site.personal_data import get_cipher
from opengov.site.requests.service import handling as requests
from opengov.site.workdays import service as work_calendar
from opengov.site.workdays.rules import WorkingCalendar

log = logging.getLogger(__name__)


@dataclass
class ComplaintInput:
    """What the complainant states, as typed."""

    agency_id: int
    kind: str
    description: str
    name: str
    phone: str
    email: str = ""
    request_numbers: str = ""


@dataclass(frozen=True)
class Complainant:
    """Decrypted personal data, for the 主管部门's case page and the notices only."""

    name: str
    phone: str
    email: str


# --- who handles complaints --------------------------------------------------------------


def office_code() -> str:
    """Code of the 政府信息公开工作主管部门 on this site (COMPLAINT_OFFICE, else ROOT_AGENCY)."""
    return str(current_app.config["COMPLAINT_OFFICE"] or current_app.config["ROOT_AGENCY"])


def office(session: Session) -> Agency | None:
    return session.scalars(select(Agency).where(Agency.code == office_code())).one_or_none()


def is_competent(session: Session, actor: User) -> bool:
    """Whether ``actor`` works for the 主管部门 (or site-wide), who handle every complaint;
    anyone else sees only the complaints about their own agency."""
    if actor.agency_id is None:
        return True
    competent = office(session)
    return competent is not None and actor.agency_id == competent.id


def reply_days() -> int:
    return int(current_app.config["COMPLAINT_REPLY_DAYS"])


# --- numbers and codes (as requests have them) ---------------------------------------------


def allocate_number(session: Session, year: int) -> str:
    """TS-2026-000012: the requests' serial counter, in a series of its own."""
    return f"{NUMBER_PREFIX}-{year}-{requests.next_serial(session, NUMBER_PREFIX, year):06d}"


# --- filing -------------------------------------------------------------------------------


def check_input(data: ComplaintInput) -> None:
    """Refuse what the form would refuse, whoever calls (the CLI, tests, a changed form)."""
    try:
        Kind(data.kind)
    except ValueError:
        raise InvalidInputError("请选择投诉举报的类型。") from None
    description = data.description.strip()
    if not description:
        raise InvalidInputError("请填写投诉举报的事实和理由。")
    if len(description) > DESCRIPTION_MAX_CHARS:
        raise InvalidInputError(f"投诉举报内容不超过{DESCRIPTION_MAX_CHARS}字。")
    if not data.name.strip():
        raise InvalidInputError("请填写姓名或者名称。")


def file_complaint(session: Session, agency: Agency, data: ComplaintInput, channel: Channel,
                   received_on: dt.date, *, entered_by: User | None = None,
                   ) -> tuple[Complaint, str]:
    """Register a complaint about ``agency`` and return it with its query code (shown once,
    stored hashed). The requests it names that belong to ``agency`` are linked at once; the
    others stay in the typed text for the handler (no hint to the complainant whether a
    number exists)."""
    check_input(data)
    cipher = get_cipher()
    code = requests.new_query_code()
    complaint = Complaint(
        number=allocate_number(session, received_on.year), agency=agency,
        query_code_hash=requests.hash_query_code(code), kind=data.kind,
        description=data.description.strip(),
        claimed_requests=" ".join(data.request_numbers.split())[:300],
        name_enc=cipher.encrypt(data.name.strip()), phone_enc=cipher.encrypt(data.phone.strip()),
        email_enc=cipher.encrypt(data.email.strip()), channel=channel.value,
        entered_by=entered_by, stage=Stage.RECEIVED.value, received_on=received_on)
    session.add(complaint)
    for number in claimed_request_numbers(data.request_numbers):
        found = requests.find_by_number(session, number)
        if found is not None and found.agency_id == agency.id:
            complaint.requests.append(found)
    session.flush()
    _append(complaint, Event(Step.RECEIVED, received_on, {"channel": channel.value}), entered_by)
    refresh(session, complaint)
    log.info("complaint %s filed (channel %s)", complaint.number, channel.value)
    return complaint, code


def personal_data(complaint: Complaint) -> Complainant:
    cipher = get_cipher()
    return Complainant(cipher.decrypt(complaint.name_enc), cipher.decrypt(complaint.phone_enc),
                       cipher.decrypt(complaint.email_enc))


def anonymise_closed(session: Session, today: dt.date, years: int) -> int:
    """Erase what identifies the complainants of complaints answered or withdrawn more than
    ``years`` ago: name and contacts, their account of the case (the description) and the
    steps' retellings of it (:data:`IDENTIFYING_DETAILS`). Number, kind, agency, dates,
    finding, measures and answer stay for the statistics. Returns how many were erased."""
    cutoff = clock.years_before(today, years)
    closed = session.scalars(select(Complaint).where(
        Complaint.stage.in_([stage.value for stage in CLOSED_STAGES]),
        Complaint.closed_on.is_not(None), Complaint.closed_on < cutoff,
        Complaint.anonymised_at.is_(None)).options(selectinload(Complaint.events)))
    count = 0
    for complaint in closed:
        complaint.name_enc = complaint.phone_enc = complaint.email_enc = ""
        complaint.description = ANONYMISED
        for event in complaint.events:
            erased = {key: ANONYMISED for key in IDENTIFYING_DETAILS
                      if (event.data or {}).get(key)}
            if erased:
                event.data = {**event.data, **erased}
        complaint.anonymised_at = clock.utcnow()
        count += 1
    session.flush()
    log.info("anonymised %d complaints closed before %s", count, cutoff.isoformat())
    return count


def find_for_complainant(session: Session, number: str, code: str) -> Complaint | None:
    """The complaint when number and query code match; None otherwise (no hint which)."""
    complaint = session.scalars(select(Complaint).where(
        Complaint.number == number.strip().upper())).one_or_none()
    expected = complaint.query_code_hash if complaint else "0" * 64
    matches = hmac.compare_digest(expected, requests.hash_query_code(code))
    return complaint if complaint is not None and matches else None


# --- the step log -------------------------------------------------------------------------


def events_of(complaint: Complaint) -> list[Event]:
    return [Event(Step(row.kind), row.on, dict(row.data or {})) for row in complaint.events]


def state_of(session: Session, complaint: Complaint,
             calendar: WorkingCalendar | None = None) -> ComplaintState:
    return derive(events_of(complaint), calendar or work_calendar.load_calendar(session),
                  reply_days())


def _append(complaint: Complaint, event: Event, actor: User | None) -> None:
    complaint.events.append(ComplaintEvent(seq=len(complaint.events) + 1, kind=event.kind.value,
                                           on=event.on, data=dict(event.data), actor=actor))


def record(session: Session, complaint: Complaint, step: Step, on: dt.date,
           data: dict[str, Any] | None = None, *, actor: User | None = None) -> ComplaintState:
    """Append a step once the rules accept it (``TransitionError`` if they do not)."""
    calendar = work_calendar.load_calendar(session)
    event = Event(step, on, data or {})
    state = derive([*events_of(complaint), event], calendar, reply_days())
    _append(complaint, event, actor)
    if step is Step.ASSIGNED and data and data.get("handler_id"):
        complaint.handler_id = int(data["handler_id"])
    _store(complaint, state)
    session.flush()
    log.info("complaint %s: %s on %s", complaint.number, step.value, on.isoformat())
    return state


def _store(complaint: Complaint, state: ComplaintState) -> None:
    complaint.stage = (state.stage or Stage.RECEIVED).value
    complaint.due_on = state.due.date if state.due else None
    complaint.due_provisional = bool(state.due and state.due.provisional)
    complaint.due_explanation = state.due.explanation if state.due else ""
    complaint.finding = state.finding.value if state.finding else None
    complaint.measures = "、".join(measure.value for measure in state.measures)
    complaint.answered_on = state.answered_on
    complaint.closed_on = state.closed_on
    answer = next((event for event in reversed(complaint.events)
                   if event.kind == Step.ANSWERED.value), None)
    complaint.answer = str(answer.data.get("answer", "")) if answer is not None else ""


def refresh(session: Session, complaint: Complaint,
            calendar: WorkingCalendar | None = None) -> ComplaintState:
    """Recompute the stored stage and dates from the steps."""
    state = state_of(session, complaint, calendar)
    _store(complaint, state)
    session.flush()
    return state


def recompute_open(session: Session, calendar: WorkingCalendar) -> int:
    """After a calendar change: every open complaint gets its due date again."""
    rows = session.scalars(select(Complaint).where(
        Complaint.stage.in_([stage.value for stage in OPEN_STAGES]))
        .options(selectinload(Complaint.events)))
    count = 0
    for complaint in rows:
        refresh(session, complaint, calendar)
        count += 1
    return count


def _recompute_on_calendar_change(_sender: object, *, session: Session,
                                  calendar: WorkingCalendar) -> None:
    recompute_open(session, calendar)


def follow_calendar_changes() -> None:
    """Recompute open complaints' due dates whenever the working-day calendar changes, in the
    unit of work of the change. Called once by the app factory; connecting again is a no-op."""
    work_calendar.calendar_changed.connect(_recompute_on_calendar_change)
