"""Index sources: how other features put their records into the site search (issue 14).

The catalog's documents are the index's first kind of record. A feature with records of its
own that people should find beside them — 政务服务事项, 权力清单 — registers an
:class:`IndexSource` for its kind (the app factory calls the feature's registration, so this
module imports none of them), and queues a record whenever it changes with :func:`enqueue`,
in the transaction of the change. The index worker then asks the source for the record's
entry, as it does for documents: a record the source no longer calls public leaves the index.

Each record carries its kind as the ``kind`` field of the index, offered as the facet 类型;
its key in the index is ``"kind:id"`` (documents keep their bare id).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from opengov.indexer.model import DOCUMENT_KIND, IndexDocument, IndexKey, index_key, parse_key
from opengov.site.catalog.service.outbox import enqueue as enqueue_update

#: What the 类型 facet calls the catalog's documents.
DOCUMENT_LABEL = "政府信息"


@dataclass(frozen=True)
class IndexSource:
    """A feature's records in the index."""

    #: The ``kind`` stored in the index and used in keys ("service_item"); ASCII, no ":".
    kind: str
    #: What the 类型 facet and the result list call such a record (办事指南).
    label: str
    #: The index entries of those of the given ids that are public now (others are left out
    #: and so leave the index), read in the caller's session.
    entries: Callable[[Session, Sequence[int]], list[IndexDocument]]
    #: The index entries of every public record, for a rebuild and a check.
    all_entries: Callable[[Session], Iterable[IndexDocument]]
    #: How many records are public.
    count: Callable[[Session], int]
    #: The public page of a record, by id (called inside a request or app context).
    url: Callable[[int], str]


_SOURCES: dict[str, IndexSource] = {}


def register(source: IndexSource) -> None:
    """Add (or replace) the source of ``source.kind``; the app factory calls it through the
    feature, once per app."""
    if source.kind == DOCUMENT_KIND or ":" in source.kind or not source.kind.isascii():
        raise ValueError(f"invalid index source kind: {source.kind!r}")
    _SOURCES[source.kind] = source


def registered() -> list[IndexSource]:
    return list(_SOURCES.values())


def label_of(kind: str) -> str:
    """The 类型 of ``kind`` in words."""
    if kind == DOCUMENT_KIND:
        return DOCUMENT_LABEL
    source = _SOURCES.get(kind)
    return source.label if source is not None else kind


def url_of(kind: str, record_id: int) -> str | None:
    """The public page of a record of another feature; None for documents or unknown kinds."""
    source = _SOURCES.get(kind)
    return source.url(record_id) if source is not None else None


def enqueue(session: Session, kind: str, record_id: int) -> None:
    """Promise the index an update of record ``record_id`` of ``kind``, in the caller's
    transaction (created, changed, published, withdrawn or deleted: the worker asks the
    source what the record is when it gets to it)."""
    enqueue_update(session, record_id, kind=kind)


def enqueue_key(session: Session, key: IndexKey) -> None:
    """Queue the record an index key names (``opengov index check --repair``)."""
    kind, record_id = parse_key(str(key))
    enqueue_update(session, record_id, kind=kind)


@dataclass
class Changes:
    """What the index must do for a batch of queued records of other kinds."""

    index: list[IndexDocument]
    delete: list[IndexKey]


def changes(session: Session, queued: Iterable[tuple[str, int]]) -> Changes:
    """Index entries of the queued ``(kind, id)`` records that are public, and the keys of
    those that are not (or whose kind no source claims any more) to delete."""
    wanted: dict[str, set[int]] = {}
    for kind, record_id in queued:
        wanted.setdefault(kind, set()).add(record_id)
    result = Changes([], [])
    for kind, ids in sorted(wanted.items()):
        source = _SOURCES.get(kind)
        found = source.entries(session, sorted(ids)) if source is not None else []
        result.index.extend(found)
        public = {entry.id for entry in found}
        result.delete.extend(index_key(kind, record_id) for record_id in sorted(ids - public))
    return result


def all_entries(session: Session) -> Iterator[IndexDocument]:
    """Every public record of every source, for a rebuild or a check."""
    for source in registered():
        yield from source.all_entries(session)


def count_all(session: Session) -> int:
    return sum(source.count(session) for source in registered())
