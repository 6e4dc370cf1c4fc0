"""Keeping the search index in step with the database (design.md §4).

The backend lives in ``app.extensions`` behind :func:`get_backend`; views never import an
engine. Changes reach the index through the durable outbox: :func:`process_outbox` indexes or
removes each queued document according to its state *now*, and on failure keeps the entry
with an exponential back-off, so an engine that is down loses nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import delete, func, inspect, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.base import ExecutableOption

from opengov.indexer.backend import SearchBackend
from opengov.indexer.model import IndexDocument
from opengov.indexer.tokenizer import Tokenizer, get_tokenizer
from opengov.indexer.whoosh_backend import WhooshBackend
from opengov.site.catalog.models import Document, SearchOutbox
from opengov.site.catalog.service.public import public_clause
from opengov.site.clock import utcnow

log = logging.getLogger(__name__)

EXTENSION_KEY = "opengov.search"


def make_backend(config: Mapping[str, Any]) -> SearchBackend:
    """The engine named by ``SEARCH_BACKEND``; creating it opens no connection."""
    if config["SEARCH_BACKEND"] == "elasticsearch":
        from opengov.indexer.elastic_backend import ElasticsearchBackend

        return ElasticsearchBackend(config["ELASTICSEARCH_URL"], config["ELASTICSEARCH_INDEX"])
    return WhooshBackend(Path(config["WHOOSH_INDEX_DIR"]))


def get_backend() -> SearchBackend:
    """The search backend of the current app, made on first use."""
    extensions = current_app.extensions
    if EXTENSION_KEY not in extensions:
        extensions[EXTENSION_KEY] = make_backend(current_app.config)
    backend: SearchBackend = extensions[EXTENSION_KEY]
    return backend


def app_tokenizer() -> Tokenizer:
    """The process's jieba tokenizer, its dictionary cache in the instance folder."""
    return get_tokenizer(Path(current_app.config["JIEBA_CACHE_DIR"]))


def to_index_document(document: Document) -> IndexDocument:
    """What the index holds of ``document`` (published content only; no personal data)."""
    attachments = "\n".join(a.text for a in document.attachments if a.text)
    values = {
        "title": document.title, "body": document.body, "summary": document.summary,
        "doc_number": document.doc_number, "index_no": document.index_no or "",
        "agency": document.agency.code, "agency_name": document.agency.name,
        "issuer": document.issuer, "category": document.category.slug,
        "category_name": document.category.name, "type": document.genre,
        "topic": document.topic, "keywords": document.keywords,
        "validity": str(document.validity.value), "attachments_text": attachments,
    }
    digest = hashlib.sha256()
    for key in sorted(values):
        digest.update(f"{key}\x00{values[key]}\x01".encode())
    digest.update(str(document.published_on).encode())
    return IndexDocument(id=document.id, date=document.published_on,
                         version=digest.hexdigest()[:16], **values)


def _loading() -> list[ExecutableOption]:
    return [selectinload(Document.agency), selectinload(Document.category),
            selectinload(Document.attachments)]


def iter_index_documents(session: Session, batch: int = 200) -> Iterator[IndexDocument]:
    """Every public document, in id order. Documents loaded only for this are let go after
    each batch, so memory stays bounded while the caller's own objects stay attached."""
    last_id = 0
    while True:
        before = set(session.identity_map.keys())
        documents = session.scalars(
            select(Document).where(public_clause(), Document.id > last_id)
            .order_by(Document.id).limit(batch).options(*_loading())).all()
        if not documents:
            return
        converted = [to_index_document(document) for document in documents]
        for document in documents:
            if inspect(document).key not in before:
                session.expunge(document)  # cascades to its attachments
        yield from converted
        last_id = converted[-1].id


def count_public(session: Session) -> int:
    return int(session.scalar(select(func.count(Document.id)).where(public_clause())) or 0)


# --- the outbox ------------------------------------------------------------------------

@dataclass
class OutboxReport:
    indexed: int = 0
    deleted: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def backoff(attempts: int, base_seconds: int, max_seconds: int) -> dt.timedelta:
    """Delay before attempt ``attempts + 1``: doubling from ``base_seconds`` up to a cap."""
    return dt.timedelta(seconds=min(max_seconds, base_seconds * 2 ** max(attempts - 1, 0)))


def process_outbox(session: Session, backend: SearchBackend, *, limit: int = 1000,
                   batch: int = 100, now: dt.datetime | None = None) -> OutboxReport:
    """Apply due outbox entries (at most ``limit``); commits after each batch."""
    config = current_app.config
    now = now or utcnow()
    report = OutboxReport()
    seen: set[int] = set()
    while report.indexed + report.deleted + report.failed < limit:
        due = select(SearchOutbox).where(SearchOutbox.next_attempt_at <= now)
        if seen:  # entries that failed in this run wait for their back-off
            due = due.where(SearchOutbox.id.not_in(seen))
        entries = session.scalars(due.order_by(SearchOutbox.id).limit(batch)).all()
        if not entries:
            break
        seen.update(entry.id for entry in entries)
        ids = sorted({entry.document_id for entry in entries})
        public = session.scalars(select(Document).where(Document.id.in_(ids), public_clause())
                                 .options(*_loading())).all()
        to_index = [to_index_document(document) for document in public]
        to_delete = sorted(set(ids) - {document.id for document in public})
        try:
            if to_index:
                backend.index(to_index)
            if to_delete:
                backend.delete(to_delete)
        except Exception as exc:  # the engine is down or refused: keep the entries, retry later
            message = f"{type(exc).__name__}: {exc}"[:500]
            log.warning("search index update failed, will retry: %s", message)
            for entry in entries:
                entry.attempts += 1
                entry.last_error = message
                entry.next_attempt_at = now + backoff(entry.attempts,
                                                      config["SEARCH_RETRY_SECONDS"],
                                                      config["SEARCH_RETRY_MAX_SECONDS"])
            report.failed += len(entries)
            report.errors.append(message)
            session.commit()
            break
        session.execute(delete(SearchOutbox).where(
            SearchOutbox.id.in_([entry.id for entry in entries])))
        session.commit()
        report.indexed += len(to_index)
        report.deleted += len(to_delete)
    return report


def failing_entries(session: Session) -> int:
    """Queued updates that failed at least once: the index is behind the site."""
    return int(session.scalar(select(func.count(SearchOutbox.id))
                              .where(SearchOutbox.attempts > 0)) or 0)


def pending_entries(session: Session) -> int:
    return int(session.scalar(select(func.count(SearchOutbox.id))) or 0)


# --- rebuild and check ------------------------------------------------------------------

def rebuild_index(session: Session, backend: SearchBackend,
                  progress: Callable[[int], None] | None = None) -> int:
    """Index every public document into a fresh index and switch to it. Queued updates
    that were due before the rebuild started are then covered and dropped; scheduled ones
    stay."""
    started = utcnow()
    count = backend.rebuild(iter_index_documents(session), progress)
    session.execute(delete(SearchOutbox).where(SearchOutbox.created_at < started,
                                               SearchOutbox.next_attempt_at <= started))
    session.commit()
    return count


@dataclass
class IndexCheck:
    missing: list[int]  # public, not in the index
    stale: list[int]  # in the index with other content
    extra: list[int]  # in the index, not public (withdrawn, deleted, not yet due)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.stale or self.extra)


def check_index(session: Session, backend: SearchBackend) -> IndexCheck:
    indexed = backend.versions()
    expected = {document.id: document.version for document in iter_index_documents(session)}
    return IndexCheck(
        missing=sorted(set(expected) - set(indexed)),
        stale=sorted(i for i in set(expected) & set(indexed) if expected[i] != indexed[i]),
        extra=sorted(set(indexed) - set(expected)),
    )


def ensure_index() -> str:
    """Create the index if missing (``opengov init``); fills it when the site has content
    and the index is empty. Returns a line for the person running init."""
    backend = get_backend()
    backend.ensure_index()
    from opengov.site.db import get_session

    session = get_session()
    if backend.count() == 0 and count_public(session) > 0:
        count = rebuild_index(session, backend)
        return f"搜索索引（{backend.name}）已建立，收录 {count} 篇文档。"
    return f"搜索索引（{backend.name}）已就绪，现有 {backend.count()} 篇文档。"
