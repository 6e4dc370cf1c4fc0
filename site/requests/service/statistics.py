"""Yearly figures of the requests, per agency or across the site."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from opengov.site.agencies.models import Agency
from opengov.site.requests.models import InfoRequest
from opengov.site.requests.rules.outcomes import Outcome
from opengov.site.requests.rules.statistics import RequestFacts, YearFigures, yearly_figures
from opengov.site.workdays.service import load_calendar


def figures(session: Session, agency: Agency | None = None) -> list[YearFigures]:
    """Requests whose receipt date is fixed, counted per year (newest first)."""
    calendar = load_calendar(session)
    query = select(InfoRequest.receipt_date, InfoRequest.closed_on, InfoRequest.outcome,
                   InfoRequest.replied_on, InfoRequest.due_on).where(
        InfoRequest.receipt_date.is_not(None))
    if agency is not None:
        query = query.where(InfoRequest.agency_id == agency.id)
    facts = []
    for received, closed, outcome, replied, due in session.execute(query):
        assert received is not None  # filtered above
        facts.append(RequestFacts(
            received_on=received, closed_on=closed, outcome=Outcome(outcome) if outcome else None,
            replied_on=replied, due_on=due,
            workdays_to_reply=(calendar.workdays_between(received, replied)
                               if replied is not None else None)))
    return yearly_figures(facts)


# --- figures the annual report counts (read by the reports feature) -------------------------
# Self-contained on purpose (its imports here, not at the top), so that it merges beside
# other changes to this module.

import datetime as dt  # noqa: E402
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
