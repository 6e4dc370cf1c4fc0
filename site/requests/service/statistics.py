"""Yearly figures of the requests, per agency or across the site."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from opengov.site.agencies.models import Agency
from opengov.site.requests.models import InfoRequest
from opengov.site.requests.rules.clock import OPEN_STAGES, derive
from opengov.site.requests.rules.outcomes import Outcome
from opengov.site.requests.rules.statistics import RequestFacts, YearFigures, yearly_figures
from opengov.site.requests.service import handling
from opengov.site.workdays.service import load_calendar


def figures(session: Session, agency: Agency | None = None,
            today: dt.date | None = None) -> list[YearFigures]:
    """Requests whose receipt date is fixed, counted per year (newest first)."""
    return yearly_figures(request_facts(session, agency, today))


def request_facts(session: Session, agency: Agency | None = None,
                  today: dt.date | None = None) -> list[RequestFacts]:
    """What the statistics need of each request whose receipt date is fixed: the replied ones
    with the working days they took net of the pauses (from their event logs)."""
    calendar = load_calendar(session)
    settings = handling.clock_settings()
    query = select(InfoRequest).where(InfoRequest.receipt_date.is_not(None)).options(
        selectinload(InfoRequest.events))
    if agency is not None:
        query = query.where(InfoRequest.agency_id == agency.id)
    facts = []
    for request in session.scalars(query):
        received, replied = request.receipt_date, request.replied_on
        assert received is not None  # filtered above
        net = None
        if replied is not None:
            state = derive(handling.events_of(request), calendar, settings)
            start = state.clock_start or received
            net = max(0, calendar.workdays_between(start, replied) - state.paused_days) \
                if replied >= start else 0
        open_now = request.stage in {stage.value for stage in OPEN_STAGES}
        facts.append(RequestFacts(
            received_on=received, closed_on=request.closed_on,
            outcome=Outcome(request.outcome) if request.outcome else None,
            replied_on=replied, due_on=request.due_on,
            workdays_to_reply=(calendar.workdays_between(received, replied)
                               if replied is not None else None),
            workdays_net=net,
            overdue_open=bool(open_now and today and request.due_on
                              and today > request.due_on)))
    return facts


# --- figures the annual report counts (read by the reports feature) -------------------------
# Self-contained on purpose (its imports here, not at the top), so that it merges beside
# other changes to this module.

from dataclasses import dataclass  # noqa: E402
from decimal import Decimal  # noqa: E402

from sqlalchemy.orm import aliased  # noqa: E402

from opengov.site.requests.models import RequestEvent  # noqa: E402
from opengov.site.requests.rules.clock import EventKind  # noqa: E402


@dataclass(frozen=True)
class ReceivedRequest:
    """What Table 三 of the annual report needs of one request whose receipt date is fixed."""

    applicant_kind: str
    org_type: str
    receipt_date: dt.date
    closed_on: dt.date | None
    outcome: Outcome | None


def received_requests(session: Session, agency_id: int) -> list[ReceivedRequest]:
    """Every request addressed to the agency whose receipt date is fixed (条例 Art. 31)."""
    rows = session.execute(
        select(InfoRequest.applicant_kind, InfoRequest.org_type, InfoRequest.receipt_date,
               InfoRequest.closed_on, InfoRequest.outcome)
        .where(InfoRequest.agency_id == agency_id, InfoRequest.receipt_date.is_not(None)))
    received = []
    for kind, org_type, receipt_date, closed_on, outcome in rows:
        assert receipt_date is not None  # filtered above
        received.append(ReceivedRequest(kind, org_type, receipt_date, closed_on,
                                         Outcome(outcome) if outcome else None))
    return received


def fees_paid(session: Session, agency_id: int, year: int) -> Decimal:
    """信息处理费 (元) paid in ``year`` for the agency's requests: the amount of each fee
    notice whose payment was recorded that year."""
    notice, paid = aliased(RequestEvent), aliased(RequestEvent)
    rows = session.execute(
        select(notice.data)
        .join(InfoRequest, InfoRequest.id == notice.request_id)
        .join(paid, paid.request_id == notice.request_id)
        .where(InfoRequest.agency_id == agency_id,
               notice.kind == EventKind.FEE_NOTICE.value, paid.kind == EventKind.FEE_PAID.value,
               paid.on >= dt.date(year, 1, 1), paid.on <= dt.date(year, 12, 31)))
    return sum((Decimal(str(data.get("fee_yuan") or 0)) for (data,) in rows), Decimal("0"))


def has_request_numbered(session: Session, agency_id: int, number: str) -> bool:
    """Whether the agency has a request with this 申请编号 (e.g. YSQ-2026-000123)."""
    return session.scalars(select(InfoRequest.id).where(
        InfoRequest.number == number, InfoRequest.agency_id == agency_id)).first() is not None
