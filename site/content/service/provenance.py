"""Which documents the back office changed since ``import-content`` last wrote them.

After every import the fingerprint of each imported document's catalog record is kept
(:class:`~opengov.site.content.models.ContentImport`). A later import compares: a record that
no longer has that fingerprint was changed by staff — corrected, withdrawn, re-published, an
attachment added — and is left alone, reported as a conflict, instead of being reverted to
the file's version. Documents imported before fingerprints were kept count as changed when
the back office ever took a workflow step on them.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.catalog.models import Document, WorkflowEvent
from opengov.site.content.models import ContentImport

#: The catalog fields an import sets; a change to any of them is a change to the document.
FIELDS = ("title", "summary", "body", "genre", "issuer", "doc_number", "index_no",
          "date_written", "changed_on", "published_on", "effective_on", "repealed_on",
          "topic", "keywords", "validity", "disclosure", "non_disclosure_reason", "source",
          "status")


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "value"):  # enums
        return value.value
    return value


def record_digest(document: Document) -> str:
    """SHA-256 of what an import sets on ``document``, including its agency, column,
    attachments and interpreted policies."""
    record = {name: _plain(getattr(document, name)) for name in FIELDS}
    record["agency"] = document.agency.code
    record["category"] = document.category.slug
    record["attachments"] = [[item.sha256, item.original_name, item.content_type]
                             for item in document.attachments]
    record["policies"] = sorted(policy.id for policy in document.policies)
    encoded = json.dumps(record, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()


def edited_since_import(session: Session, document: Document) -> bool:
    """Whether the back office changed ``document`` after the last import wrote it."""
    state = session.get(ContentImport, document.id)
    if state is not None:
        return state.digest != record_digest(document)
    steps = session.scalar(select(func.count(WorkflowEvent.id)).where(
        WorkflowEvent.document_id == document.id)) or 0
    return steps > 0


def remember(session: Session, document: Document) -> None:
    """Keep ``document``'s fingerprint as this import leaves it."""
    state = session.get(ContentImport, document.id)
    digest = record_digest(document)
    if state is None:
        session.add(ContentImport(document_id=document.id, digest=digest))
    elif state.digest != digest:
        state.digest = digest
        state.imported_at = clock.utcnow()
