"""Promise an index update in the caller's transaction, and mark the catalog changed."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from opengov.site.catalog.models import CatalogState, SearchOutbox

STATE_ID = 1


def catalog_generation(session: Session) -> int:
    """The number :func:`enqueue` bumps: equal numbers, equal public catalog (on a day)."""
    return int(session.scalar(select(CatalogState.generation)
                              .where(CatalogState.id == STATE_ID)) or 0)


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
    bumped = session.execute(update(CatalogState).where(CatalogState.id == STATE_ID)
                             .values(generation=CatalogState.generation + 1))
    if not getattr(bumped, "rowcount", 0):
        session.add(CatalogState(id=STATE_ID, generation=1))
        session.flush()
