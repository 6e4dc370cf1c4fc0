"""The follow-up of a 差评: opened with the rating, due within ``RATING_FOLLOW_UP_DAYS``
working days on the site's calendar (recomputed when the calendar changes), answered by the
rated agency's staff with a 回访 and a 整改 (or the finding that the complaint was unfounded),
tracked with the requests' colours and reminders.

Who answers: for a request's rating, the agency's handlers of requests (依申请公开办理); for a
service item's, its editors and reviewers (those who keep its 办事指南); administrators and
site-wide staff of every agency.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app, render_template
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from opengov.site import clock
from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.audit import service as audit
from opengov.site.audit.service import AuditAction, Origin
from opengov.site.db import get_session, unit_of_work
from opengov.site.exceptions import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from opengov.site.personal_data import get_cipher
from opengov.site.ratings.models import FollowUp, Rating
from opengov.site.ratings.rules import (
    REMINDER_DAYS,
    FollowUpStage,
    Subject,
    check_callback,
    check_rectification,
    deadline_colour,
    follow_up_due,
    stage_after,
    workdays_left,
)
from opengov.site.requests.service import notifications
from opengov.site.workdays import service as workdays
from opengov.site.workdays.rules import WorkingCalendar

#: Who answers the follow-ups of each subject (administrators answer all).
ROLES: dict[Subject, frozenset[Role]] = {
    Subject.REQUEST: frozenset({Role.HANDLER}),
    Subject.SERVICE_ITEM: frozenset({Role.EDITOR, Role.REVIEWER}),
}
ANY_ROLE: frozenset[Role] = frozenset(role for roles in ROLES.values() for role in roles)


class FollowUpError(InvalidInputError):
    """A step of a follow-up with bad values; ``problems`` maps fields to messages."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("；".join(problems.values()))
        self.problems = problems


def days_allowed() -> int:
    return int(current_app.config["RATING_FOLLOW_UP_DAYS"])


def open_follow_up(session: Session, rating: Rating, calendar: WorkingCalendar) -> FollowUp:
    """The follow-up of a 差评, due on the calendar; composable (the rating's unit of work)."""
    due = follow_up_due(calendar, rating.rated_on, days_allowed())
    follow_up = FollowUp(rating=rating, agency_id=rating.agency_id,
                         stage=FollowUpStage.CALLBACK.value, due_on=due.date,
                         due_provisional=due.provisional, due_explanation=due.explanation)
    session.add(follow_up)
    return follow_up


def recompute_due_dates(session: Session, calendar: WorkingCalendar) -> int:
    """Move the deadline of every open follow-up to what ``calendar`` says now."""
    count = 0
    for follow_up in session.scalars(select(FollowUp).where(FollowUp.closed_on.is_(None))
                                     .options(selectinload(FollowUp.rating))):
        due = follow_up_due(calendar, follow_up.rating.rated_on, days_allowed())
        follow_up.due_on, follow_up.due_provisional = due.date, due.provisional
        follow_up.due_explanation = due.explanation
        count += 1
    return count


def _on_calendar_change(_sender: object, *, session: Session,
                        calendar: WorkingCalendar) -> None:
    recompute_due_dates(session, calendar)


def follow_calendar_changes() -> None:
    """Recompute open follow-ups' deadlines in the unit of work of every calendar change
    (connected once by the app factory)."""
    workdays.calendar_changed.connect(_on_calendar_change)


# --- who may see and answer -------------------------------------------------------------


def _sees_every_agency(actor: User) -> bool:
    return actor.agency_id is None or Role.ADMIN in actor.roles


def may_answer(actor: User, follow_up: FollowUp) -> bool:
    subject = Subject(follow_up.rating.subject)
    return ((_sees_every_agency(actor) or actor.agency_id == follow_up.agency_id)
            and actor.has_role(*ROLES[subject]))


def _require_staff(actor: User) -> None:
    if not actor.has_role(*ANY_ROLE):
        raise ForbiddenError("您没有办理好差评回访整改的权限。")


def _scoped(session: Session, actor: User, follow_up_id: int, *,
            fresh: bool = False) -> FollowUp:
    found = (session.get(FollowUp, follow_up_id, populate_existing=fresh)
             if 0 < follow_up_id < 2**31 else None)
    if found is None or not may_answer(actor, found):
        raise NotFoundError("没有这条差评回访记录。")
    return found


# --- the queue ---------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    follow_up: FollowUp
    #: Working days to the deadline (negative: overdue); None once closed.
    days_left: int | None
    colour: str


@dataclass(frozen=True)
class Queue:
    rows: list[QueueRow]
    today: dt.date
    days: int

    @property
    def warnings(self) -> list[QueueRow]:
        """Open follow-ups due within the warning period or overdue, soonest first."""
        return sorted((row for row in self.rows if row.colour in {"yellow", "red"}),
                      key=lambda row: row.days_left if row.days_left is not None else 0)


#: The queue's filters.
OPEN = "open"
QUEUE_FILTERS: dict[str, str] = {OPEN: "未办结", "all": "全部",
                                 **{stage.value: stage.value for stage in FollowUpStage}}


def queue(actor: User, stage: str = OPEN) -> Queue:
    """The follow-ups ``actor`` answers, deadlines first, with their colours."""
    _require_staff(actor)
    session = get_session()
    query = (select(FollowUp).join(Rating).order_by(FollowUp.due_on, FollowUp.id)
             .options(selectinload(FollowUp.rating).selectinload(Rating.item),
                      selectinload(FollowUp.rating).selectinload(Rating.request),
                      selectinload(FollowUp.agency)))
    if stage == OPEN:
        query = query.where(FollowUp.closed_on.is_(None))
    elif stage in {item.value for item in FollowUpStage}:
        query = query.where(FollowUp.stage == stage)
    if not _sees_every_agency(actor):
        query = query.where(FollowUp.agency_id == actor.agency_id)
    subjects = [subject.value for subject, roles in ROLES.items() if actor.has_role(*roles)]
    query = query.where(Rating.subject.in_(subjects))
    calendar = workdays.load_calendar(session)
    today = clock.today()
    rows = []
    for follow_up in session.scalars(query):
        left = (None if follow_up.closed_on is not None
                else workdays_left(calendar, today, follow_up.due_on))
        rows.append(QueueRow(follow_up, left, deadline_colour(left)))
    return Queue(rows, today, days_allowed())


# --- one follow-up ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUpPage:
    follow_up: FollowUp
    rating: Rating
    #: The rater's contact for the 回访: left with an item's rating (decrypted for staff);
    #: for a request, the applicant's details are on the request's page.
    contact: str
    days_left: int | None
    colour: str


def follow_up_page(actor: User, follow_up_id: int) -> FollowUpPage:
    _require_staff(actor)
    session = get_session()
    found = _scoped(session, actor, follow_up_id)
    left = (None if found.closed_on is not None
            else workdays_left(workdays.load_calendar(session), clock.today(), found.due_on))
    return FollowUpPage(found, found.rating, get_cipher().decrypt(found.rating.contact_enc),
                        left, deadline_colour(left))


def record_callback(actor: User, follow_up_id: int, *, on: dt.date | None, method: str,
                    note: str, origin: Origin) -> FollowUp:
    """The 回访 of a 差评 (who was called, how, what they said)."""
    _require_staff(actor)
    with unit_of_work() as session:
        found = _scoped(session, actor, follow_up_id, fresh=True)
        if found.callback_on is not None:
            raise ConflictError("已经记录过回访。")
        problems = check_callback(on, method, note, clock.today(), found.rating.rated_on)
        if problems:
            raise FollowUpError(problems)
        found.callback_on, found.callback_method = on, method
        found.callback_note, found.callback_by_id = note.strip(), actor.id
        _advance(found)
        audit.record(session, AuditAction.TRANSITION, actor=actor, origin=origin,
                     object_type="rating_follow_up", object_id=found.id,
                     detail=f"差评回访（{method}）")
        return found


def record_rectification(actor: User, follow_up_id: int, *, verdict: str, text: str,
                         on: dt.date | None, origin: Origin) -> FollowUp:
    """The 整改 of a 差评 (or why it was unfounded); with the 回访 done, this closes it and
    erases the contact the rater left."""
    _require_staff(actor)
    with unit_of_work() as session:
        found = _scoped(session, actor, follow_up_id, fresh=True)
        if found.rectified_on is not None:
            raise ConflictError("已经记录过整改结果。")
        problems = check_rectification(verdict, text, on, clock.today(), found.rating.rated_on)
        if problems:
            raise FollowUpError(problems)
        found.verdict, found.rectification = verdict, text.strip()
        found.rectified_on, found.rectified_by_id = on, actor.id
        _advance(found)
        audit.record(session, AuditAction.TRANSITION, actor=actor, origin=origin,
                     object_type="rating_follow_up", object_id=found.id,
                     detail=f"差评整改：{verdict}")
        return found


def _advance(found: FollowUp) -> None:
    stage = stage_after(found.callback_on is not None, found.rectified_on is not None)
    found.stage = stage.value
    if stage is FollowUpStage.CLOSED:
        dates = [day for day in (found.callback_on, found.rectified_on) if day is not None]
        found.closed_on = max(dates)
        # The contact was left for the 回访 only.
        found.rating.contact_enc = ""


# --- reminders ----------------------------------------------------------------------------------


def _staff_to_remind(session: Session, follow_up: FollowUp) -> list[User]:
    roles = ROLES[Subject(follow_up.rating.subject)]
    users = session.scalars(select(User).where(User.active.is_(True)).order_by(User.username))
    return [user for user in users if user.email and user.has_role(*roles)
            and user.agency_id in (None, follow_up.agency_id)]


def remind(today: dt.date) -> list[str]:
    """E-mail the staff who answer each open follow-up due in exactly 5, 3 or 1 working days,
    or overdue; one line per follow-up for the command's output. Reads only."""
    session = get_session()
    calendar = workdays.load_calendar(session)
    lines: list[str] = []
    open_ones = session.scalars(select(FollowUp).where(FollowUp.closed_on.is_(None))
                                .order_by(FollowUp.due_on, FollowUp.id)
                                .options(selectinload(FollowUp.rating),
                                         selectinload(FollowUp.agency)))
    for follow_up in open_ones:
        left = workdays_left(calendar, today, follow_up.due_on)
        if left >= 0 and left not in REMINDER_DAYS:
            continue
        when = f"还剩{left}个工作日" if left >= 0 else f"已逾期{-left}个工作日"
        line = (f"差评回访整改 #{follow_up.id}（{follow_up.agency.name}，{follow_up.stage}）"
                f"期限 {follow_up.due_on.isoformat()} {when}")
        lines.append(line)
        body = render_template("email/rating_follow_up_reminder.txt", follow_up=follow_up,
                               when=when)
        for person in _staff_to_remind(session, follow_up):
            notifications.send_mail(person.email, f"好差评整改期限提醒：#{follow_up.id}", body)
    return lines
