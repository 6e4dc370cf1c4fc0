"""A fixed-window limit per client, counted in the database so every worker process sees it;
and the anti-robot check of the public forms (:mod:`opengov.site.throttle.rules`).

Client addresses are stored only as keyed hashes.

:func:`exceeded` and :func:`hit` are composable (a form that files something counts its hit in
the same transaction as what it files); :func:`limited` and :func:`record_hit` are the entry
functions of a form that writes nothing else. :func:`form_start_token` and
:func:`sent_by_robot` are what every public form uses against robots.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.db import advisory_lock, get_session, unit_of_work
from opengov.site.exceptions import ServiceError
from opengov.site.throttle.models import RateLimitHit
from opengov.site.throttle.rules import looks_automated

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


# --- the anti-robot check of the public forms ---------------------------------------------

#: A form shown longer ago than this has no valid start any more (its page is stale).
FORM_START_MAX_AGE = 86400


def _form_serializer() -> URLSafeTimedSerializer:
    # The salt predates the other forms: tokens of request forms already open stay valid.
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="request-form-start")


def form_start_token() -> str:
    """The signed moment a public form is shown now, for its hidden ``started`` field."""
    return _form_serializer().dumps(clock.now().timestamp())


def sent_by_robot(started_token: str, honeypot: str) -> bool:
    """Whether a public form sent back with ``started_token`` and the honeypot field's value
    looks sent by a robot: faster than REQUEST_MIN_FILL_SECONDS, a forged or stale start, or
    the honeypot filled in."""
    try:
        started: float | None = float(_form_serializer().loads(started_token or "",
                                                               max_age=FORM_START_MAX_AGE))
    except (BadSignature, TypeError, ValueError):
        started = None
    return looks_automated(honeypot=honeypot or "", started_at=started,
                           now=clock.now().timestamp(),
                           minimum_seconds=float(current_app.config["REQUEST_MIN_FILL_SECONDS"]))
