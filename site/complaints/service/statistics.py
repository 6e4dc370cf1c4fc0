"""Counts of complaints: the public 互动交流 statistics and the annual report. Only counts
ever leave the feature: complaints themselves are never public."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from opengov.site.agencies.models import Agency
from opengov.site.complaints.models import Complaint
from opengov.site.complaints.rules import (
    ComplaintFacts,
    ComplaintFigures,
    Finding,
    Measure,
    Stage,
    figures_of_year,
)
from opengov.site.complaints.service import filing


def facts(session: Session, *, year: int | None = None,
          agency_id: int | None = None) -> list[ComplaintFacts]:
    """The facts of every complaint (received in ``year``, about ``agency_id``, if given)."""
    query = select(Complaint.agency_id, Complaint.received_on, Complaint.stage,
                   Complaint.answered_on, Complaint.due_on, Complaint.finding,
                   Complaint.measures)
    if year is not None:
        query = query.where(Complaint.received_on >= dt.date(year, 1, 1),
                            Complaint.received_on <= dt.date(year, 12, 31))
    if agency_id is not None:
        query = query.where(Complaint.agency_id == agency_id)
    return [ComplaintFacts(agency, received, Stage(stage), answered, due,
                           Finding(finding) if finding else None,
                           tuple(Measure(value) for value in measures.split("、") if value))
            for agency, received, stage, answered, due, finding, measures
            in session.execute(query)]


def figures_by_agency(session: Session, year: int) -> dict[int, ComplaintFigures]:
    """agency id → the figures of the complaints about it received in ``year``."""
    result: dict[int, ComplaintFigures] = {}
    for item in facts(session, year=year):
        result.setdefault(item.agency_id, ComplaintFigures()).add(item)
    return result


def years_with_complaints(session: Session) -> set[int]:
    return {day.year for day in session.scalars(select(Complaint.received_on).distinct())}


def report_figures(session: Session, agency: Agency, year: int) -> tuple[ComplaintFigures,
                                                                          ComplaintFigures | None]:
    """For the annual report of ``agency`` on ``year``: the complaints about it, and — when it
    is the 政府信息公开工作主管部门 — every complaint it handled (None otherwise)."""
    own = figures_of_year(facts(session, year=year, agency_id=agency.id), year)
    if agency.code != filing.office_code():
        return own, None
    return own, figures_of_year(facts(session, year=year), year)
