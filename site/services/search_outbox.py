"""Promise an index update in the caller's transaction."""

from __future__ import annotations

from sqlalchemy.orm import Session

from opengov.site.models import SearchOutbox


def enqueue(session: Session, document_id: int) -> None:
    """Record that ``document_id`` changed; call it wherever a document is created, edited,
    published, withdrawn or deleted, before the transaction commits."""
    session.add(SearchOutbox(document_id=document_id))
