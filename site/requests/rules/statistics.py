"""Public statistics of requests for disclosure, honest about small numbers.

Rates are shown only where they rest on at least :data:`MIN_FOR_RATE` requests; below that
the page gives the counts alone, since a percentage of three requests says nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from statistics import median

from opengov.site.requests.rules.outcomes import Bucket, Outcome

MIN_FOR_RATE = 10


@dataclass(frozen=True)
class RequestFacts:
    """What the statistics need of one request."""

    received_on: dt.date
    closed_on: dt.date | None = None
    outcome: Outcome | None = None
    replied_on: dt.date | None = None
    due_on: dt.date | None = None
    #: Working days from receipt to reply (the clock's pauses not deducted).
    workdays_to_reply: int | None = None
    #: Working days the reply took net of the pauses the law excludes (补正 restarts the
    #: count; consultations and the fee window are deducted).
    workdays_net: int | None = None
    #: Still open on the day the figures were made and past its deadline.
    overdue_open: bool = False


@dataclass
class YearFigures:
    year: int
    received: int = 0
    closed: int = 0
    replied: int = 0
    replied_on_time: int = 0
    workdays_total: int = 0
    outcomes: Counter[Bucket] = field(default_factory=Counter)
    #: Net working days of each reply, for the median.
    net_workdays: list[int] = field(default_factory=list)
    #: Requests received this year, still open and past their deadline.
    overdue_open: int = 0

    @property
    def median_workdays(self) -> float | None:
        """The median of the net working days a reply took; None without replies."""
        if not self.net_workdays:
            return None
        return float(median(self.net_workdays))

    @property
    def on_time_rate(self) -> Fraction | None:
        """Share of replies given by their deadline; None below :data:`MIN_FOR_RATE`."""
        if self.replied < MIN_FOR_RATE:
            return None
        return Fraction(self.replied_on_time, self.replied)

    @property
    def average_workdays(self) -> Fraction | None:
        if self.replied == 0:
            return None
        return Fraction(self.workdays_total, self.replied)

    def outcome_share(self, bucket: Bucket) -> Fraction | None:
        """Share of closed requests in ``bucket``; None below :data:`MIN_FOR_RATE`."""
        if self.closed < MIN_FOR_RATE:
            return None
        return Fraction(self.outcomes[bucket], self.closed)


def yearly_figures(requests: Iterable[RequestFacts]) -> list[YearFigures]:
    """Figures per year, newest first: received by receipt date, the rest by closing date."""
    years: dict[int, YearFigures] = {}

    def of(year: int) -> YearFigures:
        return years.setdefault(year, YearFigures(year))

    for request in requests:
        received = of(request.received_on.year)
        received.received += 1
        received.overdue_open += request.overdue_open
        if request.closed_on is None or request.outcome is None:
            continue
        figures = of(request.closed_on.year)
        figures.closed += 1
        figures.outcomes[request.outcome.bucket] += 1
        if request.replied_on is not None and request.due_on is not None:
            figures.replied += 1
            figures.replied_on_time += request.replied_on <= request.due_on
            figures.workdays_total += request.workdays_to_reply or 0
            if request.workdays_net is not None:
                figures.net_workdays.append(request.workdays_net)
    return sorted(years.values(), key=lambda figures: figures.year, reverse=True)
