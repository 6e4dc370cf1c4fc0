"""征求意见: a draft opened for public comment, the comments, and the groups of the feedback.

Each consultation has a catalog document (栏目 征集调查) that carries its place in the catalog,
its review (保密审查) and publication, its 索引号 and its versions; the consultation holds
what the document is written from and what only the consultation has (period, comments,
feedback). Commenters' names and contact details are stored only encrypted (``*_enc``,
:mod:`opengov.site.personal_data`), and erased COMMENT_RETENTION_YEARS after the consultation
closed (``opengov consultations anonymise``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from opengov.site import clock
from opengov.site.accounts.models import User
from opengov.site.agencies.models import Agency
from opengov.site.catalog.models import Document
from opengov.site.db import Base


def _now() -> dt.datetime:
    return clock.utcnow()  # through the module, so that a test's clock sets it too


class Consultation(Base):
    """One draft opened for public comment (征求意见 / 重大决策预公开)."""

    __tablename__ = "consultations"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    #: The catalog document of the consultation (its notice, review and publication); set
    #: in the transaction that creates the consultation, once its id (which the notice links
    #: to) is known.
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), unique=True)
    #: Stable key of a consultation imported from ``content/consultations``.
    content_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    #: A :data:`~opengov.site.consultations.rules.KINDS` code: fixes the minimum period.
    kind: Mapped[str] = mapped_column(String(30))
    #: The draft's name, e.g. 示例市政务服务中心管理办法（征求意见稿）.
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    #: The draft itself, Markdown.
    draft_text: Mapped[str] = mapped_column(Text, default="")
    #: 起草说明, Markdown.
    explanation: Mapped[str] = mapped_column(Text, default="")
    #: 起草依据.
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    #: Other ways to comment (letters, e-mail, fax) besides the site.
    how_to_comment: Mapped[str] = mapped_column(Text, default="")
    #: The drafting office's contact (an office, not a person's private data).
    contact: Mapped[str] = mapped_column(String(300), default="")
    #: The first day of the period: planned until published, then the publication date.
    opens_on: Mapped[dt.date] = mapped_column(Date)
    #: The last day comments are taken (inclusive, 北京时间).
    closes_on: Mapped[dt.date] = mapped_column(Date, index=True)
    #: Why the period is shorter than the kind's minimum; published with the draft.
    shortened_reason: Mapped[str] = mapped_column(Text, default="")
    #: Published notes of later changes of the period (延长).
    extension_note: Mapped[str] = mapped_column(Text, default="")
    #: Whether the agency publishes the (moderated) comments on the page.
    publishes_comments: Mapped[bool] = mapped_column(Boolean, default=True)
    feedback_summary: Mapped[str] = mapped_column(Text, default="")
    feedback_published_on: Mapped[dt.date | None] = mapped_column(Date)
    #: The final decision or document the draft became.
    decision_title: Mapped[str] = mapped_column(String(300), default="")
    decision_url: Mapped[str] = mapped_column(String(500), default="")
    decision_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    decision_linked_on: Mapped[dt.date | None] = mapped_column(Date)
    #: Demo content (示例), marked on every page.
    is_example: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now)

    agency: Mapped[Agency] = relationship()
    document: Mapped[Document] = relationship(foreign_keys=[document_id])
    decision_document: Mapped[Document | None] = relationship(
        foreign_keys=[decision_document_id])
    created_by: Mapped[User | None] = relationship()
    comments: Mapped[list[ConsultationComment]] = relationship(
        back_populates="consultation", order_by="ConsultationComment.serial",
        cascade="all, delete-orphan")
    groups: Mapped[list[FeedbackGroup]] = relationship(
        back_populates="consultation", order_by="FeedbackGroup.position",
        cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Consultation {self.id} {self.title[:20]}>"


class FeedbackGroup(Base):
    """One group of like comments in the 意见采纳情况, with its decision and reason."""

    __tablename__ = "consultation_feedback_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    #: What the comments of the group say, in the office's words.
    summary: Mapped[str] = mapped_column(Text)
    #: 采纳 / 部分采纳 / 未采纳, "" until decided.
    decision: Mapped[str] = mapped_column(String(10), default="")
    reason: Mapped[str] = mapped_column(Text, default="")

    consultation: Mapped[Consultation] = relationship(back_populates="groups")
    comments: Mapped[list[ConsultationComment]] = relationship(
        back_populates="group", order_by="ConsultationComment.serial")


class ConsultationComment(Base):
    """A comment on a draft, from the site or entered by staff (letters, meetings)."""

    __tablename__ = "consultation_comments"
    __table_args__ = (UniqueConstraint("consultation_id", "serial"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    #: 第N条意见 of its consultation, given at receipt (the commenter's receipt number).
    serial: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    #: The text as published (a moderator may remove personal data); "" when not published.
    public_text: Mapped[str] = mapped_column(Text, default="")
    name_enc: Mapped[str] = mapped_column(Text, default="")
    phone_enc: Mapped[str] = mapped_column(Text, default="")
    email_enc: Mapped[str] = mapped_column(Text, default="")
    #: A :class:`~opengov.site.consultations.rules.CommentStatus` value.
    status: Mapped[str] = mapped_column(String(10), index=True)
    moderation_note: Mapped[str] = mapped_column(String(200), default="")
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation_feedback_groups.id", ondelete="SET NULL"), index=True)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    moderated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Set when the name and contacts were erased after the retention period (the text and
    #: its place in the feedback stay).
    anonymised_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    consultation: Mapped[Consultation] = relationship(back_populates="comments")
    group: Mapped[FeedbackGroup | None] = relationship(back_populates="comments")
    moderated_by: Mapped[User | None] = relationship(foreign_keys=[moderated_by_id])
    entered_by: Mapped[User | None] = relationship(foreign_keys=[entered_by_id])
