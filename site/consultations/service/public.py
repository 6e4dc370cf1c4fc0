"""Entry functions of the public side of 征求意见: the list, a consultation's page with its
published comments and feedback, sending a comment, the home page's open consultations, the
feed and the API.

The public sees a consultation exactly when its catalog document is public (published, its
publication date reached); anything else is answered as a consultation that does not exist.
Commenters' names and contact details never leave the staff pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from opengov.site import clock
from opengov.site.agencies import service as agencies
from opengov.site.agencies.models import Agency
from opengov.site.catalog.models import Document
from opengov.site.catalog.service import public as catalog
from opengov.site.consultations.models import Consultation, ConsultationComment
from opengov.site.consultations.rules import (
    Channel,
    CommentStatus,
    ConsultationKind,
    FeedbackCounts,
    ListFilter,
    ListQuery,
    Phase,
    days_left,
    is_shortened,
    kind_of,
    period_length,
)
from opengov.site.consultations.service import documents
from opengov.site.consultations.service.moderation import CommentInput, add_comment
from opengov.site.db import get_session, unit_of_work
from opengov.site.exceptions import ConflictError, NotFoundError
from opengov.site.throttle import service as throttle
from opengov.site.workdays.service import load_calendar

COMMENT_BUCKET = "consultation_comment"
COMMENT_WINDOW = dt.timedelta(hours=1)
NO_SUCH_CONSULTATION = "没有这项征求意见。"


def _public(query: Select[Consultation], today: dt.date) -> Select[Consultation]:
    return query.join(Document, Document.id == Consultation.document_id).where(
        catalog.public_clause(today))


def _public_consultation(session: Session, consultation_id: int,
                         today: dt.date) -> Consultation:
    found = None
    if 0 < consultation_id < 2**31:
        found = session.scalars(_public(select(Consultation), today).where(
            Consultation.id == consultation_id)).one_or_none()
    if found is None:
        raise NotFoundError(NO_SUCH_CONSULTATION)
    return found


# --- lists --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Listed:
    consultation: Consultation
    phase: Phase
    days_left: int
    received: int


@dataclass(frozen=True)
class ListPage:
    items: list[Listed]
    total: int
    page: int
    size: int
    agency: Agency | None
    agencies: list[Agency]
    today: dt.date

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


def _received_counts(session: Session, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    rows = session.execute(
        select(ConsultationComment.consultation_id, func.count())
        .where(ConsultationComment.consultation_id.in_(ids),
               ConsultationComment.status != CommentStatus.INVALID.value)
        .group_by(ConsultationComment.consultation_id))
    return dict(rows.all())


def listing(query: ListQuery) -> ListPage:
    """The public consultations narrowed by ``query``: open ones soonest closing first, then
    the others newest first. :class:`NotFoundError` for an unknown agency or a page past the
    last."""
    session = get_session()
    today = clock.today()
    agency = None
    if query.agency:
        agency = agencies.find_agency(query.agency)
        if agency is None:
            raise NotFoundError("没有这个机关。")
    statement = _public(select(Consultation), today)
    if agency is not None:
        statement = statement.where(Consultation.agency_id == agency.id)
    is_open = and_(Consultation.closes_on >= today, Consultation.feedback_published_on.is_(None))
    if query.status is ListFilter.OPEN:
        statement = statement.where(is_open)
    elif query.status is ListFilter.CLOSED:
        statement = statement.where(or_(Consultation.closes_on < today,
                                        Consultation.feedback_published_on.is_not(None)))
    elif query.status is ListFilter.FEEDBACK:
        statement = statement.where(Consultation.feedback_published_on.is_not(None))
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    if query.page > 1 and (query.page - 1) * query.size >= total:
        raise NotFoundError("没有这一页。")
    rows = list(session.scalars(
        statement.order_by(is_open.desc(), Consultation.closes_on.desc(),
                           Consultation.id.desc())
        .offset((query.page - 1) * query.size).limit(query.size)
        .options(selectinload(Consultation.agency), selectinload(Consultation.document))))
    received = _received_counts(session, [row.id for row in rows])
    items = [Listed(row, documents.phase_of(row, today), days_left(row.closes_on, today),
                    received.get(row.id, 0)) for row in rows]
    return ListPage(items, total, query.page, query.size, agency, agencies.all_agencies(), today)


def open_consultations(limit: int = 5) -> list[Listed]:
    """The consultations taking comments today, soonest closing first (the home page)."""
    session = get_session()
    today = clock.today()
    rows = list(session.scalars(
        _public(select(Consultation), today)
        .where(Consultation.closes_on >= today, Consultation.feedback_published_on.is_(None))
        .order_by(Consultation.closes_on, Consultation.id).limit(limit)
        .options(selectinload(Consultation.agency), selectinload(Consultation.document))))
    return [Listed(row, Phase.OPEN, days_left(row.closes_on, today), 0) for row in rows]


# --- one consultation ---------------------------------------------------------------------


@dataclass(frozen=True)
class PublicGroup:
    position: int
    summary: str
    decision: str
    reason: str
    serials: list[int]


#: Published comments per page of a consultation (the API gives them all).
COMMENTS_PER_PAGE = 50


@dataclass(frozen=True)
class PublicConsultation:
    consultation: Consultation
    phase: Phase
    kind: ConsultationKind
    #: The real first day (the publication date) and the period in the kind's unit.
    opens_on: dt.date
    period: int
    shortened: bool
    days_left: int
    #: Moderated comments shown on this page of them (none when the agency does not
    #: publish comments), and how many there are in all.
    comments: list[ConsultationComment]
    published_comments: int
    comments_page: int
    #: Comments received so far, the invalid ones aside (a count, never who).
    received: int
    groups: list[PublicGroup]
    counts: FeedbackCounts | None
    today: dt.date

    @property
    def takes_comments(self) -> bool:
        return self.phase is Phase.OPEN

    @property
    def comment_pages(self) -> int:
        return max(1, -(-self.published_comments // COMMENTS_PER_PAGE))


def detail(consultation_id: int, comments_page: int = 1, *,
           all_comments: bool = False) -> PublicConsultation:
    """A public consultation with one page of its published comments (or all of them);
    :class:`NotFoundError` when there is none or the page is past the last."""
    session = get_session()
    today = clock.today()
    consultation = _public_consultation(session, consultation_id, today)
    return _detail(session, consultation, today, comments_page, all_comments)


def _detail(session: Session, consultation: Consultation, today: dt.date,
            comments_page: int = 1, all_comments: bool = False) -> PublicConsultation:
    kind = kind_of(consultation.kind)
    opens_on = consultation.document.published_on or consultation.opens_on
    calendar = load_calendar(session)
    current = documents.phase_of(consultation, today)
    shown: list[ConsultationComment] = []
    total = 0
    if consultation.publishes_comments:
        published = (ConsultationComment.consultation_id == consultation.id) & (
            ConsultationComment.status == CommentStatus.PUBLISHED.value)
        total = session.scalar(select(func.count()).select_from(ConsultationComment)
                               .where(published)) or 0
        if comments_page > 1 and (comments_page - 1) * COMMENTS_PER_PAGE >= total:
            raise NotFoundError("没有这一页意见。")
        query = select(ConsultationComment).where(published).order_by(
            ConsultationComment.serial)
        if not all_comments:
            query = query.offset((comments_page - 1) * COMMENTS_PER_PAGE).limit(
                COMMENTS_PER_PAGE)
        shown = list(session.scalars(query))
    elif comments_page > 1:
        raise NotFoundError("没有这一页意见。")
    has_feedback = consultation.feedback_published_on is not None
    serials = documents.group_serials(session, consultation) if has_feedback else {}
    groups = [PublicGroup(group.position, group.summary, group.decision, group.reason,
                          serials.get(group.id, []))
              for group in consultation.groups] if has_feedback else []
    counts = documents.counts_of(consultation)
    return PublicConsultation(
        consultation, current, kind, opens_on,
        period_length(kind, opens_on, consultation.closes_on, calendar),
        is_shortened(kind, opens_on, consultation.closes_on, calendar),
        days_left(consultation.closes_on, today), shown, total, comments_page,
        counts.received, groups, counts if has_feedback else None, today)


@dataclass(frozen=True)
class Receipt:
    """A comment just received: its number (第N条), to find it later in the feedback."""

    consultation: PublicConsultation
    serial: int


def submit_comment(consultation_id: int, comment: CommentInput, *, client: str) -> Receipt:
    """Receive a comment while the consultation is open (until the end of its last day,
    北京时间), counted against ``client``'s hourly limit in the same unit of work.

    Refusals: :class:`NotFoundError`, :class:`ConflictError` (not open, or closed),
    :class:`~opengov.site.throttle.service.RateLimitedError`, :class:`InvalidInputError`."""
    limit = int(current_app.config["CONSULTATION_COMMENT_LIMIT"])
    today = clock.today()
    with unit_of_work() as session:
        consultation = _public_consultation(session, consultation_id, today)
        current = documents.phase_of(consultation, today)
        if current is not Phase.OPEN:
            raise ConflictError(f"本次征求意见已于{consultation.closes_on:%Y年%m月%d日}截止，"
                                "不再接收意见。" if current in (Phase.CLOSED, Phase.FEEDBACK)
                                else "本次征求意见尚未开始。")
        if throttle.exceeded(session, COMMENT_BUCKET, client, limit, COMMENT_WINDOW):
            raise throttle.RateLimitedError("同一网络提交的意见过多，请一小时后再提交，"
                                            "或通过信函、电子邮件等方式提出。")
        row = add_comment(session, consultation, comment, Channel.WEBSITE)
        throttle.hit(session, COMMENT_BUCKET, client)
        serial = row.serial
    return Receipt(detail(consultation_id), serial)


# --- the feed -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedEntry:
    consultation: Consultation
    phase: Phase
    #: The last public change: publication, feedback or final decision (a date).
    updated_on: dt.date


def feed(size: int = 50) -> list[FeedEntry]:
    """The newest public consultations, each dated by its last public change."""
    session = get_session()
    today = clock.today()
    rows = session.scalars(
        _public(select(Consultation), today)
        .order_by(func.coalesce(Consultation.decision_linked_on,
                                Consultation.feedback_published_on,
                                Document.published_on).desc(), Consultation.id.desc())
        .limit(size).options(selectinload(Consultation.agency)))
    entries = []
    for row in rows:
        published_on = row.document.published_on or row.opens_on
        updated = max(day for day in (published_on, row.feedback_published_on,
                                      row.decision_linked_on) if day is not None)
        entries.append(FeedEntry(row, documents.phase_of(row, today), updated))
    return entries
