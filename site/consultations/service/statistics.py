"""互动交流 statistics, public: per agency and year, consultations held, comments received and
adopted, complaints received and answered on time. Counts always; a rate only where it rests
on at least ``MIN_FOR_RATE`` cases (the requests' statistics rule), since a percentage of three
complaints says nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from sqlalchemy import select

from opengov.site import clock
from opengov.site.agencies import service as agencies
from opengov.site.agencies.models import Agency
from opengov.site.catalog.models import Document
from opengov.site.catalog.service import public as catalog
from opengov.site.complaints.rules import ComplaintFigures
from opengov.site.complaints.service import statistics as complaint_statistics
from opengov.site.consultations.models import Consultation
from opengov.site.consultations.rules import FeedbackCounts
from opengov.site.consultations.service import documents
from opengov.site.db import get_session
from opengov.site.exceptions import InvalidInputError
from opengov.site.requests.rules.statistics import MIN_FOR_RATE

FIRST_YEAR = 2000


@dataclass
class ParticipationFigures:
    """One agency's (or the site's) figures of one year."""

    consultations: int = 0
    #: Of those, with the 意见采纳情况 published.
    with_feedback: int = 0
    comments: int = 0
    #: Valid comments of the consultations whose feedback is published: the base of adoption.
    considered: int = 0
    adopted: int = 0
    partly: int = 0
    complaints: ComplaintFigures = field(default_factory=ComplaintFigures)

    @property
    def adoption_rate(self) -> Fraction | None:
        """Comments adopted in full or in part, of those considered; None below the minimum."""
        if self.considered < MIN_FOR_RATE:
            return None
        return Fraction(self.adopted + self.partly, self.considered)

    @property
    def on_time_rate(self) -> Fraction | None:
        answered = self.complaints.answered
        if answered < MIN_FOR_RATE:
            return None
        return Fraction(self.complaints.answered_on_time, answered)

    def add(self, other: ParticipationFigures) -> None:
        for name in ("consultations", "with_feedback", "comments", "considered", "adopted",
                     "partly"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in vars(self.complaints):
            setattr(self.complaints, name,
                    getattr(self.complaints, name) + getattr(other.complaints, name))


@dataclass(frozen=True)
class ParticipationPage:
    year: int
    years: list[int]
    rows: list[tuple[Agency, ParticipationFigures]]
    total: ParticipationFigures
    min_for_rate: int


def participation(year: int | None = None) -> ParticipationPage:
    """The figures of ``year`` (this year by default) for every agency and in total.
    Consultations count in the year they were published, with their comments; complaints in
    the year they were received."""
    session = get_session()
    today = clock.today()
    year = year or today.year
    if not FIRST_YEAR <= year <= today.year:
        raise InvalidInputError(f"年度应在{FIRST_YEAR}年至{today.year}年之间。")
    consultations = list(session.execute(
        select(Consultation.id, Consultation.agency_id, Consultation.feedback_published_on)
        .join(Document, Document.id == Consultation.document_id)
        .where(catalog.public_clause(today), Document.published_on >= dt.date(year, 1, 1),
               Document.published_on <= dt.date(year, 12, 31))))
    all_counts = documents.counts_by_consultation(session, [row[0] for row in consultations])
    by_agency: dict[int, ParticipationFigures] = {}
    for consultation_id, agency_id, feedback_published_on in consultations:
        figures = by_agency.setdefault(agency_id, ParticipationFigures())
        counts = all_counts.get(consultation_id, FeedbackCounts(0, 0, 0, 0, 0))
        figures.consultations += 1
        figures.comments += counts.received
        if feedback_published_on is not None:
            figures.with_feedback += 1
            figures.considered += counts.valid
            figures.adopted += counts.adopted
            figures.partly += counts.partly
    for agency_id, complaints in complaint_statistics.figures_by_agency(session, year).items():
        by_agency.setdefault(agency_id, ParticipationFigures()).complaints = complaints
    rows = [(agency, by_agency.get(agency.id, ParticipationFigures()))
            for agency in agencies.all_agencies()]
    total = ParticipationFigures()
    for _, figures in rows:
        total.add(figures)
    published_years = {day.year for day in session.scalars(
        select(Document.published_on).join(Consultation, Consultation.document_id == Document.id)
        .where(catalog.public_clause(today)).distinct()) if day is not None}
    years = sorted(published_years | complaint_statistics.years_with_complaints(session)
                   | {today.year, year}, reverse=True)
    return ParticipationPage(year, years, rows, total, MIN_FOR_RATE)
