"""依申请公开 services: filing, the event log, derived fields, applicant look-up, lapses,
anonymisation and handler reminders.

The functions here are composable: they take the caller's ``session`` and never commit. The
entry functions of the pages and commands (:mod:`.public`, :mod:`.staff`, :mod:`.upkeep`) call
them inside a unit of work; the rules themselves are in :mod:`opengov.site.requests.rules.clock`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from flask import current_app
from sqlalchemy import Table, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, selectinload

from opengov.site import clock
from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.agencies.models import Agency
from opengov.site.db import advisory_lock
from opengov.site.exceptions import ConflictError
from opengov.site.personal_data import PersonalDataCipher, get_cipher
from opengov.site.requests.models import InfoRequest, RequestEvent, RequestSerial
from opengov.site.requests.rules import codes
from opengov.site.requests.rules.applicant import ApplicantKind
from opengov.site.requests.rules.clock import (
    CLOSED_STAGES,
    CONFIRMATION_CHANNELS,
    OPEN_STAGES,
    Channel,
    ClockSettings,
    Event,
    EventKind,
    RequestState,
    Stage,
    TransitionError,
    derive,
)
from opengov.site.workdays import service as work_calendar
from opengov.site.workdays.rules import WorkingCalendar

log = logging.getLogger(__name__)

NUMBER_PREFIX = "YSQ"
#: A second identical request by the same applicant within this time is refused as a duplicate.
DUPLICATE_WINDOW = dt.timedelta(hours=24)
#: Characters of the ID number that lists show (``****1234``).
ID_TAIL_CHARS = 4
#: What is shown in place of an applicant's name once it was erased.
ANONYMISED = "（已匿名化）"
#: 未办结: awaiting confirmation or an answer. The staff queue shows these by default and a
#: calendar change recomputes their dates; closed requests keep the dates they closed with.
UNFINISHED_STAGES = frozenset({Stage.PENDING, *OPEN_STAGES})


@dataclass
class Application:
    """What the applicant states (条例 Art. 29), as typed."""

    applicant_kind: str
    name: str
    id_type: str
    id_number: str
    phone: str
    email: str
    address: str
    description: str
    carrier: str
    delivery: str
    org_type: str = ""
    postcode: str = ""
    doc_title: str = ""
    doc_number: str = ""


class DuplicateRequestError(ConflictError):
    """The same applicant filed the same request a moment ago."""

    def __init__(self, existing: InfoRequest) -> None:
        super().__init__(f"您在24小时内已提交过内容相同的申请（编号 {existing.number}），"
                         "请勿重复提交；可凭查询码查看办理进度。")
        self.existing = existing


# --- numbers and codes ------------------------------------------------------------------


def next_serial(session: Session, scope: str, year: int) -> int:
    """Atomically bump the counter of ``scope`` for ``year`` inside the caller's transaction:
    one INSERT … ON CONFLICT DO UPDATE … RETURNING, so concurrent writers never share a value
    (the row lock on PostgreSQL, BEGIN IMMEDIATE on SQLite)."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    table = cast(Table, RequestSerial.__table__)
    statement = insert(table).values(scope=scope, year=year, last_serial=1)
    upsert = statement.on_conflict_do_update(
        index_elements=[table.c.scope, table.c.year],
        set_={"last_serial": table.c.last_serial + 1},
    ).returning(table.c.last_serial)
    value: int = session.execute(upsert).scalar_one()
    return value


def allocate_number(session: Session, year: int) -> str:
    return f"{NUMBER_PREFIX}-{year}-{next_serial(session, NUMBER_PREFIX, year):06d}"


def new_query_code() -> str:
    """140 random bits in groups of four, in an alphabet that forgives O/0 and I/1/L."""
    return codes.new_code()


def hash_query_code(code: str) -> str:
    # The code has 140 random bits: a fast hash cannot be brute-forced, no salt is needed.
    return hashlib.sha256(codes.canonical_code(code).encode("ascii", "ignore")).hexdigest()


def _legacy_hash(code: str) -> str:
    return hashlib.sha256(codes.legacy_form(code).encode("ascii", "ignore")).hexdigest()


def replace_query_code(session: Session, request: InfoRequest) -> str:
    """A new query code for ``request`` and every request forwarded from it (they share
    one); the old one stops working."""
    code = new_query_code()
    old = request.query_code_hash
    for shared in session.scalars(select(InfoRequest).where(
            InfoRequest.query_code_hash == old)):
        shared.query_code_hash = hash_query_code(code)
    session.flush()
    return code


# --- filing -----------------------------------------------------------------------------


def _fingerprint(cipher: PersonalDataCipher, agency_id: int, app: Application) -> str:
    content = "|".join([str(agency_id), app.id_number.strip().upper(), app.doc_title.strip(),
                        app.doc_number.strip(), " ".join(app.description.split())])
    return cipher.keyed_hash(content)


def find_duplicate(session: Session, agency: Agency, app: Application) -> InfoRequest | None:
    """An identical request (same applicant, agency and information) filed very recently."""
    fingerprint = _fingerprint(get_cipher(), agency.id, app)
    since = clock.utcnow() - DUPLICATE_WINDOW
    return session.scalars(
        select(InfoRequest).where(InfoRequest.fingerprint == fingerprint,
                                  InfoRequest.submitted_at >= since)
        .order_by(InfoRequest.id.desc()).limit(1)).first()


def file_request(session: Session, agency: Agency, app: Application, channel: Channel,
                 received_on: dt.date, *, confirmed_on: dt.date | None = None,
                 entered_by: User | None = None, refuse_duplicates: bool = True,
                 ) -> tuple[InfoRequest, str]:
    """Register a request and return it with its query code (shown once, stored hashed).

    ``confirmed_on`` records at once the Art. 31 confirmation of channels that need one. The
    caller commits; the number is allocated in the same transaction.
    """
    cipher = get_cipher()
    fingerprint = _fingerprint(cipher, agency.id, app)
    if refuse_duplicates:
        # Two identical submissions at the same moment: the second waits here until the
        # first commits, then finds it (PostgreSQL; SQLite serialises writers anyway).
        advisory_lock(session, f"request:{fingerprint}")
        duplicate = find_duplicate(session, agency, app)
        if duplicate is not None:
            raise DuplicateRequestError(duplicate)
    previous = session.scalars(
        select(InfoRequest.id).where(InfoRequest.fingerprint == fingerprint)
        .order_by(InfoRequest.id.desc()).limit(1)).first()
    code = new_query_code()
    id_number = app.id_number.strip().upper()
    request = InfoRequest(
        number=allocate_number(session, received_on.year),
        agency=agency,
        applicant_kind=app.applicant_kind,
        org_type=app.org_type if app.applicant_kind == ApplicantKind.ORGANISATION else "",
        name_enc=cipher.encrypt(app.name.strip()),
        id_type=app.id_type,
        id_number_enc=cipher.encrypt(id_number),
        id_number_hmac=cipher.keyed_hash(id_number),
        id_number_tail_enc=cipher.encrypt(id_number[-ID_TAIL_CHARS:]),
        phone_enc=cipher.encrypt(app.phone.strip()),
        email_enc=cipher.encrypt(app.email.strip()),
        address_enc=cipher.encrypt(app.address.strip()),
        postcode=app.postcode.strip(),
        doc_title=app.doc_title.strip(),
        doc_number=app.doc_number.strip(),
        description=app.description.strip(),
        carrier=app.carrier,
        delivery=app.delivery,
        channel=channel.value,
        entered_by=entered_by,
        query_code_hash=hash_query_code(code),
        fingerprint=fingerprint,
        duplicate_of_id=previous,
        stage=Stage.PENDING.value,
    )
    session.add(request)
    session.flush()
    _append(request, Event(EventKind.RECEIVED, received_on, {"channel": channel.value}),
            entered_by)
    if confirmed_on is not None and channel in CONFIRMATION_CHANNELS:
        _append(request, Event(EventKind.CONFIRMED, confirmed_on), entered_by)
    refresh(session, request)
    log.info("request %s filed (channel %s)", request.number, channel.value)
    return request, code


# --- the event log ----------------------------------------------------------------------


def events_of(request: InfoRequest) -> list[Event]:
    return [Event(EventKind(row.kind), row.on, dict(row.data or {})) for row in request.events]


def clock_settings() -> ClockSettings:
    return ClockSettings(fee_pauses_clock=bool(current_app.config["REQUEST_FEE_PAUSES_CLOCK"]))


def _calendar(session: Session) -> WorkingCalendar:
    return work_calendar.load_calendar(session)


def state_of(session: Session, request: InfoRequest,
             calendar: WorkingCalendar | None = None) -> RequestState:
    return derive(events_of(request), calendar or _calendar(session), clock_settings())


def _append(request: InfoRequest, event: Event, actor: User | None, note: str = "") -> None:
    data = {key: (value.isoformat() if isinstance(value, dt.date) else value)
            for key, value in event.data.items()}
    request.events.append(RequestEvent(seq=len(request.events) + 1, kind=event.kind.value,
                                       on=event.on, data=data, note=note, actor=actor))


def record(session: Session, request: InfoRequest, kind: EventKind, on: dt.date,
           data: dict[str, Any] | None = None, *, actor: User | None = None,
           note: str = "") -> RequestState:
    """Append a step after the domain has accepted it (raises ``TransitionError`` if not)."""
    calendar = _calendar(session)
    event = Event(kind, on, data or {})
    state = derive([*events_of(request), event], calendar, clock_settings())
    _append(request, event, actor, note)
    if kind is EventKind.ASSIGNED and data and data.get("handler_id"):
        request.handler_id = int(data["handler_id"])
    _store(request, state)
    session.flush()
    log.info("request %s: %s on %s", request.number, kind.value, on.isoformat())
    return state


def _store(request: InfoRequest, state: RequestState) -> None:
    request.stage = (state.stage or Stage.PENDING).value
    request.receipt_date = state.receipt_date
    request.due_on = state.due.date if state.due else None
    request.due_provisional = bool(state.due and state.due.provisional)
    request.due_explanation = state.due.explanation if state.due else ""
    request.correction_notice_due_on = (state.correction_notice_due.date
                                        if state.correction_notice_due else None)
    request.outcome = state.outcome.value if state.outcome else None
    request.replied_on = state.replied_on
    request.closed_on = state.closed_on


def refresh(session: Session, request: InfoRequest,
            calendar: WorkingCalendar | None = None) -> RequestState:
    """Recompute the stored stage and dates from the events."""
    state = state_of(session, request, calendar)
    _store(request, state)
    session.flush()
    return state


def recompute_all(session: Session, calendar: WorkingCalendar) -> int:
    """After a calendar change: every request not yet closed gets its dates again."""
    unfinished = [stage.value for stage in UNFINISHED_STAGES]
    requests = session.scalars(select(InfoRequest).where(InfoRequest.stage.in_(unfinished))
                               .options(selectinload(InfoRequest.events)))
    count = 0
    for request in requests:
        refresh(session, request, calendar)
        count += 1
    return count


def _recompute_on_calendar_change(_sender: object, *, session: Session,
                                  calendar: WorkingCalendar) -> None:
    recompute_all(session, calendar)


def follow_calendar_changes() -> None:
    """Recompute unfinished requests' dates whenever the working-day calendar changes, in the
    unit of work of the change. Called once by the app factory; connecting again is a no-op."""
    work_calendar.calendar_changed.connect(_recompute_on_calendar_change)


# --- applicants -------------------------------------------------------------------------


def find_by_number(session: Session, number: str) -> InfoRequest | None:
    """The request numbered ``number`` as a person typed it (hyphens and zeros optional),
    whatever its agency (other features — complaints — link requests by number): the caller
    decides who may learn that it exists."""
    result: InfoRequest | None = session.scalars(select(InfoRequest).where(
        InfoRequest.number == codes.canonical_number(number, NUMBER_PREFIX))).one_or_none()
    return result


def find_for_applicant(session: Session, number: str, code: str) -> InfoRequest | None:
    """The request when number and query code match; None otherwise (no hint which failed)."""
    request = find_by_number(session, number)
    expected = request.query_code_hash if request else "0" * 64
    matches = hmac.compare_digest(expected, hash_query_code(code))
    legacy = hmac.compare_digest(expected, _legacy_hash(code))
    return request if request is not None and (matches or legacy) else None


@dataclass(frozen=True)
class PersonalData:
    name: str
    id_number: str
    phone: str
    email: str
    address: str


def personal_data(request: InfoRequest) -> PersonalData:
    """Decrypted name and contact details, for the handler's detail page and notices only."""
    cipher = get_cipher()
    return PersonalData(applicant_name(request, cipher), cipher.decrypt(request.id_number_enc),
                        cipher.decrypt(request.phone_enc), cipher.decrypt(request.email_enc),
                        cipher.decrypt(request.address_enc))


def applicant_name(request: InfoRequest, cipher: PersonalDataCipher | None = None) -> str:
    """The applicant's name (姓名或者名称) as letters and notices address them;
    :data:`ANONYMISED` once it was erased."""
    if request.anonymised_at is not None:
        return ANONYMISED
    return (cipher or get_cipher()).decrypt(request.name_enc)


@dataclass(frozen=True)
class ApplicantLabel:
    """Who filed a request as lists show it: the name and the ID number's last characters
    (never the whole number)."""

    name: str
    id_number_tail: str


def applicant_labels(requests: Iterable[InfoRequest]) -> dict[int, ApplicantLabel]:
    """request id → its :class:`ApplicantLabel`, decrypting the two short fields only."""
    cipher = get_cipher()
    return {request.id: ApplicantLabel(applicant_name(request, cipher),
                                       cipher.decrypt(request.id_number_tail_enc))
            for request in requests}


def anonymise_closed(session: Session, today: dt.date, years: int) -> int:
    """Erase the personal data of requests closed more than ``years`` ago — the applicant's
    name, ID number, contacts, the addressee of its letters and the applicant's own words in
    its steps. The number, outcome, dates and applicant columns stay: the annual report still
    counts them."""
    cutoff = clock.years_before(today, years)
    closed = [stage.value for stage in CLOSED_STAGES]
    requests = session.scalars(select(InfoRequest).where(
        InfoRequest.stage.in_(closed), InfoRequest.closed_on.is_not(None),
        InfoRequest.closed_on < cutoff, InfoRequest.anonymised_at.is_(None)))
    count = 0
    for request in requests:
        request.name_enc = request.id_number_enc = request.id_number_tail_enc = ""
        request.phone_enc = request.email_enc = request.address_enc = ""
        request.id_number_hmac = request.fingerprint = ""
        request.postcode = ""
        for letter in request.letters:
            letter.addressee_enc = ""
        for event in request.events:  # the applicant's own words (a correction) may identify
            if event.data and "text" in event.data:
                event.data = {**event.data, "text": ANONYMISED}
        request.anonymised_at = clock.utcnow()
        count += 1
    session.flush()
    return count


# --- lapses and reminders ---------------------------------------------------------------


def due_lapses(session: Session, today: dt.date) -> list[tuple[InfoRequest, EventKind]]:
    """The 补正 and fee windows that ended before ``today``: the request and the 视为放弃
    step to record (the caller records it with its letter, :mod:`.steps`)."""
    calendar = _calendar(session)
    due: list[tuple[InfoRequest, EventKind]] = []
    waiting = session.scalars(select(InfoRequest).where(
        InfoRequest.stage.in_([Stage.CORRECTION.value, Stage.AWAITING_FEE.value])))
    for request in waiting:
        state = state_of(session, request, calendar)
        if (state.stage is Stage.CORRECTION and state.correction_deadline
                and today > state.correction_deadline):
            due.append((request, EventKind.CORRECTION_LAPSED))
        elif (state.stage is Stage.AWAITING_FEE and state.fee_due
              and today > state.fee_due.date):
            due.append((request, EventKind.FEE_LAPSED))
    return due


#: Working days before a deadline at which handlers are reminded.
REMINDER_DAYS = (5, 3, 1)


@dataclass(frozen=True)
class Reminder:
    request: InfoRequest
    #: Working days from today to the deadline (0 = due today, negative = overdue).
    days_left: int
    what: str
    due_on: dt.date


def workdays_left(calendar: WorkingCalendar, today: dt.date, due: dt.date) -> int:
    if due >= today:
        return calendar.workdays_between(today, due)
    return -calendar.workdays_between(due, today)


def reminders(session: Session, today: dt.date, *, within: int = 5,
              agency_id: int | None = None) -> list[Reminder]:
    """Open requests whose reply (or 补正-notice) deadline is at most ``within`` working days
    away or passed, soonest first: the handlers' on-screen list (of one agency if given)."""
    calendar = _calendar(session)
    result: list[Reminder] = []
    query = select(InfoRequest).where(
        InfoRequest.stage.in_([stage.value for stage in OPEN_STAGES]),
        InfoRequest.due_on.is_not(None)).options(selectinload(InfoRequest.events))
    if agency_id is not None:
        query = query.where(InfoRequest.agency_id == agency_id)
    rows = session.scalars(query)
    for request in rows:
        assert request.due_on is not None
        left = workdays_left(calendar, today, request.due_on)
        if left <= within:
            result.append(Reminder(request, left, "答复期限", request.due_on))
        notice_due = request.correction_notice_due_on
        if (request.stage == Stage.REGISTERED.value and notice_due and notice_due >= today
                and not any(e.kind == EventKind.CORRECTION_REQUESTED for e in request.events)
                and not any(e.kind == EventKind.DECIDED for e in request.events)):
            notice_left = calendar.workdays_between(today, notice_due)
            if notice_left <= within:
                result.append(Reminder(request, notice_left, "补正告知期限", notice_due))
    return sorted(result, key=lambda reminder: (reminder.days_left, reminder.request.number))


def deadline_colour(calendar: WorkingCalendar, today: dt.date, due: dt.date | None) -> str:
    """green / yellow (within 5 working days) / red (overdue) for the queue."""
    if due is None:
        return "none"
    left = workdays_left(calendar, today, due)
    if left < 0:
        return "red"
    return "yellow" if left <= 5 else "green"


# --- handling: the site's own documents ---------------------------------------------------


def document_query(request: InfoRequest) -> str:
    """What to search the site's own documents for when handling ``request``: the 文号 or
    名称 the applicant gave, else the start of the description."""
    named = " ".join(term.strip() for term in (request.doc_number, request.doc_title)
                     if term.strip())
    return named or request.description.strip()[:50]


def transfer(session: Session, request: InfoRequest, target: Agency, on: dt.date,
             actor: User | None = None) -> InfoRequest:
    """Answer under Art. 36(五) naming ``target`` and forward the request to it: the target
    gets a new request received on ``on``, which the applicant reaches with the same query
    code. The original still needs sign-off and delivery of its reply letter."""
    if target.id == request.agency_id:
        raise TransitionError("不能转送给本机关。")
    contact = "，".join(part for part in (target.office_name, target.phone and
                                         f"电话{target.phone}", target.address) if part)
    forwarded = InfoRequest(
        number=allocate_number(session, on.year), agency=target,
        applicant_kind=request.applicant_kind, org_type=request.org_type,
        name_enc=request.name_enc, id_type=request.id_type, id_number_enc=request.id_number_enc,
        id_number_hmac=request.id_number_hmac, id_number_tail_enc=request.id_number_tail_enc,
        phone_enc=request.phone_enc, email_enc=request.email_enc,
        address_enc=request.address_enc, postcode=request.postcode,
        doc_title=request.doc_title, doc_number=request.doc_number,
        description=request.description, carrier=request.carrier, delivery=request.delivery,
        channel=Channel.TRANSFER.value, entered_by=actor,
        query_code_hash=request.query_code_hash, fingerprint="",
        transferred_from_id=request.id, stage=Stage.PENDING.value)
    session.add(forwarded)
    session.flush()
    record(session, request, EventKind.DECIDED, on, {
        "outcome": "4.1", "reply": "4.1-elsewhere",
        "other_body": f"{target.name}（{contact}）" if contact else target.name,
        "detail": f"本机关已将您的申请转送{target.name}办理，新的申请编号为{forwarded.number}，"
                  "您可凭原查询码查询办理进度，该机关将另行答复",
    }, actor=actor)
    _append(forwarded, Event(EventKind.RECEIVED, on, {"channel": Channel.TRANSFER.value}), actor,
            note=f"由{request.agency.name}转送（原申请编号{request.number}）")
    refresh(session, forwarded)
    return forwarded


def items_in_month(session: Session, request: InfoRequest) -> int:
    """The applicant's requests received in the month of this one's receipt, this one
    included: the 按件计收 counter (one item per request here; split multi-item requests
    into several when filing, 109号 Art. 4)."""
    day = request.receipt_date
    if day is None or not request.id_number_hmac:
        return 0
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return len(list(session.scalars(select(InfoRequest.id).where(
        InfoRequest.id_number_hmac == request.id_number_hmac,
        InfoRequest.receipt_date >= first, InfoRequest.receipt_date < following,
        InfoRequest.id <= request.id))))


def handlers_of(session: Session, agency: Agency) -> list[User]:
    users = session.scalars(select(User).where(User.active.is_(True)).order_by(User.username))
    return [user for user in users
            if user.has_role(Role.HANDLER) and user.agency_id in (None, agency.id)]
