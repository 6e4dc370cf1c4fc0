"""Rating: the applicant of a closed request, with its number and query code; anyone who used
a service item, rate-limited per address (no account needed). A 差评 opens its follow-up in
the same unit of work."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.agencies.models import Agency
from opengov.site.db import unit_of_work
from opengov.site.exceptions import ConflictError, InvalidInputError
from opengov.site.personal_data import get_cipher
from opengov.site.ratings.models import Rating
from opengov.site.ratings.rules import INDICATORS, Indicator, RatingInput, Subject, check_rating
from opengov.site.ratings.service import followups
from opengov.site.ratings.service.results import ItemFigures, item_figures
from opengov.site.requests.rules.clock import CLOSED_STAGES
from opengov.site.requests.service import public as requests
from opengov.site.service_items.service import public as service_items
from opengov.site.throttle import service as throttle
from opengov.site.workdays import service as workdays

ITEM_BUCKET = "item_rating"
ITEM_WINDOW = dt.timedelta(hours=1)
#: The same address rates the same item at most once in this window.
REPEAT_WINDOW = dt.timedelta(days=1)


class InvalidRatingError(InvalidInputError):
    """The rating breaks a rule; ``problems`` maps each field to its message."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("；".join(problems.values()))
        self.problems = problems


@dataclass(frozen=True)
class Rated:
    """A rating just saved: its number and, for a 差评, by when it will be followed up."""

    rating_id: int
    is_bad: bool
    agency_name: str
    follow_up_due: dt.date | None


def _checked(rating: RatingInput) -> None:
    problems = check_rating(rating)
    if problems:
        raise InvalidRatingError(problems)


def _save(session: Session, rating: RatingInput, *, agency: Agency,
          request_id: int | None = None,
          item_id: int | None = None) -> tuple[Rating, dt.date | None]:
    """Add the rating (and the follow-up of a 差评) to the caller's unit of work."""
    row = Rating(subject=rating.subject.value, agency_id=agency.id, request_id=request_id,
                 item_id=item_id, level=rating.level.value, scores=rating.other_scores,
                 comment=rating.comment.strip(),
                 contact_enc=get_cipher().encrypt(rating.contact.strip())
                 if rating.contact.strip() and rating.is_bad else "",
                 rated_on=clock.today())
    session.add(row)
    due = None
    if rating.is_bad:
        due = followups.open_follow_up(session, row, workdays.load_calendar(session)).due_on
    session.flush()
    return row, due


# --- service items ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemRatingPage:
    figures: ItemFigures
    indicators: tuple[Indicator, ...]
    minimum: int
    days: int


def item_rating_page(item_id: int) -> ItemRatingPage:
    """The rating form of a public item with its figures so far."""
    return ItemRatingPage(item_figures(item_id), INDICATORS[Subject.SERVICE_ITEM],
                          int(current_app.config["RATING_MIN_PUBLIC"]), followups.days_allowed())


def _item_bucket(item_id: int) -> str:
    return f"{ITEM_BUCKET}_{item_id}"


def rate_item(item_id: int, rating: RatingInput, *, client: str) -> Rated:
    """Rate a public item. :class:`InvalidRatingError` names the fields that break a rule,
    :class:`~opengov.site.throttle.service.RateLimitedError` when the address rated too
    often, :class:`~opengov.site.exceptions.NotFoundError` when the item is not public."""
    _checked(rating)
    limit = int(current_app.config["RATING_LIMIT"])
    with unit_of_work() as session:
        item, _revision = service_items.public_item(session, item_id)
        if throttle.exceeded(session, _item_bucket(item.id), client, 1, REPEAT_WINDOW):
            raise throttle.RateLimitedError("您今天已经评价过这个事项，感谢参与。")
        if throttle.exceeded(session, ITEM_BUCKET, client, limit, ITEM_WINDOW):
            raise throttle.RateLimitedError("同一网络提交的评价过多，请一小时后再试。")
        row, due = _save(session, rating, agency=item.agency, item_id=item.id)
        throttle.hit(session, ITEM_BUCKET, client)
        throttle.hit(session, _item_bucket(item.id), client)
        return Rated(row.id, rating.is_bad, item.agency.name, due)


# --- requests -----------------------------------------------------------------------------------


def request_indicators() -> tuple[Indicator, ...]:
    return INDICATORS[Subject.REQUEST]


def rate_request(number: str, code: str, rating: RatingInput, *, client: str) -> Rated:
    """The applicant rates a closed request, once, with its number and query code. A wrong
    pair counts against the address like a wrong status look-up and is answered the same
    (:class:`~opengov.site.exceptions.NotFoundError`); an open request or a second rating is
    a :class:`ConflictError`."""
    _checked(rating)
    case = requests.look_up(number, code, client=client)
    if case.state.stage not in CLOSED_STAGES:
        stage = case.state.stage.value if case.state.stage else "办理中"
        raise ConflictError(f"申请办结后才能评价（当前状态：{stage}）。")
    try:
        with unit_of_work() as session:
            rated = session.scalar(select(func.count(Rating.id)).where(
                Rating.request_id == case.request.id))
            if rated:
                raise ConflictError("这件申请已经评价过，每件申请只能评价一次。")
            row, due = _save(session, rating, agency=case.request.agency,
                             request_id=case.request.id)
            return Rated(row.id, rating.is_bad, case.request.agency.name, due)
    except IntegrityError:  # rated by a second browser at the same moment
        raise ConflictError("这件申请已经评价过，每件申请只能评价一次。") from None
