"""The site's one clock: 北京时间 (Asia/Shanghai), whatever the server's ``TZ``.

Every statutory date — a request's receipt and deadlines, a document's publication date, the
year of an annual report — is a date in Beijing. Nothing else in the site calls
``date.today()`` or ``datetime.now()``: modules call :func:`today` and :func:`now` here
(as ``clock.today()``, so that tests can set the clock in one place).

Database timestamps (``created_at``, ``at`` …) are stored as naive UTC (:func:`utcnow`), which
sorts and compares the same on SQLite and PostgreSQL; :func:`to_beijing` turns them into
Beijing time for display.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

#: 北京时间, the zone of every date the site shows or computes.
CHINA = ZoneInfo("Asia/Shanghai")


def now() -> dt.datetime:
    """The current moment in 北京时间 (aware)."""
    return dt.datetime.now(CHINA)


def today() -> dt.date:
    """Today's date in Beijing."""
    return now().date()


def utcnow() -> dt.datetime:
    """The current moment as naive UTC, the form timestamps take in the database."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def to_beijing(moment: dt.datetime) -> dt.datetime:
    """A stored timestamp (naive UTC, or aware) as an aware datetime in 北京时间."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(CHINA)


def beijing_to_utc(moment: dt.datetime) -> dt.datetime:
    """A moment entered in 北京时间 (naive or aware) as naive UTC for storage."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CHINA)
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` years earlier; 29 February becomes the 28th in a common year (a
    retention period counted in years must not fail one day in four years)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)
