"""The embedded default backend: Whoosh (whoosh-reloaded) in the instance folder.

Each field is indexed twice: as jieba words (scored, phrase-capable) and as character bigrams
(the safety net when query and text are segmented differently, design.md §4). Complete
rebuilds write a new index folder and switch a pointer file atomically, so searches keep
being answered during a rebuild and an interrupted rebuild leaves the live index untouched.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh import sorting
from whoosh.analysis import Token as WhooshToken
from whoosh.analysis import Tokenizer as WhooshTokenizer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import LockError

from opengov.indexer.backend import SearchUnavailableError
from opengov.indexer.highlight import highlight
from opengov.indexer.model import (
    CURRENT_VALIDITY,
    FACETS,
    FacetValue,
    Hit,
    IndexDocument,
    IndexKey,
    SearchRequest,
    SearchResult,
    current_first,
    parse_key,
    stored_key,
)
from opengov.indexer.normalize import doc_number_keys, normalize_text
from opengov.indexer.tokenizer import bigrams, get_tokenizer

#: Boosts per field, shared with the Elasticsearch backend.
BOOSTS = {"title": 6.0, "title_bigram": 3.0, "meta": 3.0, "summary": 2.0, "body": 1.0,
          "body_bigram": 0.5}
#: Exact document-number match, whole-query-in-title and current-version bonuses.
DOC_NUMBER_SCORE = 200.0
TITLE_PHRASE_SCORE = 20.0
CURRENT_SCORE = 1.5
#: The bigram field covers the start of long texts only: it is a safety net, and the word
#: field covers the whole text.
BIGRAM_TEXT_LIMIT = 30_000
WRITER_TIMEOUT = 60.0
POINTER = "CURRENT"


class WordTokenizer(WhooshTokenizer):  # type: ignore[misc]
    """Whoosh face of the project's jieba tokenizer (pickled in the schema: keeps no state)."""

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, mode: str = "", **kwargs: Any) -> Iterator[WhooshToken]:
        token = WhooshToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for word in get_tokenizer().tokens(value):
            token.text = word.text
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = start_pos + word.position
            if chars:
                token.startchar = start_char + word.start
                token.endchar = start_char + word.end
            yield token


class BigramTokenizer(WhooshTokenizer):  # type: ignore[misc]
    """Character bigrams of the normalised text with consecutive positions."""

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, mode: str = "", **kwargs: Any) -> Iterator[WhooshToken]:
        token = WhooshToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for position, gram in enumerate(bigrams(normalize_text(value))):
            token.text = gram
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = start_pos + position
            yield token


def make_schema() -> Schema:
    words = WordTokenizer()
    grams = BigramTokenizer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=words, stored=True),
        title_bigram=TEXT(analyzer=grams),
        meta=TEXT(analyzer=words),
        summary=TEXT(analyzer=words),
        body=TEXT(analyzer=words),
        body_bigram=TEXT(analyzer=grams),
        doc_number_key=KEYWORD(commas=True, lowercase=False),
        kind=ID(stored=True, sortable=True),
        index_no=ID(stored=True),
        category=ID(stored=True, sortable=True),
        type=ID(stored=True, sortable=True),
        agency=ID(stored=True, sortable=True),
        year=ID(stored=True, sortable=True),
        validity=ID(stored=True, sortable=True),
        topic=ID(stored=True),
        date=ID(stored=True, sortable=True),
        doc_number=STORED(),
        agency_name=STORED(),
        category_name=STORED(),
        text=STORED(),
        version=STORED(),
    )


def _fields(document: IndexDocument) -> dict[str, Any]:
    body = "\n".join(part for part in (document.body, document.attachments_text) if part)
    meta = " ".join(part for part in (document.doc_number, document.index_no, document.issuer,
                                      document.agency_name, document.keywords,
                                      document.topic) if part)
    return {
        "id": str(document.key),
        "kind": document.kind,
        "title": document.title,
        "title_bigram": document.title,
        "meta": meta,
        "summary": document.summary,
        "body": body,
        "body_bigram": body[:BIGRAM_TEXT_LIMIT],
        "doc_number_key": ",".join(doc_number_keys(document.doc_number)),
        "index_no": document.index_no,
        "category": document.category,
        "type": document.type,
        "agency": document.agency,
        "year": document.year,
        "validity": document.validity,
        "topic": document.topic,
        "date": document.date.isoformat() if document.date else "",
        "doc_number": document.doc_number,
        "agency_name": document.agency_name,
        "category_name": document.category_name,
        "text": "\n".join(part for part in (document.summary, body) if part),
        "version": document.version,
    }


def _text_query(field: str, text: str, boost: float) -> wq.Query:
    grams = bigrams(text)
    if len(grams) == 1:
        return wq.Term(field, grams[0], boost=boost)
    return wq.Phrase(field, grams, boost=boost)


def _term_clause(alternatives: tuple[str, ...],
                 in_body: Callable[[str], bool]) -> wq.Query:
    clauses: list[wq.Query] = []
    for word in alternatives:
        clauses += [wq.Term("title", word, boost=BOOSTS["title"]),
                    wq.Term("meta", word, boost=BOOSTS["meta"]),
                    wq.Term("summary", word, boost=BOOSTS["summary"]),
                    wq.Term("body", word, boost=BOOSTS["body"])]
        if bigrams(word):
            clauses.append(_text_query("title_bigram", word, BOOSTS["title_bigram"]))
            # Phrase matching over body bigrams is the costly part of a query: only needed
            # when no body was segmented into this word.
            if not in_body(word):
                clauses.append(_text_query("body_bigram", word, BOOSTS["body_bigram"]))
    return wq.Or(clauses)


def _phrase_clause(phrase: str) -> wq.Query:
    return wq.Or([_text_query("title_bigram", phrase, BOOSTS["title"]),
                 _text_query("body_bigram", phrase, BOOSTS["body"])])


def build_query(request: SearchRequest,
                in_body: Callable[[str], bool] = lambda _word: False) -> wq.Query:
    """The Whoosh query of a parsed request (AND or OR of the words per ``operator``);
    ``in_body`` tells whether a word is a term of the body field."""
    clauses = [_term_clause(term.alternatives, in_body) for term in request.terms]
    clauses += [_phrase_clause(phrase) for phrase in request.phrases]
    main: wq.Query = wq.And(clauses) if request.operator == "and" else wq.Or(clauses)
    if request.doc_number_keys:
        main = wq.Or([main, wq.ConstantScoreQuery(
            wq.Or([wq.Term("doc_number_key", key) for key in request.doc_number_keys]),
            DOC_NUMBER_SCORE)])
    bonuses: list[wq.Query] = [wq.ConstantScoreQuery(wq.Term("validity", CURRENT_VALIDITY),
                                                   CURRENT_SCORE)]
    whole = "".join(term.alternatives[0] for term in request.terms)
    if len(whole) >= 2 and bigrams(whole):
        bonuses.append(wq.ConstantScoreQuery(_text_query("title_bigram", whole, 1.0),
                                            TITLE_PHRASE_SCORE))
    return wq.AndMaybe(main, wq.Or(bonuses))


def _filter(filters: dict[str, str]) -> wq.Query | None:
    terms = [wq.Term(name, value) for name, value in sorted(filters.items()) if name in FACETS]
    return wq.And(terms) if terms else None


class WhooshBackend:
    """Whoosh index in ``directory``: ``directory/CURRENT`` names the live sub-folder."""

    name = "whoosh"

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self._lock = threading.Lock()
        self._cached: tuple[str, Any] | None = None
        self._searcher: Any = None

    # --- where the live index is ----------------------------------------------------------
    def _live_name(self) -> str | None:
        try:
            return (self.directory / POINTER).read_text(encoding="ascii").strip() or None
        except FileNotFoundError:
            return None

    def _open(self) -> Any:
        name = self._live_name()
        if name is None:
            raise SearchUnavailableError(f"搜索索引尚未建立（{self.directory}），请运行 opengov index rebuild")
        with self._lock:
            if self._cached is None or self._cached[0] != name:
                try:
                    # Without mmap: whoosh-reloaded copies every file of an mmapped compound
                    # segment into memory (BufferFile wraps it in a BytesIO), which cost each
                    # web worker as much memory as the index has bytes (≈350 MB for the
                    # corpus); read from the file, the page cache is shared by all workers.
                    storage = FileStorage(str(self.directory / name), supports_mmap=False)
                    self._cached = (name, storage.open_index())
                except (OSError, whoosh_index.EmptyIndexError) as exc:
                    raise SearchUnavailableError(f"无法打开搜索索引：{exc}") from exc
            return self._cached[1]

    @contextmanager
    def _reading(self) -> Iterator[Any]:
        """A searcher kept open between searches (opening the segment files is the slow
        part) and refreshed when another writer or a rebuild changed the index."""
        ix = self._open()
        with self._lock:
            searcher = self._searcher
            # A fresh searcher, not refresh(): refresh reuses segment readers and misses
            # deletions made in segments it already had open.
            if searcher is None or searcher._ix is not ix or not searcher.up_to_date():
                if searcher is not None:
                    searcher.close()
                searcher = ix.searcher()
            self._searcher = searcher
        yield searcher

    def _new_folder(self) -> tuple[str, Path]:
        name = f"v{time.time_ns()}"
        path = self.directory / name
        path.mkdir(parents=True)
        whoosh_index.create_in(str(path), make_schema())
        return name, path

    def _point_to(self, name: str) -> None:
        pointer = self.directory / POINTER
        temporary = self.directory / f".{POINTER}.{os.getpid()}"
        temporary.write_text(name, encoding="ascii")
        os.replace(temporary, pointer)

    def _remove_stale(self, keep: str) -> None:
        for child in self.directory.iterdir():
            if child.is_dir() and child.name.startswith("v") and child.name != keep:
                shutil.rmtree(child, ignore_errors=True)

    # --- SearchBackend ----------------------------------------------------------------------
    def ensure_index(self) -> None:
        """Create the index if missing; an index written before a field was added to the
        schema is replaced by an empty one, which the site then fills (``opengov init``)."""
        if self._live_name() is None or not self._schema_current():
            self.directory.mkdir(parents=True, exist_ok=True)
            name, _path = self._new_folder()
            self._point_to(name)

    def _schema_current(self) -> bool:
        try:
            names = set(self._open().schema.names())
        except SearchUnavailableError:
            return False
        return set(make_schema().names()) <= names

    def _writer(self) -> Any:
        try:
            return self._open().writer(timeout=WRITER_TIMEOUT)
        except LockError as exc:
            raise SearchUnavailableError("搜索索引正被另一个进程写入，请稍后重试") from exc

    def index(self, documents: Iterable[IndexDocument]) -> int:
        writer = self._writer()
        count = 0
        try:
            for document in documents:
                writer.update_document(**_fields(document))
                count += 1
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        return count

    def delete(self, document_ids: Iterable[IndexKey]) -> None:
        writer = self._writer()
        try:
            for document_id in document_ids:
                writer.delete_by_term("id", str(document_id))
        except BaseException:
            writer.cancel()
            raise
        # Deleted texts stay in segment files until purge() merges them out (design.md §4);
        # optimising here would take minutes on a large index inside a page request.
        writer.commit()

    def purge(self) -> None:
        self._open().optimize()

    def rebuild(self, documents: Iterable[IndexDocument],
                progress: Callable[[int], None] | None = None) -> int:
        self.directory.mkdir(parents=True, exist_ok=True)
        name, path = self._new_folder()
        writer = whoosh_index.open_dir(str(path)).writer(limitmb=256)
        count = 0
        try:
            for document in documents:
                writer.add_document(**_fields(document))
                count += 1
                if progress is not None:
                    progress(1)
        except BaseException:
            writer.cancel()
            shutil.rmtree(path, ignore_errors=True)
            raise
        writer.commit(optimize=True)
        self._point_to(name)
        self._remove_stale(keep=name)
        return count

    def count(self) -> int:
        with self._reading() as searcher:
            return int(searcher.doc_count())

    def versions(self) -> dict[IndexKey, str]:
        with self._reading() as searcher:
            return {stored_key(fields["id"]): fields.get("version", "")
                    for fields in searcher.all_stored_fields()}

    def search(self, request: SearchRequest) -> SearchResult:
        groups = {name: sorting.FieldFacet(name, maptype=sorting.Count) for name in FACETS}
        limit = request.page * request.size
        sortedby = sorting.FieldFacet("date", reverse=True) if request.sort == "date" else None
        terms = request.highlight_terms
        with self._reading() as searcher:
            query = build_query(request, lambda word: searcher.doc_frequency("body", word) > 0)
            results = searcher.search(query, limit=limit, sortedby=sortedby, groupedby=groups,
                                      filter=_filter(request.filters))
            facets = {name: sorted((FacetValue(str(value), int(count))
                                    for value, count in results.groups(name).items()
                                    if value not in ("", None)),
                                   key=lambda facet: (-facet.count, facet.value))
                      for name in FACETS}
            ranked = [(float(hit.score) if request.sort != "date" else 0.0, hit.fields())
                      for hit in results]
            if request.sort != "date":
                # Equal scores (the same text in two versions) go newest first.
                ranked.sort(key=lambda pair: (-round(pair[0], 6), _negated(pair[1]["date"])))
            if request.sort != "date":
                ranked = current_first(ranked, lambda pair: (
                    pair[1].get("title", ""), pair[1].get("validity", ""),
                    pair[1].get("date", "")))
            hits = [Hit(
                id=parse_key(fields["id"])[1], kind=parse_key(fields["id"])[0],
                score=score, title=fields.get("title", ""),
                doc_number=fields.get("doc_number", ""), index_no=fields.get("index_no", ""),
                agency=fields.get("agency", ""), agency_name=fields.get("agency_name", ""),
                category=fields.get("category", ""),
                category_name=fields.get("category_name", ""),
                type=fields.get("type", ""), validity=fields.get("validity", ""),
                date=_date(fields.get("date", "")),
                snippet=highlight(fields.get("text", ""), terms))
                for score, fields in ranked[limit - request.size:limit]]
            return SearchResult(total=len(results), hits=hits, facets=facets,
                                operator=request.operator)


def _date(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _negated(iso_date: str) -> str:
    """A key that sorts ISO dates newest first (and undated last)."""
    return "".join(chr(0x10FFFF - ord(char)) for char in iso_date) if iso_date else "\U0010ffff"
