"""Entry functions of the drafting office: write a consultation, have it reviewed and
published, extend its period, publish the 意见采纳情况 and link the final decision.

Who does what follows the catalog (its document is the consultation's public face):
撰稿 (editors) draft and submit; 审核 (reviewers) who did not write it approve and publish, and
sign off every later public change. A person sees the consultations of their own agency (all
for site-wide staff and administrators); any other is answered as one that does not exist.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, select, true
from sqlalchemy.orm import Session, selectinload

from opengov.site import clock
from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.audit.service import Origin
from opengov.site.catalog.models import DocumentVersion
from opengov.site.catalog.rules.metadata import PublicationStatus
from opengov.site.catalog.rules.workflow import Action
from opengov.site.catalog.service import editorial
from opengov.site.consultations.models import Consultation, ConsultationComment
from opengov.site.consultations.rules import (
    NAME_MAX_CHARS,
    VALID_STATUSES,
    CommentFilter,
    CommentStatus,
    ConsultationKind,
    FeedbackCounts,
    Phase,
    feedback_problems,
    is_shortened,
    kind_of,
    period_length,
    period_problem,
)
from opengov.site.consultations.service import documents, notifications
from opengov.site.db import get_session, unit_of_work
from opengov.site.exceptions import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
)
from opengov.site.personal_data import get_cipher
from opengov.site.workdays.service import load_calendar

log = logging.getLogger(__name__)

NO_SUCH_CONSULTATION = "没有这项征求意见。"


class ConsultationInputError(InvalidInputError):
    """A field of the consultation is refused; ``field`` names it for the form."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class ConsultationData:
    """What the drafting office writes (rules.md §9.1: the draft and its explanation, how,
    where and until when to comment, a contact)."""

    agency_id: int
    kind: str
    title: str
    draft_text: str
    explanation: str
    contact: str
    opens_on: dt.date
    closes_on: dt.date
    summary: str = ""
    legal_basis: str = ""
    how_to_comment: str = ""
    shortened_reason: str = ""
    publishes_comments: bool = True


# --- scope and roles ----------------------------------------------------------------------


def _require(actor: User, role: Role, what: str) -> None:
    if not actor.has_role(role):
        raise ForbiddenError(f"您没有{what}的权限。")


def _require_staff(actor: User) -> None:
    if not actor.has_role(Role.EDITOR, Role.REVIEWER):
        raise ForbiddenError("您没有办理征求意见的权限。")


def scoped(session: Session, actor: User, consultation_id: int, *,
           fresh: bool = False) -> Consultation:
    """The consultation if ``actor``'s agency may see it; :class:`NotFoundError` otherwise."""
    found = (session.get(Consultation, consultation_id, populate_existing=fresh)
             if 0 < consultation_id < 2**31 else None)
    if found is None or not editorial.in_scope(actor, found.agency_id):
        raise NotFoundError(NO_SUCH_CONSULTATION)
    if fresh:
        session.refresh(found.document)
    return found


# --- checks -------------------------------------------------------------------------------


def check_data(session: Session, data: ConsultationData, today: dt.date) -> ConsultationKind:
    """Refuse what cannot be published; the error names the field."""
    try:
        kind = kind_of(data.kind)
    except ValueError as exc:
        raise ConsultationInputError("kind", str(exc)) from None
    required = (("title", data.title, "请填写草案名称。"),
                ("draft_text", data.draft_text, "请填写征求意见稿全文。"),
                ("explanation", data.explanation, "请填写起草说明（条例要求草案及其说明一并公开）。"),
                ("contact", data.contact, "请填写联系方式（联系部门和电话）。"))
    for field, value, message in required:
        if not value.strip():
            raise ConsultationInputError(field, message)
    if len(data.title.strip()) > 200:
        raise ConsultationInputError("title", "草案名称不超过200字。")
    if data.opens_on < today:
        raise ConsultationInputError("opens_on", "开始日期不能早于今天。")
    problem = period_problem(kind, data.opens_on, data.closes_on, data.shortened_reason,
                             load_calendar(session))
    if problem:
        raise ConsultationInputError("closes_on", problem)
    return kind


def _apply(consultation: Consultation, data: ConsultationData) -> None:
    consultation.agency_id = data.agency_id
    consultation.kind = data.kind
    consultation.title = data.title.strip()
    consultation.summary = data.summary.strip()
    consultation.draft_text = data.draft_text.strip()
    consultation.explanation = data.explanation.strip()
    consultation.legal_basis = data.legal_basis.strip()
    consultation.how_to_comment = data.how_to_comment.strip()
    consultation.contact = data.contact.strip()
    consultation.opens_on = data.opens_on
    consultation.closes_on = data.closes_on
    consultation.shortened_reason = data.shortened_reason.strip()
    consultation.publishes_comments = data.publishes_comments


def _check_agency(actor: User, agency_id: int) -> None:
    if not editorial.in_scope(actor, agency_id):
        raise ConsultationInputError("agency", "您不能为该机关起草征求意见。")


# --- the staff list -----------------------------------------------------------------------


@dataclass(frozen=True)
class StaffRow:
    consultation: Consultation
    phase: Phase
    pending: int
    received: int


def staff_list(actor: User) -> list[StaffRow]:
    """The consultations of the actor's agency (all for site-wide staff), newest first."""
    _require_staff(actor)
    session = get_session()
    today = clock.today()
    query = (select(Consultation).order_by(Consultation.opens_on.desc(), Consultation.id.desc())
             .options(selectinload(Consultation.document), selectinload(Consultation.agency))
             .limit(500))
    if actor.agency_id is not None and not actor.has_role(Role.ADMIN):
        query = query.where(Consultation.agency_id == actor.agency_id)
    rows = list(session.scalars(query))
    counts: dict[tuple[int, str], int] = {
        (consultation_id, status): count for consultation_id, status, count in session.execute(
            select(ConsultationComment.consultation_id, ConsultationComment.status, func.count())
            .where(ConsultationComment.consultation_id.in_([row.id for row in rows]))
            .group_by(ConsultationComment.consultation_id, ConsultationComment.status))}
    result = []
    for row in rows:
        received = sum(count for (cid, status), count in counts.items()
                       if cid == row.id and status != CommentStatus.INVALID.value)
        result.append(StaffRow(row, documents.phase_of(row, today),
                               counts.get((row.id, CommentStatus.PENDING.value), 0), received))
    return result


# --- drafting -----------------------------------------------------------------------------


def create(actor: User, data: ConsultationData, *, origin: Origin) -> int:
    """A new consultation drafted by ``actor``, with its catalog document as a draft."""
    _require(actor, Role.EDITOR, "起草征求意见")
    _check_agency(actor, data.agency_id)
    with unit_of_work() as session:
        check_data(session, data, clock.today())
        consultation = Consultation(created_by_id=actor.id)
        _apply(consultation, data)
        session.add(consultation)
        session.flush()  # the id first: the document links to the consultation's page
        session.refresh(consultation, ["agency"])
        consultation.document = editorial.create(
            session, documents.document_data(session, consultation), actor=actor,
            origin=origin)
        session.flush()
        return consultation.id


@dataclass(frozen=True)
class EditPage:
    consultation: Consultation
    #: The catalog document's version the form was opened at (optimistic locking).
    version: int


def edit_page(actor: User, consultation_id: int) -> EditPage:
    _require(actor, Role.EDITOR, "修改征求意见")
    session = get_session()
    consultation = scoped(session, actor, consultation_id)
    if consultation.document.status != PublicationStatus.DRAFT:
        raise ConflictError("只有草稿可以修改；已提交审核的请先由审核人员退回。")
    state = editorial.document_workflow(consultation.document)
    return EditPage(consultation, state.lock_version if state else 1)


def save(actor: User, consultation_id: int, data: ConsultationData, *, expected_version: int,
         origin: Origin) -> None:
    """Save the draft; :class:`~opengov.site.catalog.service.editorial.EditConflictError` when
    someone saved it since the form was opened."""
    _require(actor, Role.EDITOR, "修改征求意见")
    _check_agency(actor, data.agency_id)
    with unit_of_work() as session:
        consultation = scoped(session, actor, consultation_id, fresh=True)
        check_data(session, data, clock.today())
        _apply(consultation, data)
        session.flush()
        session.refresh(consultation, ["agency"])
        editorial.update(session, consultation.document,
                         documents.document_data(session, consultation), actor=actor,
                         origin=origin, expected_version=expected_version)


def submit(actor: User, consultation_id: int, *, origin: Origin) -> None:
    """提交审核: the draft goes to the reviewers (the catalog's review queue too)."""
    _require(actor, Role.EDITOR, "提交审核")
    with unit_of_work() as session:
        consultation = scoped(session, actor, consultation_id, fresh=True)
        _check_period_from(session, consultation, max(consultation.opens_on, clock.today()))
        editorial.transition(session, consultation.document, Action.SUBMIT, actor=actor,
                             origin=origin)


def _check_period_from(session: Session, consultation: Consultation, start: dt.date) -> None:
    problem = period_problem(kind_of(consultation.kind), start, consultation.closes_on,
                             consultation.shortened_reason, load_calendar(session))
    if problem:
        raise ConflictError(problem + "（请退回修改征求意见期限。）")


def review(actor: User, consultation_id: int, *, approve: bool, opinion: str,
           origin: Origin) -> Phase:
    """审核: approve and publish on the planned first day (today if it has passed), or
    return it with the opinion. The period is checked again from the real first day: a draft
    approved late may no longer give the minimum period."""
    _require(actor, Role.REVIEWER, "审核征求意见")
    today = clock.today()
    with unit_of_work() as session:
        consultation = scoped(session, actor, consultation_id, fresh=True)
        document = consultation.document
        if not approve:
            editorial.transition(session, document, Action.RETURN, actor=actor, origin=origin,
                                 opinion=opinion)
            return documents.phase_of(consultation, today)
        start = max(consultation.opens_on, today)
        _check_period_from(session, consultation, start)
        if document.status == PublicationStatus.SUBMITTED:
            editorial.transition(session, document, Action.APPROVE, actor=actor, origin=origin,
                                 opinion=opinion)
        consultation.opens_on = start
        editorial.transition(session, document, Action.PUBLISH, actor=actor, origin=origin,
                             publish_on=start)
        log.info("consultation %s published for %s", consultation.id, start.isoformat())
        return documents.phase_of(consultation, today)


def _correct(session: Session, actor: User, consultation: Consultation, note: str,
             origin: Origin) -> None:
    """A later public change: the document's next version, with ``note`` as its 更正说明."""
    session.flush()
    editorial.transition(session, consultation.document, Action.CORRECT, actor=actor,
                         origin=origin, opinion=note,
                         correction=documents.document_data(session, consultation))


def extend(actor: User, consultation_id: int, closes_on: dt.date, reason: str, *,
           origin: Origin) -> None:
    """延长征求意见期限 to ``closes_on``, with the reason published on the page."""
    _require(actor, Role.REVIEWER, "延长征求意见期限")
    today = clock.today()
    if not reason.strip():
        raise ConsultationInputError("reason", "请填写延长期限的理由（将在页面上公开）。")
    with unit_of_work() as session:
        consultation = scoped(session, actor, consultation_id, fresh=True)
        if documents.phase_of(consultation, today) not in (Phase.OPEN, Phase.CLOSED,
                                                            Phase.SCHEDULED):
            raise ConflictError("只有已发布、尚未公布采纳情况的征求意见可以延长期限。")
        if closes_on <= consultation.closes_on or closes_on < today:
            raise ConsultationInputError(
                "closes_on", f"新的截止日期应晚于原截止日期（{consultation.closes_on:%Y-%m-%d}）"
                             "且不早于今天。")
        note = (f"{today:%Y-%m-%d}起，征求意见截止日期由{consultation.closes_on:%Y-%m-%d}"
                f"延长至{closes_on:%Y-%m-%d}，理由：{' '.join(reason.split())}")
        consultation.extension_note = "\n".join(
            part for part in (consultation.extension_note, note) if part)
        consultation.closes_on = closes_on
        _correct(session, actor, consultation, note, origin)


def publish_feedback(actor: User, consultation_id: int, summary: str, *,
                     origin: Origin) -> int:
    """公布意见采纳情况 once the period is over and every comment is moderated and sorted;
    then mail the commenters who left an address. Returns how many were mailed."""
    _require(actor, Role.REVIEWER, "公布意见采纳情况")
    today = clock.today()
    with unit_of_work() as session:
        consultation = scoped(session, actor, consultation_id, fresh=True)
        problems = feedback_problems(
            phase_now=documents.phase_of(consultation, today),
            comments=documents.comment_facts(session, consultation),
            groups=documents.group_facts(consultation), summary=summary)
        if problems:
            raise ConflictError("暂不能公布意见采纳情况：" + "".join(problems))
        consultation.feedback_summary = summary.strip()
        consultation.feedback_published_on = today
        _correct(session, actor, consultation, "公布意见采纳情况", origin)
    return notifications.notify_commenters(get_session(), consultation)


def link_decision(actor: User, consultation_id: int, *, index_no: str = "", url: str = "",
                  title: str = "", origin: Origin) -> None:
    """Link the final decision: a public document of the site by its 索引号, or a page
    elsewhere (https://…) with its title."""
    _require(actor, Role.REVIEWER, "链接最终决定")
    today = clock.today()
    with unit_of_work() as session:
        consultation = scoped(session, actor, consultation_id, fresh=True)
        if documents.phase_of(consultation, today) is not Phase.FEEDBACK:
            raise ConflictError("公布意见采纳情况后，才能链接最终决定。")
        if index_no.strip():
            target = documents.public_document_by_index_no(session, index_no, today)
            if target is None:
                raise ConsultationInputError("index_no", "没有这个索引号的公开文件。")
            consultation.decision_document_id = target.id
            consultation.decision_title = target.title
            consultation.decision_url = f"/documents/{target.id}"
        else:
            if not url.strip().startswith(("https://", "http://")) or len(url.strip()) > 500:
                raise ConsultationInputError("url", "请填写本站文件的索引号，或以 https:// 开头的链接。")
            if not title.strip():
                raise ConsultationInputError("title", "请填写最终决定或文件的名称。")
            consultation.decision_document_id = None
            consultation.decision_title = title.strip()[:300]
            consultation.decision_url = url.strip()
        consultation.decision_linked_on = today
        _correct(session, actor, consultation, "链接最终决定：" + consultation.decision_title,
                 origin)


# --- the staff case page ------------------------------------------------------------------


@dataclass(frozen=True)
class CommentRow:
    comment: ConsultationComment
    #: Decrypted, for the drafting office only (to ask back); never shown in public.
    name: str
    phone: str
    email: str


#: Comments per page of the drafting office's list.
STAFF_COMMENTS_PER_PAGE = 50


@dataclass(frozen=True)
class StaffCase:
    consultation: Consultation
    phase: Phase
    kind: ConsultationKind
    period: int
    shortened: bool
    #: One page of the comments the filter selects, contacts decrypted for those only.
    comments: list[CommentRow]
    comment_filter: CommentFilter
    #: How many comments each filter holds.
    filter_counts: dict[CommentFilter, int]
    comments_page: int
    counts: FeedbackCounts
    #: group id → serials of its comments.
    group_serials: dict[int, list[int]]
    #: What stops the feedback from being published now (empty: it can be).
    problems: list[str]
    versions: Sequence[DocumentVersion]
    today: dt.date

    @property
    def comment_pages(self) -> int:
        total = self.filter_counts.get(self.comment_filter, 0)
        return max(1, -(-total // STAFF_COMMENTS_PER_PAGE))

    def can(self, actor: User, what: str) -> bool:
        """Whether ``actor`` is offered the action ``what`` on the page."""
        status = self.consultation.document.status
        editor, reviewer = actor.has_role(Role.EDITOR), actor.has_role(Role.REVIEWER)
        return {
            "edit": editor and status == PublicationStatus.DRAFT,
            "submit": editor and status == PublicationStatus.DRAFT,
            "review": reviewer and status in (PublicationStatus.SUBMITTED,
                                              PublicationStatus.APPROVED),
            "extend": reviewer and self.phase in (Phase.SCHEDULED, Phase.OPEN, Phase.CLOSED),
            "feedback": reviewer and self.phase is Phase.CLOSED,
            "group": self.phase in (Phase.OPEN, Phase.CLOSED),
            "moderate": self.phase in (Phase.OPEN, Phase.CLOSED),
            "enter": self.phase in (Phase.OPEN, Phase.CLOSED),
            "decision": reviewer and self.phase is Phase.FEEDBACK,
        }.get(what, False)


def _filter_clause(chosen: CommentFilter) -> ColumnElement[bool]:
    valid = [status.value for status in VALID_STATUSES]
    return {
        CommentFilter.PENDING: ConsultationComment.status == CommentStatus.PENDING.value,
        CommentFilter.UNGROUPED: and_(ConsultationComment.status.in_(valid),
                                      ConsultationComment.group_id.is_(None)),
        CommentFilter.PUBLISHED: ConsultationComment.status == CommentStatus.PUBLISHED.value,
        CommentFilter.RECORDED: ConsultationComment.status == CommentStatus.RECORDED.value,
        CommentFilter.INVALID: ConsultationComment.status == CommentStatus.INVALID.value,
    }.get(chosen, true())


def staff_case(actor: User, consultation_id: int, comment_filter: str = "",
               page: int = 1) -> StaffCase:
    """The drafting office's page of a consultation: one page (``page``) of the comments
    ``comment_filter`` selects — by default the pending ones while there are any."""
    _require_staff(actor)
    session = get_session()
    consultation = scoped(session, actor, consultation_id)
    today = clock.today()
    calendar = load_calendar(session)
    kind = kind_of(consultation.kind)
    start = consultation.document.published_on or consultation.opens_on
    facts = documents.comment_facts(session, consultation)
    filter_counts = {
        CommentFilter.PENDING: sum(f.status is CommentStatus.PENDING for f in facts),
        CommentFilter.UNGROUPED: sum(f.status in VALID_STATUSES and not f.grouped
                                     for f in facts),
        CommentFilter.PUBLISHED: sum(f.status is CommentStatus.PUBLISHED for f in facts),
        CommentFilter.RECORDED: sum(f.status is CommentStatus.RECORDED for f in facts),
        CommentFilter.INVALID: sum(f.status is CommentStatus.INVALID for f in facts),
        CommentFilter.ALL: len(facts),
    }
    try:
        chosen = CommentFilter(comment_filter)
    except ValueError:
        chosen = (CommentFilter.PENDING if filter_counts[CommentFilter.PENDING]
                  else CommentFilter.ALL)
    page = max(page, 1)
    cipher = get_cipher()
    shown = session.scalars(
        select(ConsultationComment)
        .where(ConsultationComment.consultation_id == consultation.id, _filter_clause(chosen))
        .order_by(ConsultationComment.serial)
        .offset((page - 1) * STAFF_COMMENTS_PER_PAGE).limit(STAFF_COMMENTS_PER_PAGE))
    rows = [CommentRow(comment, cipher.decrypt(comment.name_enc)[:NAME_MAX_CHARS],
                       cipher.decrypt(comment.phone_enc), cipher.decrypt(comment.email_enc))
            for comment in shown]
    current = documents.phase_of(consultation, today)
    problems = feedback_problems(phase_now=current, comments=facts,
                                 groups=documents.group_facts(consultation),
                                 summary=consultation.feedback_summary or "-")
    return StaffCase(consultation, current, kind,
                     period_length(kind, start, consultation.closes_on, calendar),
                     is_shortened(kind, start, consultation.closes_on, calendar), rows, chosen,
                     filter_counts, page, documents.counts_of(consultation),
                     documents.group_serials(session, consultation), problems,
                     editorial.versions(session, consultation.document.id), today)
