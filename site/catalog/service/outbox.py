"""Promise an index update in the caller's transaction."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from opengov.site.catalog.models import SearchOutbox


def enqueue(session: Session, document_id: int, not_before: dt.datetime | None = None, *,
            kind: str = "document") -> None:
    """Record that ``document_id`` changed; call it wherever a document is created, edited,
    published, withdrawn or deleted, before the transaction commits. ``not_before`` (UTC,
    naive) delays the update, e.g. until a scheduled publication time. Other features queue
    their records with their ``kind`` (through the search feature's index sources)."""
    entry = SearchOutbox(document_id=document_id, kind=kind)
    if not_before is not None:
        entry.next_attempt_at = not_before
    session.add(entry)
