"""The interface every search engine implements (design.md §4)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from opengov.indexer.model import IndexDocument, IndexKey, SearchRequest, SearchResult


class SearchUnavailableError(RuntimeError):
    """The engine cannot be reached or refused the operation; callers degrade gracefully."""


@dataclass(frozen=True)
class IndexStatus:
    """Whether the engine has the index the site searches, and how many documents it holds
    (an engine that came back empty has none: the index worker rebuilds it)."""

    exists: bool
    documents: int


@runtime_checkable
class SearchBackend(Protocol):
    """Index, delete and search documents. Implementations: Whoosh, Elasticsearch."""

    name: str

    def ensure_index(self) -> None:
        """Create the index if it does not exist (idempotent)."""

    def index(self, documents: Iterable[IndexDocument]) -> int:
        """Add or replace documents; returns how many were written."""

    def delete(self, document_ids: Iterable[IndexKey]) -> None:
        """Remove documents by key (a document's id, ``"kind:id"`` for other records);
        unknown keys are ignored."""

    def search(self, request: SearchRequest) -> SearchResult:
        """Matching documents of the requested page with facet counts over all matches."""

    def versions(self) -> dict[IndexKey, str]:
        """Every indexed record's key with its content fingerprint (for `index check`)."""

    def rebuild(self, documents: Iterable[IndexDocument],
                progress: Callable[[int], None] | None = None) -> int:
        """Build a complete new index from ``documents`` and serve it when it is complete;
        the old index keeps answering meanwhile and stays in place if this is interrupted
        or times out."""

    def count(self) -> int:
        """How many documents the index holds."""

    def status(self) -> IndexStatus:
        """Whether the index exists and how many documents it holds."""

    def term_counts(self, request: SearchRequest) -> tuple[int, list[int]]:
        """How many documents the index holds, and how many match each term of ``request``
        (the service judges from it how much of a query a relaxed match still covers)."""

    def orphans(self) -> list[str]:
        """Index versions nothing serves: left by a rebuild that was interrupted."""

    def remove_orphans(self) -> list[str]:
        """Remove :meth:`orphans` (every rebuild does it first); returns their names."""

    def purge(self) -> None:
        """Rewrite the index so that deleted documents leave its files (withdrawn personal
        data); slow on a large index, so a worker does it, never a page request."""
