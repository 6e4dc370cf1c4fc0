"""The search vocabulary: the suggester (您是不是要找, autocompletion) and the abbreviations
derived from the site's own titles, built by the index worker — not by searches.

Building it reads every public title, which grows with the catalog; a search must not do that
(issue 18: a freshness query over the catalog on every search cost 71 ms at 10,000 documents).
So the index worker builds it after each round that changed the index, and at rebuilds, into
a snapshot in the instance folder; a search only compares the snapshot's modification time
with the one it loaded (a ``stat``) and reloads it when the worker wrote a new one. A site
whose worker has not yet written one builds it once in memory.
"""

from __future__ import annotations

import logging
import os
import pickle
import threading
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from opengov.indexer.lexicon import built_in_lexicon, derive_abbreviations, merge
from opengov.indexer.suggest import Suggester
from opengov.indexer.tokenizer import Tokenizer, get_tokenizer
from opengov.site.catalog.models import Document
from opengov.site.catalog.service.public import public_clause

log = logging.getLogger(__name__)

SNAPSHOT_NAME = "search-vocabulary.pickle"
#: Bumped when the snapshot's contents change shape: an older snapshot is then rebuilt.
SNAPSHOT_VERSION = 1
EXTENSION_KEY = "opengov.search.vocabulary"
_lock = threading.Lock()


@dataclass(frozen=True)
class Vocabulary:
    """What searches need from the whole catalog, built by the index worker."""

    suggester: Suggester
    #: Abbreviations of the site's laws (环保法 → 环境保护法), by the rule of the lexicon.
    abbreviations: dict[str, tuple[str, ...]]

    def lexicon(self) -> dict[str, tuple[str, ...]]:
        """The hand-kept lexicon with the derived abbreviations."""
        return merge(built_in_lexicon(), self.abbreviations)


def build_vocabulary(session: Session, tokenizer: Tokenizer | None = None) -> Vocabulary:
    """Read the public titles, document numbers and issuers and build the vocabulary."""
    tokenizer = tokenizer or get_tokenizer()
    rows = session.execute(select(Document.title, Document.doc_number, Document.issuer)
                           .where(public_clause())).all()
    titles = [row[0] for row in rows]
    other = sorted({text for _title, number, issuer in rows for text in (number, issuer) if text})
    return Vocabulary(Suggester(titles, tokenizer, other),
                      derive_abbreviations(titles, tokenizer))


def snapshot_path() -> Path:
    return Path(current_app.instance_path) / SNAPSHOT_NAME


def write_snapshot(vocabulary: Vocabulary, path: Path) -> None:
    """Replace the snapshot atomically: a search reads the old file or the new, whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    with temporary.open("wb") as handle:
        pickle.dump((SNAPSHOT_VERSION, vocabulary), handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)


def refresh_vocabulary(session: Session) -> Vocabulary:
    """Build the vocabulary and write the snapshot (the index worker, rebuilds, init)."""
    vocabulary = build_vocabulary(session)
    write_snapshot(vocabulary, snapshot_path())
    return vocabulary


def _load(path: Path) -> Vocabulary | None:
    try:
        with path.open("rb") as handle:
            version, vocabulary = pickle.load(handle)  # noqa: S301 - our own instance file
    except FileNotFoundError:
        return None
    except (OSError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, EOFError):
        log.warning("the search vocabulary snapshot %s is unreadable; rebuilding it", path)
        return None
    if version != SNAPSHOT_VERSION or not isinstance(vocabulary, Vocabulary):
        return None
    return vocabulary


def current_vocabulary(session: Session) -> Vocabulary:
    """The vocabulary of the latest snapshot; built in memory once when there is none yet.
    Costs a ``stat`` of the snapshot when nothing changed."""
    path = snapshot_path()
    try:
        stamp: int | None = path.stat().st_mtime_ns
    except FileNotFoundError:
        stamp = None
    extensions = current_app.extensions
    cached: tuple[int | None, Vocabulary] | None = extensions.get(EXTENSION_KEY)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    with _lock:
        again: tuple[int | None, Vocabulary] | None = extensions.get(EXTENSION_KEY)
        if again is not None and again[0] == stamp:
            return again[1]
        vocabulary = _load(path) if stamp is not None else None
        if vocabulary is None:
            vocabulary = build_vocabulary(session)
        extensions[EXTENSION_KEY] = (stamp, vocabulary)
        return vocabulary


def preload_vocabulary() -> None:
    """Load the snapshot, if there is one, before any search asks for it (warm-up)."""
    path = snapshot_path()
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        return
    vocabulary = _load(path)
    if vocabulary is not None:
        current_app.extensions[EXTENSION_KEY] = (stamp, vocabulary)
