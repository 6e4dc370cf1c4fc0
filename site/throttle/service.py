"""A fixed-window limit per client, counted in the database so every worker process sees it.

Client addresses are stored only as keyed hashes.

:func:`exceeded` and :func:`hit` are composable (a form that files something counts its hit in
the same transaction as what it files); :func:`limited` and :func:`record_hit` are the entry
functions of a form that writes nothing else.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.db import advisory_lock, get_session, unit_of_work
from opengov.site.exceptions import ServiceError
from opengov.site.throttle.models import RateLimitHit

#: Hits older than this are swept: no window is longer.
KEPT_FOR = dt.timedelta(days=1)


class RateLimitedError(ServiceError):
    """The client used up its attempts in the window; the message says when to come back."""

    status = 429


def _key(client: str) -> str:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hashlib.sha256(secret + b"|" + client.encode()).hexdigest()


def exceeded(session: Session, bucket: str, client: str, limit: int,
             window: dt.timedelta) -> bool:
    """True when ``client`` already has ``limit`` hits in ``bucket`` within ``window``.

    Inside a unit of work the client's bucket stays locked until it commits, so that
    simultaneous requests count one after the other (the check and the :func:`hit` that
    follows never interleave with another request's)."""
    if session.info.get("writing"):
        advisory_lock(session, f"throttle:{bucket}:{_key(client)}")
    since = clock.utcnow() - window
    count = session.scalar(select(func.count()).select_from(RateLimitHit).where(
        RateLimitHit.bucket == bucket, RateLimitHit.key_hash == _key(client),
        RateLimitHit.at >= since)) or 0
    return count >= limit


def hit(session: Session, bucket: str, client: str) -> None:
    """Count one attempt inside the caller's unit of work. Old hits are swept now and then."""
    session.add(RateLimitHit(bucket=bucket, key_hash=_key(client)))
    session.execute(delete(RateLimitHit).where(RateLimitHit.at < clock.utcnow() - KEPT_FOR))


def limited(bucket: str, client: str, limit: int, window: dt.timedelta) -> bool:
    """Entry: whether ``client`` has used up ``bucket`` (a read; counts nothing)."""
    return exceeded(get_session(), bucket, client, limit, window)


def record_hit(bucket: str, client: str) -> None:
    """Entry: count one attempt of ``client`` in ``bucket`` in a unit of work of its own."""
    with unit_of_work() as session:
        hit(session, bucket, client)
