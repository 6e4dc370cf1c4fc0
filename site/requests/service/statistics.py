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
