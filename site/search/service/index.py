"""Keeping the search index in step with the database (design.md §4).

The backend lives in ``app.extensions`` behind :func:`get_backend`; views never import an
engine. Changes reach the index through the durable outbox that the catalog writes in the
same transaction as the change: :func:`process_outbox` — run only by the index worker
(``opengov index process``), never on a page's path — indexes or removes each queued document
according to its state *now*, and on failure keeps the entry with an exponential back-off,
so an engine that is down loses nothing.

Entry functions here take no session: they read with ``get_session()`` and write inside
``unit_of_work()``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import delete, func, inspect, select, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.base import ExecutableOption

from opengov.indexer.backend import SearchBackend
from opengov.indexer.backend import SearchUnavailableError as SearchUnavailableError
from opengov.indexer.model import DOCUMENT_KIND, IndexDocument, IndexKey
from opengov.indexer.tokenizer import Tokenizer, get_tokenizer
from opengov.indexer.whoosh_backend import WhooshBackend
from opengov.site import clock
from opengov.site.catalog.models import Document, SearchOutbox
from opengov.site.catalog.service.public import public_clause
from opengov.site.db import get_session, unit_of_work
from opengov.site.search.service import sources
from opengov.site.search.service.vocabulary import refresh_vocabulary

log = logging.getLogger(__name__)

EXTENSION_KEY = "opengov.search"


def make_backend(config: Mapping[str, Any]) -> SearchBackend:
    """The engine named by ``SEARCH_BACKEND``; creating it opens no connection."""
    if config["SEARCH_BACKEND"] == "elasticsearch":
        from opengov.indexer.elastic_backend import ElasticsearchBackend

        return ElasticsearchBackend(config["ELASTICSEARCH_URL"], config["ELASTICSEARCH_INDEX"],
                                    timeout=float(config["SEARCH_TIMEOUT_SECONDS"]))
    return WhooshBackend(Path(config["WHOOSH_INDEX_DIR"]))


def get_backend() -> SearchBackend:
    """The search backend of the current app, made on first use."""
    extensions = current_app.extensions
    if EXTENSION_KEY not in extensions:
        extensions[EXTENSION_KEY] = make_backend(current_app.config)
    backend: SearchBackend = extensions[EXTENSION_KEY]
    return backend


def app_tokenizer() -> Tokenizer:
    """The process's segmenter (the one that indexes also parses queries)."""
    return get_tokenizer()


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


#: Documents are read as the database holds them now, even when the session (a long-running
#: worker's) loaded them before: an edit made since must reach the index.
_FRESH = {"populate_existing": True}


def iter_index_documents(session: Session, batch: int = 200) -> Iterator[IndexDocument]:
    """Every public document, in id order. Documents loaded only for this are let go after
    each batch, so memory stays bounded while the caller's own objects stay attached; and
    the read ends after each batch, so no transaction stays open while the engine works on
    it (a rebuild of 50,000 documents takes minutes)."""
    last_id = 0
    while True:
        before = set(session.identity_map.keys())
        documents = session.scalars(
            select(Document).where(public_clause(), Document.id > last_id)
            .order_by(Document.id).limit(batch).options(*_loading())
            .execution_options(**_FRESH)).all()
        if not documents:
            return
        converted = [to_index_document(document) for document in documents]
        for document in documents:
            if inspect(document).key not in before:
                session.expunge(document)  # cascades to its attachments
        end_read(session)
        yield from converted
        last_id = converted[-1].id


def count_public() -> int:
    """How many documents and records of the index sources are public, i.e. belong in the
    index."""
    session = get_session()
    return int(session.scalar(select(func.count(Document.id)).where(public_clause()))
               or 0) + sources.count_all(session)


def end_read(session: Session) -> None:
    """End the read transaction ``session`` may hold. A worker between rounds must not keep
    one: on SQLite it would go on reading an old snapshot (and never see new outbox entries),
    on PostgreSQL it would sit idle in transaction. It has nothing to commit: reads only."""
    if session.in_transaction() and not session.info.get("writing"):
        session.commit()


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


def process_outbox(*, limit: int = 1000, batch: int = 100,
                   now: dt.datetime | None = None) -> OutboxReport:
    """Apply due outbox entries (at most ``limit``), a batch at a time: each batch is read,
    sent to the engine, then settled in its own short unit of work (deleted, or kept with a
    back-off when the engine failed), so no write lock is held while the engine works."""
    config = current_app.config
    backend = get_backend()
    now = now or clock.utcnow()
    session = get_session()
    end_read(session)  # see the entries committed up to now
    report = OutboxReport()
    seen: set[int] = set()
    while report.indexed + report.deleted + report.failed < limit:
        due = select(SearchOutbox).where(SearchOutbox.next_attempt_at <= now)
        if seen:  # entries that failed in this run wait for their back-off
            due = due.where(SearchOutbox.id.not_in(seen))
        entries = session.scalars(due.order_by(SearchOutbox.id).limit(batch)
                                  .execution_options(**_FRESH)).all()
        if not entries:
            break
        seen.update(entry.id for entry in entries)
        ids = sorted({entry.document_id for entry in entries if entry.kind == DOCUMENT_KIND})
        public = session.scalars(select(Document).where(Document.id.in_(ids), public_clause())
                                 .options(*_loading()).execution_options(**_FRESH)).all()
        to_index = [to_index_document(document) for document in public]
        to_delete: list[IndexKey] = sorted(set(ids) - {document.id for document in public})
        # Records of other features, through their index sources (issue 14).
        other = sources.changes(session, [(entry.kind, entry.document_id) for entry in entries
                                          if entry.kind != DOCUMENT_KIND])
        to_index += other.index
        to_delete += other.delete
        retries = [(entry.id, entry.attempts + 1) for entry in entries]
        done = [entry.id for entry in entries]
        end_read(session)  # no transaction open while the engine works
        try:
            if to_index:
                backend.index(to_index)
            if to_delete:
                backend.delete(to_delete)
        except Exception as exc:  # the engine is down or refused: keep the entries, retry later
            message = f"{type(exc).__name__}: {exc}"[:500]
            log.warning("search index update failed, will retry: %s", message)
            with unit_of_work() as writing:
                for entry_id, attempts in retries:
                    writing.execute(update(SearchOutbox).where(SearchOutbox.id == entry_id)
                                    .values(attempts=attempts, last_error=message,
                                            next_attempt_at=now + backoff(
                                                attempts, config["SEARCH_RETRY_SECONDS"],
                                                config["SEARCH_RETRY_MAX_SECONDS"])))
            report.failed += len(retries)
            report.errors.append(message)
            break
        with unit_of_work() as writing:
            writing.execute(delete(SearchOutbox).where(SearchOutbox.id.in_(done)))
        report.indexed += len(to_index)
        report.deleted += len(to_delete)
    if report.indexed or report.deleted:
        # Titles changed: the suggestions and derived abbreviations follow (the searches
        # only load the snapshot written here).
        refresh_vocabulary(session)
    end_read(session)
    return report


def failing_entries(session: Session) -> int:
    """Queued updates that failed at least once: the index is behind the site."""
    return int(session.scalar(select(func.count(SearchOutbox.id))
                              .where(SearchOutbox.attempts > 0)) or 0)


def pending_entries(session: Session) -> int:
    """Queued updates not yet applied."""
    return int(session.scalar(select(func.count(SearchOutbox.id))) or 0)


def purge_index() -> None:
    """Rewrite the index so that deleted documents leave its files (slow: the worker and
    ``opengov index purge`` do it, never a page)."""
    get_backend().purge()


# --- rebuild and check ------------------------------------------------------------------

def rebuild_index(progress: Callable[[int], None] | None = None) -> int:
    """Index every public document into a fresh index and switch to it. Queued updates
    that were due before the rebuild started are then covered and dropped; scheduled ones
    stay."""
    started = clock.utcnow()
    session = get_session()
    end_read(session)  # read the documents as committed from now on
    count = get_backend().rebuild(
        itertools.chain(iter_index_documents(session), sources.all_entries(session)), progress)
    with unit_of_work() as writing:
        writing.execute(delete(SearchOutbox).where(SearchOutbox.created_at < started,
                                                   SearchOutbox.next_attempt_at <= started))
    refresh_vocabulary(session)
    end_read(session)
    return count


@dataclass
class IndexCheck:
    """Differences by index key: a document's id, ``"kind:id"`` for other records."""

    missing: list[IndexKey]  # public, not in the index
    stale: list[IndexKey]  # in the index with other content
    extra: list[IndexKey]  # in the index, not public (withdrawn, deleted, not yet due)
    pending: int = 0  # queued updates not yet applied
    failing: int = 0  # … of which failed at least once
    queued: bool = False  # every difference was queued for the worker (``repair``)
    #: Index versions nothing serves, left by an interrupted rebuild (the next rebuild
    #: removes them; ``repair`` does now).
    orphans: list[str] = field(default_factory=list)
    orphans_removed: bool = False

    @property
    def ok(self) -> bool:
        return not (self.missing or self.stale or self.extra or
                    (self.orphans and not self.orphans_removed))


def check_index(*, repair: bool = False) -> IndexCheck:
    """Compare the index with the public documents; with ``repair``, queue every difference
    in the outbox for the worker."""
    session = get_session()
    backend = get_backend()
    end_read(session)
    indexed = backend.versions()
    orphans = backend.orphans()
    expected = {document.key: document.version for document in itertools.chain(
        iter_index_documents(session), sources.all_entries(session))}
    check = IndexCheck(
        missing=sorted(set(expected) - set(indexed), key=_key_order),
        stale=sorted((i for i in set(expected) & set(indexed) if expected[i] != indexed[i]),
                     key=_key_order),
        extra=sorted(set(indexed) - set(expected), key=_key_order),
        pending=pending_entries(session), failing=failing_entries(session),
        orphans=orphans,
    )
    if repair and orphans:
        backend.remove_orphans()
        check.orphans_removed = True
    differences = [*check.missing, *check.stale, *check.extra]
    if repair and differences:
        with unit_of_work() as writing:
            for key in differences:
                sources.enqueue_key(writing, key)
        check.queued = True
    return check


def _key_order(key: IndexKey) -> tuple[str, int, str]:
    """Documents by id first, then other records by kind and id."""
    return ("", key, "") if isinstance(key, int) else ("1", 0, key)


@dataclass
class IndexHealth:
    """The search engine as the readiness check and the index worker see it."""

    reachable: bool
    exists: bool = False
    documents: int = 0
    public: int = 0  # documents that belong in the index
    pending: int = 0  # queued updates
    retrying: int = 0  # … of which failed at least once and wait for their retry
    error: str | None = None

    @property
    def lost(self) -> bool:
        """The engine answers but lost the index (it came back empty): rebuild it. An empty
        index whose documents are all still queued (a site just imported) is not lost."""
        return self.reachable and (not self.exists or
                                   (self.documents == 0 and self.public > self.pending))

    @property
    def ready(self) -> bool:
        return self.reachable and not self.lost


def index_health() -> IndexHealth:
    """Whether the engine answers and holds the index, and the queue of updates."""
    session = get_session()
    health = IndexHealth(reachable=False, public=count_public(),
                         pending=pending_entries(session), retrying=failing_entries(session))
    end_read(session)
    try:
        status = get_backend().status()
    except SearchUnavailableError as exc:
        health.error = str(exc)
        return health
    health.reachable, health.exists, health.documents = True, status.exists, status.documents
    return health


def restore_lost_index() -> int | None:
    """When the engine answers but has lost the index (a cluster restarted empty), rebuild
    it through the alias and return how many documents it holds; None when nothing was
    lost (or the engine does not answer: the queued updates wait for it)."""
    health = index_health()
    if not health.lost:
        return None
    log.warning("the search index is missing or empty (%s documents public): rebuilding it",
                health.public)
    get_backend().ensure_index()
    return rebuild_index()


def ensure_index() -> str:
    """Create the index if missing (``opengov init``); fills it when the site has content
    and the index is empty. Returns a line for the person running init."""
    backend = get_backend()
    backend.ensure_index()
    if backend.count() == 0 and count_public() > 0:
        count = rebuild_index()
        return f"搜索索引（{backend.name}）已建立，收录 {count} 篇文档。"
    refresh_vocabulary(get_session())
    end_read(get_session())
    return f"搜索索引（{backend.name}）已就绪，现有 {backend.count()} 篇文档。"
