"""Entry functions of the drafting office's work on comments: moderation (publish, record
without publishing, or set aside as invalid), comments received otherwise (letters, e-mail,
meetings), and the groups of the feedback (意见归类) with their decisions.

Moderation and grouping belong to the consultation's agency (撰稿 and 审核 staff) while the
consultation is open or being summed up; once the 意见采纳情况 is published they are fixed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.consultations.models import Consultation, ConsultationComment, FeedbackGroup
from opengov.site.consultations.rules import (
    COMMENT_MAX_CHARS,
    NAME_MAX_CHARS,
    VALID_STATUSES,
    Channel,
    CommentStatus,
    Phase,
    group_problem,
    moderation_problem,
)
from opengov.site.consultations.service import documents
from opengov.site.consultations.service.drafting import ConsultationInputError, scoped
from opengov.site.db import unit_of_work
from opengov.site.exceptions import ConflictError, ForbiddenError, NotFoundError
from opengov.site.personal_data import get_cipher


def _require_staff(actor: User) -> None:
    if not actor.has_role(Role.EDITOR, Role.REVIEWER):
        raise ForbiddenError("您没有办理征求意见的权限。")


def _require_working(consultation: Consultation, today: dt.date) -> None:
    current = documents.phase_of(consultation, today)
    if current is Phase.FEEDBACK:
        raise ConflictError("意见采纳情况已经公布，意见的审核和归类不能再改动。")
    if current not in (Phase.OPEN, Phase.CLOSED):
        raise ConflictError(f"征求意见{current.value}，没有可以处理的意见。")


# --- comments -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CommentInput:
    """A comment as its author gave it; name and contact optional (stored encrypted)."""

    text: str
    name: str = ""
    phone: str = ""
    email: str = ""


def add_comment(session: Session, consultation: Consultation, comment: CommentInput,
                channel: Channel, *, entered_by: User | None = None) -> ConsultationComment:
    """Store a comment as 待审核 with the next serial of its consultation (composable). The
    consultation's row is locked first (PostgreSQL), so concurrent comments get distinct
    serials; SQLite's writers are serialised already."""
    text = comment.text.strip()
    if not text:
        raise ConsultationInputError("text", "请填写意见内容。")
    if len(text) > COMMENT_MAX_CHARS:
        raise ConsultationInputError("text", f"意见内容不超过{COMMENT_MAX_CHARS}字。")
    session.execute(select(Consultation.id).where(Consultation.id == consultation.id)
                    .with_for_update())
    serial = (session.scalar(select(func.max(ConsultationComment.serial)).where(
        ConsultationComment.consultation_id == consultation.id)) or 0) + 1
    cipher = get_cipher()
    row = ConsultationComment(
        consultation=consultation, serial=serial, channel=channel.value, text=text,
        name_enc=cipher.encrypt(comment.name.strip()[:NAME_MAX_CHARS]),
        phone_enc=cipher.encrypt(comment.phone.strip()),
        email_enc=cipher.encrypt(comment.email.strip()),
        status=CommentStatus.PENDING.value, entered_by=entered_by)
    session.add(row)
    session.flush()
    return row


def anonymise_commenters(session: Session, today: dt.date, years: int) -> int:
    """Erase the names and contacts of the comments on consultations that closed more than
    ``years`` ago (composable); the comments' text, status and groups — the published
    feedback — stay. Returns how many comments were anonymised."""
    cutoff = clock.years_before(today, years)
    comments = session.scalars(
        select(ConsultationComment).join(Consultation)
        .where(Consultation.closes_on < cutoff, ConsultationComment.anonymised_at.is_(None)))
    count = 0
    for comment in comments:
        comment.name_enc = comment.phone_enc = comment.email_enc = ""
        comment.anonymised_at = clock.utcnow()
        count += 1
    session.flush()
    return count


def enter_comment(actor: User, consultation_id: int, comment: CommentInput,
                  channel: Channel) -> int:
    """A comment received by letter, e-mail, fax or at a meeting, entered by staff; it is
    moderated like the others. Returns its serial."""
    _require_staff(actor)
    if channel is Channel.WEBSITE:
        raise ConsultationInputError("channel", "网站收到的意见由公众自行提交。")
    with unit_of_work() as session:
        consultation = scoped(session, actor, consultation_id, fresh=True)
        _require_working(consultation, clock.today())
        return add_comment(session, consultation, comment, channel, entered_by=actor).serial


def _scoped_comment(session: Session, actor: User, consultation_id: int,
                    comment_id: int) -> tuple[Consultation, ConsultationComment]:
    consultation = scoped(session, actor, consultation_id, fresh=True)
    comment = session.get(ConsultationComment, comment_id) if 0 < comment_id < 2**31 else None
    if comment is None or comment.consultation_id != consultation.id:
        raise NotFoundError("没有这条意见。")
    return consultation, comment


def moderate(actor: User, consultation_id: int, comment_id: int, status: str, *,
             public_text: str = "", note: str = "", group_id: int | None = None,
             assign_group: bool = False) -> CommentStatus:
    """Decide a comment: 已公开 (shown, as ``public_text`` — the moderator may remove
    personal data), 已收录 (counted, not shown) or 无效 (with the reason; not counted). With
    ``assign_group`` the comment also goes into group ``group_id`` (None: no group) in the
    same step, as the office reads it."""
    _require_staff(actor)
    try:
        chosen = CommentStatus(status)
    except ValueError:
        raise ConsultationInputError("status", "请选择审核结果。") from None
    with unit_of_work() as session:
        consultation, comment = _scoped_comment(session, actor, consultation_id, comment_id)
        _require_working(consultation, clock.today())
        text = public_text.strip() or comment.text
        problem = moderation_problem(chosen, publishes_comments=consultation.publishes_comments,
                                     public_text=text, note=note)
        if problem:
            raise ConsultationInputError("status", problem)
        comment.status = chosen.value
        comment.public_text = text if chosen is CommentStatus.PUBLISHED else ""
        comment.moderation_note = note.strip()[:200]
        comment.moderated_at = clock.utcnow()
        comment.moderated_by_id = actor.id
        if chosen not in VALID_STATUSES:
            if assign_group and group_id is not None:
                raise ConsultationInputError("group", "无效意见不能归类。")
            comment.group_id = None  # an invalid comment is not counted in any group
        elif assign_group:
            if group_id is not None and group_id not in {g.id for g in consultation.groups}:
                raise ConsultationInputError("group", "请从列表中选择意见类别。")
            comment.group_id = group_id
        return chosen


# --- groups (意见归类) ----------------------------------------------------------------------


def save_group(actor: User, consultation_id: int, group_id: int | None, *, summary: str,
               decision: str, reason: str, comment_ids: Collection[int] | None = None) -> int:
    """Create or change a group: what its comments say, the decision and its reason, and —
    given ``comment_ids`` — which valid comments belong to it (a comment belongs to one group
    at most; without ``comment_ids`` the comments stay where they are)."""
    _require_staff(actor)
    problem = group_problem(summary, decision, reason)
    if problem:
        raise ConsultationInputError("summary" if "概括" in problem else "reason", problem)
    with unit_of_work() as session:
        consultation = scoped(session, actor, consultation_id, fresh=True)
        _require_working(consultation, clock.today())
        if group_id is None:
            group = FeedbackGroup(consultation=consultation,
                                  position=len(consultation.groups) + 1, summary="")
            session.add(group)
        else:
            found = session.get(FeedbackGroup, group_id) if 0 < group_id < 2**31 else None
            if found is None or found.consultation_id != consultation.id:
                raise NotFoundError("没有这类意见。")
            group = found
        group.summary, group.decision, group.reason = summary.strip(), decision, reason.strip()
        session.flush()
        if comment_ids is None:
            return group.id
        wanted = set(comment_ids)
        for comment in consultation.comments:
            if comment.id in wanted:
                if CommentStatus(comment.status) not in VALID_STATUSES:
                    raise ConsultationInputError(
                        "comments", f"第{comment.serial}条意见尚未审核或为无效意见，不能归类。")
                comment.group = group
            elif comment.group_id == group.id:
                comment.group = None
        session.flush()
        return group.id


def delete_group(actor: User, consultation_id: int, group_id: int) -> None:
    """Remove a group; its comments become ungrouped."""
    _require_staff(actor)
    with unit_of_work() as session:
        consultation = scoped(session, actor, consultation_id, fresh=True)
        _require_working(consultation, clock.today())
        group = next((g for g in consultation.groups if g.id == group_id), None)
        if group is None:
            raise NotFoundError("没有这类意见。")
        for comment in list(group.comments):
            comment.group = None
        consultation.groups.remove(group)
        for position, remaining in enumerate(consultation.groups, start=1):
            remaining.position = position
