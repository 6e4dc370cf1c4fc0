"""A fixed-window limit per client, counted in the database so every worker process sees it.

Client addresses are stored only as keyed hashes.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from opengov.site.clock import utcnow
from opengov.site.throttle.models import RateLimitHit


def _key(client: str) -> str:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hashlib.sha256(secret + b"|" + client.encode()).hexdigest()


def exceeded(session: Session, bucket: str, client: str, limit: int,
             window: dt.timedelta) -> bool:
    """True when ``client`` already has ``limit`` hits in ``bucket`` within ``window``."""
    since = utcnow() - window
    count = session.scalar(select(func.count()).select_from(RateLimitHit).where(
        RateLimitHit.bucket == bucket, RateLimitHit.key_hash == _key(client),
        RateLimitHit.at >= since)) or 0
    return count >= limit


def hit(session: Session, bucket: str, client: str) -> None:
    """Count one attempt (the caller commits). Old hits are swept now and then."""
    session.add(RateLimitHit(bucket=bucket, key_hash=_key(client)))
    session.execute(delete(RateLimitHit).where(
        RateLimitHit.at < utcnow() - dt.timedelta(days=1)))
