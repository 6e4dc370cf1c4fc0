"""The anti-robot rules of the public forms (the request form, comments on a draft, complaints).

A form carries a honeypot field that people never see (hidden by CSS and ``aria-hidden``) and
the signed moment it was first shown; a form sent back with the honeypot filled in, without a
valid start, or faster than a person can read it, is treated as sent by a robot. The page then
asks again and keeps what was typed, so a real person who was merely quick loses nothing.
"""

from __future__ import annotations


def looks_automated(*, honeypot: str, started_at: float | None, now: float,
                    minimum_seconds: float) -> bool:
    """Whether a form sent back at ``now`` (seconds) looks sent by a robot: the honeypot is
    filled in, the form has no valid start (``started_at`` None: missing, forged or older
    than a day), or it came back within ``minimum_seconds`` of being shown."""
    if honeypot.strip() or started_at is None:
        return True
    return now - started_at < minimum_seconds
