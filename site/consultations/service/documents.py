"""A consultation's place in the catalog: its document in the 征集调查 column.

Staff changes go through the catalog's composable functions — :func:`editorial.create`,
:func:`editorial.update` while a draft, :func:`editorial.transition` for review, publication
and every later change (延长 / 意见采纳情况 / 最终决定 as a recorded 更正 with its note) — so the
document has the catalog's review (保密审查, nobody reviews their own draft), 索引号, audit trail,
published versions and search-index updates like any other. The body is always written from
the consultation (:func:`opengov.site.consultations.rules.notice_markdown`): edit the
consultation, not its document.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session

from opengov.site import clock
from opengov.site.catalog.models import Document
from opengov.site.catalog.rules.metadata import Disclosure, PublicationStatus, Validity
from opengov.site.catalog.service import public as catalog
from opengov.site.catalog.service.columns import category_by_slug, issue_index_no
from opengov.site.catalog.service.editorial import DocumentData, publication_instant
from opengov.site.catalog.service.outbox import enqueue
from opengov.site.consultations.models import Consultation, ConsultationComment, FeedbackGroup
from opengov.site.consultations.rules import (
    CONSULTATION_COLUMN,
    CONSULTATION_GENRE,
    CONSULTATION_TOPIC,
    CommentFacts,
    CommentStatus,
    FeedbackCounts,
    GroupFacts,
    NoticeText,
    Phase,
    document_title,
    kind_of,
    notice_markdown,
    phase,
    tally,
)
from opengov.site.exceptions import ConflictError

#: The public page of a consultation (``public.consultation``), as the notice links to it.
PAGE_PATH = "/consultations/{id}"


def page_path(consultation: Consultation) -> str:
    return PAGE_PATH.format(id=consultation.id)


def phase_of(consultation: Consultation, today: dt.date) -> Phase:
    document = consultation.document
    return phase(document_status=document.status.value, published_on=document.published_on,
                 closes_on=consultation.closes_on,
                 feedback_published_on=consultation.feedback_published_on, today=today)


def counts_of(consultation: Consultation) -> FeedbackCounts:
    """The counts of one consultation (a GROUP BY: its comments are not loaded)."""
    session = object_session(consultation)
    assert session is not None, "a consultation of a session"
    return counts_by_consultation(session, [consultation.id]).get(
        consultation.id, FeedbackCounts(0, 0, 0, 0, 0))


def counts_by_consultation(session: Session,
                           consultation_ids: Sequence[int]) -> dict[int, FeedbackCounts]:
    """consultation id → its comment counts, counted by the database."""
    if not consultation_ids:
        return {}
    rows = session.execute(
        select(ConsultationComment.consultation_id, ConsultationComment.status,
               FeedbackGroup.decision, func.count())
        .outerjoin(FeedbackGroup, FeedbackGroup.id == ConsultationComment.group_id)
        .where(ConsultationComment.consultation_id.in_(consultation_ids))
        .group_by(ConsultationComment.consultation_id, ConsultationComment.status,
                  FeedbackGroup.decision))
    grouped: dict[int, list[tuple[CommentStatus, str, int]]] = {}
    for consultation_id, status, decision, count in rows:
        grouped.setdefault(consultation_id, []).append(
            (CommentStatus(status), decision or "", count))
    return {consultation_id: tally(items) for consultation_id, items in grouped.items()}


def comment_facts(session: Session, consultation: Consultation) -> list[CommentFacts]:
    """(serial, status, grouped) of every comment: what the feedback check needs, without
    the texts."""
    rows = session.execute(
        select(ConsultationComment.serial, ConsultationComment.status,
               ConsultationComment.group_id)
        .where(ConsultationComment.consultation_id == consultation.id)
        .order_by(ConsultationComment.serial))
    return [CommentFacts(serial, CommentStatus(status), group_id is not None)
            for serial, status, group_id in rows]


def group_serials(session: Session, consultation: Consultation) -> dict[int, list[int]]:
    """group id → the serials of its comments."""
    rows = session.execute(
        select(ConsultationComment.group_id, ConsultationComment.serial)
        .where(ConsultationComment.consultation_id == consultation.id,
               ConsultationComment.group_id.is_not(None))
        .order_by(ConsultationComment.serial))
    serials: dict[int, list[int]] = {}
    for group_id, serial in rows:
        if group_id is not None:  # filtered above; the column is nullable
            serials.setdefault(group_id, []).append(serial)
    return serials


def group_facts(consultation: Consultation) -> tuple[GroupFacts, ...]:
    session = object_session(consultation)
    assert session is not None, "a consultation of a session"
    serials = group_serials(session, consultation)
    return tuple(GroupFacts(group.summary, group.decision, group.reason,
                            len(serials.get(group.id, [])))
                 for group in consultation.groups)


def summary_text(consultation: Consultation) -> str:
    if consultation.summary.strip():
        return consultation.summary.strip()
    return (f"{consultation.agency.name}就《{consultation.title.strip('《》')}》公开征求意见，"
            f"截止日期{consultation.closes_on:%Y-%m-%d}。")


def notice_of(consultation: Consultation) -> NoticeText:
    published = consultation.feedback_published_on is not None
    return NoticeText(
        agency_name=consultation.agency.name, title=consultation.title,
        kind=kind_of(consultation.kind), closes_on=consultation.closes_on,
        page_url=page_path(consultation), draft_text=consultation.draft_text,
        explanation=consultation.explanation, legal_basis=consultation.legal_basis,
        how_to_comment=consultation.how_to_comment, contact=consultation.contact,
        shortened_reason=consultation.shortened_reason,
        extension_note=consultation.extension_note,
        feedback_summary=consultation.feedback_summary,
        feedback_published_on=consultation.feedback_published_on,
        groups=group_facts(consultation) if published else (),
        counts=counts_of(consultation) if published else None,
        decision_title=consultation.decision_title, decision_url=consultation.decision_url)


def document_data(session: Session, consultation: Consultation) -> DocumentData:
    """The catalog record of ``consultation`` as it stands now."""
    category = category_by_slug(session, CONSULTATION_COLUMN)
    if category is None:
        raise ConflictError("栏目“征集调查”不存在，请先运行 opengov init。")
    return DocumentData(
        title=document_title(consultation.title), agency_id=consultation.agency_id,
        category_id=category.id, topic=CONSULTATION_TOPIC,
        body=notice_markdown(notice_of(consultation)), summary=summary_text(consultation),
        genre=CONSULTATION_GENRE, issuer=consultation.agency.name,
        date_written=consultation.opens_on, keywords="征求意见、意见征集、公众参与",
        source=consultation.agency.name)


def public_document_by_index_no(session: Session, index_no: str,
                                today: dt.date) -> Document | None:
    """A public document of the catalog by its 索引号 (a consultation's final decision)."""
    return session.scalars(select(Document).where(
        Document.index_no == index_no.strip(), catalog.public_clause(today))).one_or_none()


def publish_imported(session: Session, consultation: Consultation) -> Document:
    """The catalog document of a consultation from ``content/`` (no one drafted it on this
    site, so no review): published on its first day with a 索引号, queued for the index —
    as the other importers publish their documents."""
    data = document_data(session, consultation)
    published_on = consultation.opens_on
    document = Document(
        agency_id=data.agency_id, category_id=data.category_id, title=data.title,
        summary=data.summary, body=data.body, genre=data.genre, issuer=data.issuer,
        source=data.source, topic=data.topic, keywords=data.keywords,
        date_written=data.date_written, published_on=published_on,
        disclosure=Disclosure.PROACTIVE, status=PublicationStatus.PUBLISHED,
        validity=Validity.VALID,
        body_hash=hashlib.sha256(data.body.encode("utf-8")).hexdigest(),
        index_no=issue_index_no(session, consultation.agency, published_on.year))
    session.add(document)
    session.flush()
    consultation.document = document
    not_before = publication_instant(published_on) if published_on > clock.today() else None
    enqueue(session, document.id, not_before=not_before)
    return document


def refresh_imported(session: Session, consultation: Consultation) -> bool:
    """Bring an imported consultation's document up to date with it; True if it changed."""
    document = consultation.document
    data = document_data(session, consultation)
    values = {"title": data.title, "summary": data.summary, "body": data.body}
    if all(getattr(document, name) == value for name, value in values.items()):
        return False
    for name, value in values.items():
        setattr(document, name, value)
    document.body_hash = hashlib.sha256(data.body.encode("utf-8")).hexdigest()
    enqueue(session, document.id)
    return True
