"""The embedded default backend: Whoosh (whoosh-reloaded) in the instance folder.

Built for a catalog of tens of thousands of texts on one machine (issue 18):

- Texts are segmented once per field by the project's tokenizer and handed to Whoosh as
  words (:class:`CountedWords`, :class:`PositionedWords`), not through Whoosh's analyzer
  chain. Titles keep word positions and character bigrams (phrases, the segmentation safety
  net); bodies keep word counts only, with the dictionary sub-words of long words, which is
  what makes indexing keep pace with the segmenter.
- The full text lives in a compressed column read only for the hits shown (snippets), not
  in the stored fields that Whoosh loads for every hit.
- Facet counts and totals come from the set of matching documents intersected with the
  documents of each facet value (computed once per index version), apart from scoring, which
  collects only the top of the ranking.
- Segments are written as separate files (not compound), so searches read them through the
  page cache instead of every worker copying the index into its memory.

Complete rebuilds write a new index folder and switch a pointer file atomically, so searches
keep being answered during a rebuild; an interrupted rebuild's folder is removed by the next
rebuild (:meth:`WhooshBackend.orphans`).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import shutil
import threading
import time
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh import sorting
from whoosh.columns import CompressedBytesColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, FieldType, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.formats import Frequency, Positions
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25F
from whoosh.system import pack_uint
from whoosh.writing import LockError

from opengov.indexer.backend import IndexStatus, SearchUnavailableError
from opengov.indexer.highlight import highlight
from opengov.indexer.model import (
    CURRENT_VALIDITY,
    FACETS,
    NOT_CURRENT_FACTOR,
    FacetValue,
    Hit,
    IndexDocument,
    IndexKey,
    QueryTerm,
    SearchRequest,
    SearchResult,
    current_first,
    parse_key,
    stored_key,
)
from opengov.indexer.normalize import doc_number_keys, normalize_text
from opengov.indexer.ranking import (
    BOOSTS,
    EXACT_TITLE_SCORE,
    NUMBER_SCORES,
    TITLE_PHRASE_SCORE,
    YEAR_SCORE,
    core_title,
    field_texts,
    title_candidates,
)
from opengov.indexer.tokenizer import bigrams, get_tokenizer

WRITER_TIMEOUT = 60.0
POINTER = "CURRENT"
#: The top of the ranking collected at first; widened when validity re-ranking needs more.
FIRST_COLLECT = 100


class CountedWords(FieldType):  # type: ignore[misc]
    """A scored field of words without positions; its value is the list of words."""

    def __init__(self, stored: bool = False) -> None:
        self.format = Frequency()
        self.analyzer = None
        self.scorable = True
        self.stored = stored
        self.unique = False
        self.vector = None
        self.column_type = None

    def index(self, value: list[str], **_kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        for word, frequency in Counter(value).items():
            yield word.encode("utf-8"), frequency, float(frequency), pack_uint(frequency)

    def process_text(self, text: str, **_kwargs: Any) -> Iterator[str]:
        return iter(get_tokenizer().words(normalize_text(text)))


class PositionedWords(CountedWords):
    """A scored field of ``(word, position)`` pairs: phrase queries work on it."""

    def __init__(self, stored: bool = False) -> None:
        super().__init__(stored)
        self.format = Positions()

    def index(self, value: list[tuple[str, int]],  # type: ignore[override]
              **_kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        positions: dict[str, list[int]] = defaultdict(list)
        for word, position in value:
            positions[word].append(position)
        encode = self.format.encode
        for word, found in positions.items():
            yield word.encode("utf-8"), len(found), float(len(found)), encode(found)


def make_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        title=PositionedWords(stored=True),
        title_bigram=PositionedWords(),
        meta=CountedWords(),
        body=CountedWords(),
        exact_title=ID(),
        number_key=KEYWORD(commas=True, lowercase=False),
        kind=ID(stored=True),
        index_no=ID(stored=True),
        category=ID(stored=True),
        type=ID(stored=True),
        agency=ID(stored=True),
        year=ID(stored=True),
        validity=ID(stored=True, sortable=True),
        topic=ID(stored=True),
        date=ID(stored=True, sortable=True),
        doc_number=STORED(),
        agency_name=STORED(),
        category_name=STORED(),
        version=STORED(),
        text=COLUMN(CompressedBytesColumn()),
    )


def _fields(document: IndexDocument) -> dict[str, Any]:
    tokenizer = get_tokenizer()
    texts = field_texts(document)
    return {
        "id": str(document.key),
        "kind": document.kind,
        "title": tokenizer.positioned_words(document.title),
        "_stored_title": document.title,
        "title_bigram": [(gram, position) for position, gram
                         in enumerate(bigrams(normalize_text(document.title)))],
        "meta": tokenizer.index_words(texts.meta),
        "body": tokenizer.index_words(texts.body),
        "exact_title": core_title(document.title),
        "number_key": ",".join(doc_number_keys(document.doc_number)),
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
        "version": document.version,
        "text": (zlib.compress(texts.snippet_source.encode("utf-8"), 1)
                 if texts.snippet_source else b""),
    }


# --- queries --------------------------------------------------------------------------

def _title_phrase(text: str, boost: float) -> wq.Query | None:
    grams = bigrams(text)
    if not grams:
        return None
    if len(grams) == 1:
        return wq.Term("title_bigram", grams[0], boost=boost)
    return wq.Phrase("title_bigram", grams, boost=boost)


#: The word fields of a document, and those that mark a strong match (title, metadata).
WORD_FIELDS = ("title", "meta", "body")
STRONG_FIELDS = ("title", "meta")
#: Above this many matches (estimated from document frequencies), matches are counted from
#: the postings' document sets and only the strong matches are scored: see ``search``.
BIG_MATCH = 3000


def _word_clause(word: str, in_title: Callable[[str], bool],
                 fields: tuple[str, ...] = WORD_FIELDS) -> wq.Query:
    clauses: list[wq.Query] = [wq.Term(field, word, boost=BOOSTS[field]) for field in fields]
    if not in_title(word):
        # The title was segmented otherwise: its bigrams still find the word.
        phrase = _title_phrase(word, BOOSTS["title_bigram"])
        if phrase is not None and len(bigrams(word)) > 1:
            clauses.append(phrase)
    return wq.Or(clauses)


def _term_clause(term: QueryTerm, in_title: Callable[[str], bool],
                 fields: tuple[str, ...] = WORD_FIELDS) -> wq.Query:
    alternatives: list[wq.Query] = []
    for form, surface in zip(term.word_forms, term.alternatives, strict=True):
        if len(form) == 1:
            alternatives.append(_word_clause(form[0], in_title, fields))
            continue
        phrase = _title_phrase(surface, BOOSTS["title"])
        if form:
            together = wq.And([_word_clause(word, in_title, fields) for word in form])
            alternatives.append(wq.Or([together, phrase]) if phrase is not None else together)
        elif phrase is not None:
            alternatives.append(phrase)
    if not alternatives:
        return wq.NullQuery
    return alternatives[0] if len(alternatives) == 1 else wq.Or(alternatives)


def _phrase_clause(phrase: str, in_title: Callable[[str], bool],
                   fields: tuple[str, ...] = WORD_FIELDS) -> wq.Query:
    """A quoted phrase: contiguous in the title, or every word of it in the text."""
    words = get_tokenizer().words(phrase)
    clauses: list[wq.Query] = []
    title = _title_phrase(phrase, BOOSTS["title"])
    if title is not None:
        clauses.append(title)
    if words:
        clauses.append(wq.And([_word_clause(word, in_title, fields) for word in words]))
    return wq.Or(clauses)


def _year_clause(year: str) -> wq.Query:
    return wq.Or([wq.Term("year", year), wq.Term("title", year)])


def matching_query(request: SearchRequest,
                   in_title: Callable[[str], bool] = lambda _word: True,
                   fields: tuple[str, ...] = WORD_FIELDS) -> wq.Query:
    """What a document must match: every term (each in one of its forms) and phrase, or one
    of the document-number keys; only the year when the query names nothing else."""
    clauses = [_term_clause(term, in_title, fields) for term in request.terms]
    clauses += [_phrase_clause(phrase, in_title, fields) for phrase in request.phrases]
    parts: list[wq.Query] = []
    if clauses:
        parts.append(wq.And(clauses) if len(clauses) > 1 else clauses[0])
    parts += [wq.ConstantScoreQuery(wq.Term("number_key", key), NUMBER_SCORES[strength])
              for key, strength in request.number_keys]
    if not parts and request.year:
        parts.append(_year_clause(request.year))
    if not parts:
        return wq.NullQuery
    return parts[0] if len(parts) == 1 else wq.Or(parts)


def build_query(request: SearchRequest,
                in_title: Callable[[str], bool] = lambda _word: True,
                fields: tuple[str, ...] = WORD_FIELDS) -> wq.Query:
    """The scored query of a parsed request: the matching query with bonuses for an exact
    title, the whole query inside the title, and the year the query names."""
    main = matching_query(request, in_title, fields)
    bonuses: list[wq.Query] = []
    exact, contained = title_candidates(request)
    if exact:
        bonuses.append(wq.ConstantScoreQuery(
            wq.Or([wq.Term("exact_title", title) for title in exact]), EXACT_TITLE_SCORE))
    phrases = [phrase for phrase in (_title_phrase(text, 1.0) for text in contained)
               if phrase is not None]
    if phrases:
        bonuses.append(wq.ConstantScoreQuery(wq.Or(phrases), TITLE_PHRASE_SCORE))
    if request.year and (request.terms or request.phrases or request.number_keys):
        bonuses.append(wq.ConstantScoreQuery(_year_clause(request.year), YEAR_SCORE))
    if not bonuses:
        return main
    return wq.AndMaybe(main, wq.Or(bonuses) if len(bonuses) > 1 else bonuses[0])


# --- matches as sets --------------------------------------------------------------------

class _DocumentSets:
    """The documents of a query as set algebra over posting lists: what Whoosh's matchers
    find, at a fraction of their cost when the lists are long (a posting list is decoded in
    blocks; the matchers step through it document by document in Python). Posting sets of
    one index version are remembered, a few at a time."""

    KEPT = 64

    def __init__(self, searcher: Any) -> None:
        self._searcher = searcher
        self._reader = searcher.reader()
        self._postings: dict[tuple[str, str], frozenset[int]] = {}

    def term(self, field: str, text: Any) -> frozenset[int]:
        key = (field, text if isinstance(text, str) else bytes(text).decode("utf-8"))
        found = self._postings.get(key)
        if found is None:
            try:
                found = frozenset(self._reader.postings(field, key[1]).all_ids())
            except TermNotFound:
                found = frozenset()
            if len(self._postings) >= self.KEPT:
                self._postings.pop(next(iter(self._postings)))
            self._postings[key] = found
        return found

    def of(self, query: wq.Query) -> frozenset[int]:
        if isinstance(query, wq.Term):
            return self.term(query.fieldname, query.text)
        if isinstance(query, wq.ConstantScoreQuery):
            return self.of(query.child)
        if isinstance(query, wq.AndMaybe):
            return self.of(query.a)
        if isinstance(query, wq.Or):
            found: set[int] = set()
            for child in query.subqueries:
                found |= self.of(child)
            return frozenset(found)
        if isinstance(query, wq.And):
            parts = sorted((self.of(child) for child in query.subqueries), key=len)
            common = set(parts[0]) if parts else set()
            for part in parts[1:]:
                common &= part
            return frozenset(common)
        if query is wq.NullQuery:
            return frozenset()
        # Phrases (title bigrams) and anything else: Whoosh's own matching, over short lists.
        return frozenset(self._searcher.docs_for_query(query))


def _estimate(reader: Any, query: wq.Query) -> int:
    """An upper bound of the matches of ``query`` from document frequencies alone."""
    if isinstance(query, wq.Term):
        return int(reader.doc_frequency(query.fieldname, query.text))
    if isinstance(query, wq.ConstantScoreQuery):
        return _estimate(reader, query.child)
    if isinstance(query, wq.AndMaybe):
        return _estimate(reader, query.a)
    if isinstance(query, wq.Or):
        return sum(_estimate(reader, child) for child in query.subqueries)
    if isinstance(query, wq.And):
        return min((_estimate(reader, child) for child in query.subqueries), default=0)
    if query is wq.NullQuery:
        return 0
    return int(reader.doc_count_all())


# --- facets ----------------------------------------------------------------------------

class _FacetSets:
    """For each facet, the documents of each value, built once per reader (index version)
    from the postings of the facet's field."""

    def __init__(self, reader: Any) -> None:
        self.values: dict[str, dict[str, frozenset[int]]] = {}
        for name in FACETS:
            by_value: dict[str, frozenset[int]] = {}
            for term in reader.lexicon(name):
                value = term.decode("utf-8") if isinstance(term, bytes) else str(term)
                if value:
                    by_value[value] = frozenset(reader.postings(name, term).all_ids())
            self.values[name] = by_value

    def allowed(self, filters: dict[str, str]) -> set[int] | None:
        """The documents every filter admits; None when there is no filter."""
        chosen = [self.values.get(name, {}).get(value, frozenset())
                  for name, value in sorted(filters.items()) if name in FACETS]
        if not chosen:
            return None
        chosen.sort(key=len)
        allowed = set(chosen[0])
        for other in chosen[1:]:
            allowed &= other
        return allowed

    def counts(self, matched: set[int]) -> dict[str, list[FacetValue]]:
        facets: dict[str, list[FacetValue]] = {}
        for name, by_value in self.values.items():
            found = [FacetValue(value, len(matched & documents))
                     for value, documents in by_value.items()]
            facets[name] = sorted((facet for facet in found if facet.count),
                                  key=lambda facet: (-facet.count, facet.value))
        return facets


class WhooshBackend:
    """Whoosh index in ``directory``: ``directory/CURRENT`` names the live sub-folder."""

    name = "whoosh"

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self._lock = threading.Lock()
        self._cached: tuple[str, Any] | None = None
        self._searcher: Any = None
        self._facets: tuple[Any, _FacetSets] | None = None
        self._sets: tuple[Any, _DocumentSets] | None = None

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
                searcher = ix.searcher(weighting=BM25F())
            self._searcher = searcher
        yield searcher

    def _facet_sets(self, searcher: Any) -> _FacetSets:
        with self._lock:
            if self._facets is None or self._facets[0] is not searcher:
                self._facets = (searcher, _FacetSets(searcher.reader()))
            return self._facets[1]

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

    def orphans(self) -> list[str]:
        """Index folders no pointer names: left by a rebuild that was interrupted, or by the
        one before the last rebuild when a search still had it open."""
        live = self._live_name()
        if not self.directory.is_dir():
            return []
        return sorted(child.name for child in self.directory.iterdir()
                      if child.is_dir() and child.name.startswith("v") and child.name != live)

    def remove_orphans(self) -> list[str]:
        """Remove :meth:`orphans`; returns their names."""
        removed = self.orphans()
        for name in removed:
            shutil.rmtree(self.directory / name, ignore_errors=True)
        return removed

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
            return self._open().writer(timeout=WRITER_TIMEOUT, compound=False)
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
        # Folders of rebuilds that were interrupted before they could clean up.
        self.remove_orphans()
        name, path = self._new_folder()
        writer = whoosh_index.open_dir(str(path)).writer(limitmb=256, compound=False)
        count = 0
        try:
            for document in documents:
                writer.add_document(**_fields(document))
                count += 1
                if progress is not None:
                    progress(1)
            writer.commit(optimize=True)
        except BaseException:
            writer.cancel()
            shutil.rmtree(path, ignore_errors=True)
            raise
        self._point_to(name)
        self.remove_orphans()
        return count

    def count(self) -> int:
        with self._reading() as searcher:
            return int(searcher.doc_count())

    def status(self) -> IndexStatus:
        if self._live_name() is None:
            return IndexStatus(exists=False, documents=0)
        return IndexStatus(exists=True, documents=self.count())

    def versions(self) -> dict[IndexKey, str]:
        with self._reading() as searcher:
            return {stored_key(fields["id"]): fields.get("version", "")
                    for fields in searcher.all_stored_fields()}

    def term_counts(self, request: SearchRequest) -> tuple[int, list[int]]:
        """How many documents the index holds, and how many match each term of ``request``
        (for judging how much of a query a relaxed match still covers)."""
        with self._reading() as searcher:
            in_title = _title_vocabulary(searcher)
            counts = [sum(1 for _ in searcher.docs_for_query(_term_clause(term, in_title)))
                      for term in request.terms]
            return int(searcher.doc_count()), counts

    def search(self, request: SearchRequest) -> SearchResult:
        """One pass of the scored query over every match gives the total, the facets (from
        the set of matches) and the ranking (from their scores); only the hits shown are
        re-ranked and read.

        A query of common words (more than :data:`BIG_MATCH` matches, estimated from
        document frequencies) is counted from the posting lists' document sets instead, and
        only its strong matches — every word in the title or the catalog metadata — are
        scored for the first pages: they outrank the rest, and stepping through tens of
        thousands of weak matches in Python is what made such queries slow."""
        with self._reading() as searcher:
            in_title = _title_vocabulary(searcher)
            facet_sets = self._facet_sets(searcher)
            allowed = facet_sets.allowed(request.filters)
            if allowed is not None and not allowed:
                # No document has the chosen facet values; Whoosh would read an empty
                # filter as no filter at all.
                return SearchResult(total=0, hits=[], facets={name: [] for name in FACETS})
            limit = request.page * request.size
            query = build_query(request, in_title)
            everything: list[tuple[float, int]] | None = None
            matched: set[int] | None = None
            if request.sort != "date" and _estimate(searcher.reader(), query) > BIG_MATCH:
                sets = self._document_sets(searcher)
                matched = set(sets.of(matching_query(request, in_title)))
                if allowed is not None:
                    matched &= allowed
                strong = set(sets.of(matching_query(request, in_title, STRONG_FIELDS)))
                strong &= matched
                if len(strong) >= limit:
                    results = searcher.search(build_query(request, in_title, STRONG_FIELDS),
                                              limit=None, filter=strong)
                    everything = [(float(score), int(docnum))
                                  for score, docnum in results.top_n]
            if everything is None:
                if request.sort == "date":
                    results = searcher.search(
                        query, limit=None, filter=allowed, scored=False,
                        sortedby=sorting.FieldFacet("date", reverse=True))
                    everything = [(0.0, int(docnum)) for _key, docnum in results.top_n]
                else:
                    results = searcher.search(query, limit=None, filter=allowed)
                    everything = [(float(score), int(docnum))
                                  for score, docnum in results.top_n]
                matched = {docnum for _score, docnum in everything}
            assert matched is not None
            facets = facet_sets.counts(matched) if request.facets else {
                name: [] for name in FACETS}
            if not matched or limit == 0:
                return SearchResult(total=len(matched), hits=[], facets=facets)
            ranked = (everything[:limit] if request.sort == "date"
                      else _ranked(searcher, everything, limit))
            page = ranked[limit - request.size:limit]
            return SearchResult(total=len(matched), facets=facets,
                                hits=_hits(searcher, page, request.highlight_terms))

    def _document_sets(self, searcher: Any) -> _DocumentSets:
        with self._lock:
            if self._sets is None or self._sets[0] is not searcher:
                self._sets = (searcher, _DocumentSets(searcher))
            return self._sets[1]


def _title_vocabulary(searcher: Any) -> Callable[[str], bool]:
    reader = searcher.reader()

    def in_title(word: str) -> bool:
        return bool(reader.doc_frequency("title", word))

    return in_title


def _ranked(searcher: Any, scored: list[tuple[float, int]],
            limit: int) -> list[tuple[float, int]]:
    """``(score, docnum)`` of at least the first ``limit`` of the ``scored`` matches, ranked
    by their score with texts no longer in force scaled by :data:`NOT_CURRENT_FACTOR`, equal
    scores newest first, and current versions in the places of superseded ones of the same
    title.

    Only the top is re-ranked: a document below the top scores at most the top's lowest raw
    score, so every re-ranked document above that bound is in its final place; the top is
    widened until ``limit`` of them are."""
    reader = searcher.reader()
    validity = reader.column_reader("validity")
    dates = reader.column_reader("date")
    by_score = sorted(scored, key=lambda pair: -pair[0])
    top = max(FIRST_COLLECT, limit * 2)
    while True:
        raw = by_score[:top]
        complete = top >= len(by_score)
        bound = -math.inf if complete else raw[-1][0]
        adjusted = [(score * (1.0 if _text(validity[docnum]) == CURRENT_VALIDITY
                              else NOT_CURRENT_FACTOR), docnum) for score, docnum in raw]
        adjusted.sort(key=lambda pair: (-round(pair[0], 6), _negated(_text(dates[pair[1]]))))
        settled = [pair for pair in adjusted if pair[0] >= bound]
        if complete or len(settled) >= limit:
            return _current_versions_first(searcher, settled[:limit])
        top *= 4


def _current_versions_first(searcher: Any,
                            ranked: list[tuple[float, int]]) -> list[tuple[float, int]]:
    stored = {docnum: searcher.stored_fields(docnum) for _score, docnum in ranked}
    return current_first(ranked, lambda pair: (stored[pair[1]].get("title", ""),
                                               stored[pair[1]].get("validity", ""),
                                               stored[pair[1]].get("date", "")))


def _hits(searcher: Any, page: list[tuple[float, int]], terms: list[str]) -> list[Hit]:
    texts = searcher.reader().column_reader("text")
    hits = []
    for score, docnum in page:
        fields = searcher.stored_fields(docnum)
        compressed = texts[docnum]
        text = zlib.decompress(compressed).decode("utf-8") if compressed else ""
        kind, record_id = parse_key(fields["id"])
        hits.append(Hit(
            id=record_id, kind=kind, score=score, title=fields.get("title", ""),
            doc_number=fields.get("doc_number", ""), index_no=fields.get("index_no", ""),
            agency=fields.get("agency", ""), agency_name=fields.get("agency_name", ""),
            category=fields.get("category", ""), category_name=fields.get("category_name", ""),
            type=fields.get("type", ""), validity=fields.get("validity", ""),
            date=_date(fields.get("date", "")), snippet=highlight(text, terms)))
    return hits


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value or "")


def _date(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _negated(iso_date: str) -> str:
    """A key that sorts ISO dates newest first (and undated last)."""
    return "".join(chr(0x10FFFF - ord(char)) for char in iso_date) if iso_date else "\U0010ffff"
