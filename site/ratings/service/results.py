"""The public figures of 好差评: per agency (its requests and its service items apart) and
per item, with how the 差评 were followed up. Below ``RATING_MIN_PUBLIC`` ratings there is
no 满意率, only the counts. Reads only; no comment or contact is ever shown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.agencies import service as agencies
from opengov.site.agencies.models import Agency
from opengov.site.db import get_session
from opengov.site.ratings.models import FollowUp, Rating
from opengov.site.ratings.rules import Level, Subject, Tally
from opengov.site.service_items.models import ServiceItem
from opengov.site.service_items.service import public as service_items


def _tallies(session: Session, group: Any,
             *conditions: ColumnElement[bool]) -> dict[int, Tally]:
    """Tallies of the ratings matching ``conditions``, keyed by ``group`` (an id column)."""
    found: dict[int, Tally] = {}
    for key, level, count in session.execute(
            select(group, Rating.level, func.count(Rating.id))
            .where(*conditions).group_by(group, Rating.level)).all():
        found.setdefault(key, Tally()).counts[Level(level)] += count
    today = clock.today()
    for key, closed_on, due_on in session.execute(
            select(group, FollowUp.closed_on, FollowUp.due_on)
            .join(Rating, Rating.id == FollowUp.rating_id).where(*conditions)).all():
        tally = found.setdefault(key, Tally())
        if closed_on is not None:
            tally.bad_closed += 1
            tally.bad_closed_on_time += closed_on <= due_on
        elif due_on < today:
            tally.bad_overdue += 1
    return found


@dataclass(frozen=True)
class AgencyFigures:
    agency: Agency
    requests: Tally
    items: Tally

    @property
    def total(self) -> Tally:
        combined = Tally()
        for part in (self.requests, self.items):
            for level, count in part.counts.items():
                combined.counts[level] += count
            combined.bad_closed += part.bad_closed
            combined.bad_closed_on_time += part.bad_closed_on_time
            combined.bad_overdue += part.bad_overdue
        return combined


@dataclass(frozen=True)
class ItemFigures:
    item: ServiceItem
    tally: Tally


@dataclass(frozen=True)
class RatingsPage:
    agencies: list[AgencyFigures]
    items: list[ItemFigures]
    minimum: int
    days: int


def ratings_page() -> RatingsPage:
    """Every agency with ratings, and every public item with ratings (most rated first)."""
    session = get_session()
    by_request = _tallies(session, Rating.agency_id, Rating.subject == Subject.REQUEST.value)
    by_item_agency = _tallies(session, Rating.agency_id,
                              Rating.subject == Subject.SERVICE_ITEM.value)
    per_item = _tallies(session, Rating.item_id, Rating.subject == Subject.SERVICE_ITEM.value)
    figures = [AgencyFigures(agency, by_request.get(agency.id, Tally()),
                             by_item_agency.get(agency.id, Tally()))
               for agency in agencies.all_agencies()
               if agency.id in by_request or agency.id in by_item_agency]
    public = {item.id: item for item in service_items.sitemap_items()}
    items = sorted((ItemFigures(public[item_id], tally)
                    for item_id, tally in per_item.items() if item_id in public),
                   key=lambda entry: (-entry.tally.total, entry.item.code))
    return RatingsPage(figures, items, int(current_app.config["RATING_MIN_PUBLIC"]),
                       int(current_app.config["RATING_FOLLOW_UP_DAYS"]))


def item_figures(item_id: int) -> ItemFigures:
    """The figures of a public item (:class:`NotFoundError` when it is not public)."""
    session = get_session()
    item, _revision = service_items.public_item(session, item_id)
    tally = _tallies(session, Rating.item_id, Rating.item_id == item.id).get(item.id, Tally())
    return ItemFigures(item, tally)
