"""Searching for citizens: parse, expand, search, and answer honestly.

- The query is searched as typed, with its synonyms and the full names of abbreviations
  (个税法 → 个人所得税法) as alternatives: every meaningful word must be found.
- When no document has them all, the page says so. A relaxed match — the documents with the
  words that carry most of the query's meaning (:data:`RELAXED_MIN_SHARE` of its weight, the
  words no document has weighing most) — is shown apart, naming the words it leaves out.
- “您是不是要找” (a typo, pinyin input) is offered as a link, never searched in place of what
  was typed, and only when the suggestion finds markedly more documents than the query; its
  first results are then shown apart, labelled, above the answer to what was typed.
- When the engine is down the search says so and falls back to a plain title match in the
  database, so the page still helps.

A search only reads: the index and the vocabulary are brought up to date by the index worker,
and the search is counted for 热门搜索 in a spool file, not in the database (:mod:`.statistics`).
No database transaction stays open while the engine is asked (:func:`.index.end_read`).
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field, replace
from html import escape

from flask import current_app, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import Session, configure_mappers, selectinload

from opengov.indexer.backend import SearchBackend, SearchUnavailableError
from opengov.indexer.highlight import mark_title
from opengov.indexer.lexicon import built_in_lexicon, merge
from opengov.indexer.model import DOCUMENT_KIND, SearchRequest, SearchResult
from opengov.indexer.model import FACETS as FACETS
from opengov.indexer.model import Hit as Hit
from opengov.indexer.normalize import normalize_text
from opengov.indexer.query import QueryError, parse_query
from opengov.indexer.suggest import pinyin_key
from opengov.site.agencies.models import Agency
from opengov.site.catalog.models import Category, Document
from opengov.site.catalog.service.public import public_clause
from opengov.site.db import get_session
from opengov.site.search.service import sources
from opengov.site.search.service.index import EXTENSION_KEY as SEARCH_BACKEND_KEY
from opengov.site.search.service.index import (
    app_tokenizer,
    end_read,
    failing_entries,
    get_backend,
)
from opengov.site.search.service.statistics import popular_queries, record_query
from opengov.site.search.service.synonyms import synonym_map
from opengov.site.search.service.vocabulary import current_vocabulary, preload_vocabulary

log = logging.getLogger(__name__)

FACET_LABELS = {"kind": "类型", "category": "栏目", "type": "体裁", "agency": "发布机构",
                "year": "年份", "validity": "有效性"}
DEGRADED_DOWN = "搜索服务暂时不可用，以下是按标题查找的结果，请稍后再试完整检索。"
DEGRADED_BEHIND = "部分最新发布或修改的信息可能尚未出现在搜索结果中。"
#: A relaxed match must keep at least this share of the query's meaning (the words weighed
#: by how rare they are in the index; a word no document has weighs most).
RELAXED_MIN_SHARE = 0.6
#: A suggestion is offered only when it finds markedly more: something where the query
#: found nothing, else (found + 1) at least SUGGESTION_FACTOR times (typed + 1) — 5 against
#: one, 38 against twelve. Right text that finds what it means is never "corrected" (国家 is
#: not 和国家).
SUGGESTION_FACTOR = 3
#: How many results of a relaxed match or a suggestion are shown apart.
ALTERNATIVE_SIZE = 5
RELAXED, SUGGESTED = "relaxed", "suggestion"


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Alternative:
    """Results shown apart from the answer, and labelled as such: a relaxed match (``kind``
    :data:`RELAXED`, without the ``missing`` words) or the results of a suggestion."""

    kind: str
    query: str  # what was searched instead: the words kept, or the suggestion
    hits: list[Hit]
    total: int
    kept: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


@dataclass
class SearchOutcome:
    query: str
    page: int = 1
    size: int = 20
    sort: str = "relevance"
    filters: dict[str, str] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)  # the answer to the query as typed
    total: int = 0
    facets: dict[str, list[FacetOption]] = field(default_factory=dict)
    error: str | None = None  # the query cannot be searched: shown beside the field
    degraded: str | None = None
    unavailable: bool = False  # the engine is down: results come from a title match
    suggestion: str | None = None  # 您是不是要找: offered as a link
    alternative: Alternative | None = None  # shown apart when the query found nothing
    #: Words searched as well as what was typed: (typed, the alternatives).
    expansions: list[tuple[str, list[str]]] = field(default_factory=list)
    took_ms: int = 0
    terms: list[str] = field(default_factory=list)  # normalised words to mark in titles

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


def document_url(document_id: int) -> str:
    # The document page belongs to the public catalog pages; its URL is fixed by them.
    if "public.document" in current_app.view_functions:
        return url_for("public.document", document_id=document_id)
    return f"/documents/{document_id}"


def hit_url(hit: Hit) -> str:
    """The public page of a result: a document's, or that of another feature's record."""
    if hit.kind == DOCUMENT_KIND:
        return document_url(hit.id)
    return sources.url_of(hit.kind, hit.id) or document_url(hit.id)


def kind_label(kind: str) -> str:
    """What the 类型 facet calls ``kind`` (政府信息, 办事指南 …)."""
    return sources.label_of(kind)


@dataclass(frozen=True)
class _Labels:
    category: dict[str, str]
    agency: dict[str, str]
    kind: dict[str, str]  # 类型: 政府信息, 办事指南 …


def _labels(session: Session) -> _Labels:
    return _Labels(dict(session.execute(select(Category.slug, Category.name)).all()),
                   dict(session.execute(select(Agency.code, Agency.name)).all()),
                   {source.kind: source.label for source in sources.registered()}
                   | {DOCUMENT_KIND: sources.DOCUMENT_LABEL})


def search(session: Session, raw: str, *, filters: dict[str, str] | None = None,
           sort: str = "relevance", page: int = 1, size: int | None = None,
           log_query: bool = True) -> SearchOutcome:
    """Everything the search page and the API show for one query, read through ``session``
    (composable; the entry functions below call it). Writes nothing to the database: with
    ``log_query`` a first, unfiltered page is counted in the statistics spool."""
    started = time.perf_counter()
    size = size or current_app.config["PAGE_SIZE"]
    outcome = SearchOutcome(query=(raw or "").strip(), page=max(page, 1), size=size, sort=sort,
                            filters={k: v for k, v in (filters or {}).items() if v})
    vocabulary = current_vocabulary(session)
    synonyms = merge(synonym_map(session), vocabulary.lexicon())
    tokenizer = app_tokenizer()
    try:
        request = parse_query(raw, tokenizer, filters=filters, sort=sort, page=page, size=size,
                              synonyms=synonyms)
    except QueryError as exc:
        outcome.error = exc.message
        return outcome
    outcome.page, outcome.size, outcome.sort = request.page, request.size, request.sort
    outcome.filters = dict(request.filters)
    outcome.terms = request.highlight_terms
    outcome.expansions = [(term.alternatives[0], list(term.alternatives[1:]))
                          for term in request.terms if len(term.alternatives) > 1]
    labels = _labels(session)
    behind = failing_entries(session) > 0
    # Everything the database gives is read: no transaction stays open while the engine
    # is asked (it may be slow, or hung, up to SEARCH_TIMEOUT_SECONDS).
    end_read(session)
    backend = get_backend()
    try:
        result = backend.search(request)
        outcome.hits, outcome.total = result.hits, result.total
        outcome.facets = _facet_options(labels, result, request.filters)
        _look_further(outcome, backend, request, synonyms, vocabulary.suggester.suggest(raw))
        if behind:
            outcome.degraded = DEGRADED_BEHIND
    except SearchUnavailableError as exc:
        log.warning("search unavailable: %s", exc)
        outcome.degraded = DEGRADED_DOWN
        outcome.unavailable = True
        outcome.facets = {}
        outcome.hits, outcome.total = _title_fallback(session, request)
    if log_query and request.page == 1 and not request.filters:
        record_query(request.text, found=outcome.total > 0)
    outcome.took_ms = round((time.perf_counter() - started) * 1000)
    return outcome


def _look_further(outcome: SearchOutcome, backend: SearchBackend, request: SearchRequest,
                  synonyms: dict[str, tuple[str, ...]], suggestion: str | None) -> None:
    """Offer a suggestion that finds markedly more than the query, with its first results
    shown apart; when the query found nothing and there is no such suggestion, show apart
    the relaxed match that keeps most of its meaning, if any."""
    if suggestion and request.page == 1:
        try:
            corrected = parse_query(suggestion, app_tokenizer(), filters=request.filters,
                                    size=ALTERNATIVE_SIZE, synonyms=synonyms)
        except QueryError:
            corrected = None
        if corrected is not None:
            found = backend.search(replace(corrected, facets=False))
            if found.total > 0 and (outcome.total == 0 or found.total + 1
                                    >= SUGGESTION_FACTOR * (outcome.total + 1)):
                outcome.suggestion = suggestion
                outcome.alternative = Alternative(SUGGESTED, suggestion, found.hits,
                                                  found.total)
                return
    if outcome.total == 0 and len(request.terms) > 1:
        outcome.alternative = _relaxed(backend, request)


def _relaxed(backend: SearchBackend, request: SearchRequest) -> Alternative | None:
    """The documents that have the words carrying most of the query's meaning, or None when
    no such match keeps :data:`RELAXED_MIN_SHARE` of it. A word weighs by its rarity in the
    index (inverse document frequency); one no document has weighs most, so a query whose
    distinctive words are found nowhere (周杰伦演唱会门票) gets no relaxed match."""
    documents, counts = backend.term_counts(request)
    weights = [math.log(1 + (documents + 1) / (count + 0.5)) for count in counts]
    total_weight = sum(weights)
    # Drop the words no document has, then the least weighty, while enough meaning is kept.
    order = sorted(range(len(request.terms)), key=lambda i: (counts[i] > 0, weights[i]))
    kept = set(range(len(request.terms)))
    for index in order:
        kept.discard(index)
        if not kept or sum(weights[i] for i in kept) < RELAXED_MIN_SHARE * total_weight:
            return None
        if any(counts[i] == 0 for i in kept):
            continue
        terms = tuple(term for i, term in enumerate(request.terms) if i in kept)
        found = backend.search(replace(request, terms=terms, page=1, size=ALTERNATIVE_SIZE,
                                       facets=False, number_keys=()))
        if found.total:
            words = [term.alternatives[0] for term in request.terms]
            return Alternative(RELAXED, " ".join(words[i] for i in sorted(kept)), found.hits,
                               found.total, kept=[words[i] for i in sorted(kept)],
                               missing=[words[i] for i in range(len(words)) if i not in kept])
    return None


def _facet_options(names: _Labels, result: SearchResult,
                   selected: dict[str, str]) -> dict[str, list[FacetOption]]:
    labels: dict[str, dict[str, str]] = {"category": names.category, "agency": names.agency,
                                         "kind": names.kind}
    options: dict[str, list[FacetOption]] = {}
    for name in FACETS:
        values = result.facets.get(name, [])
        if name == "year":
            values = sorted(values, key=lambda value: value.value, reverse=True)
        options[name] = [FacetOption(value.value, labels.get(name, {}).get(value.value,
                                                                          value.value),
                                     value.count, selected.get(name) == value.value)
                         for value in values]
    return options


def _title_fallback(session: Session, request: SearchRequest) -> tuple[list[Hit], int]:
    words = [term.alternatives[0] for term in request.terms] + list(request.phrases)
    condition = public_clause()
    for word in words[:5]:
        condition = condition & Document.title.contains(word, autoescape=True)
    total = int(session.scalar(select(func.count(Document.id)).where(condition)) or 0)
    documents = session.scalars(
        select(Document).where(condition).order_by(Document.published_on.desc())
        .offset((request.page - 1) * request.size).limit(request.size)
        .options(selectinload(Document.agency), selectinload(Document.category))).all()
    hits = [Hit(id=d.id, score=0.0, title=d.title, doc_number=d.doc_number,
                index_no=d.index_no or "", agency=d.agency.code, agency_name=d.agency.name,
                category=d.category.slug, category_name=d.category.name, type=d.genre,
                validity=str(d.validity.value), date=d.published_on,
                snippet=escape(d.summary[:120])) for d in documents]
    return hits, total


def marked_title(title: str, terms: list[str]) -> str:
    """``title`` as HTML (escaped) with the searched words in ``<mark>``."""
    return mark_title(title, terms)


# --- entry functions: what the pages, the API and other features call ----------------------

def search_documents(raw: str, *, filters: dict[str, str] | None = None,
                     sort: str = "relevance", page: int = 1,
                     size: int | None = None) -> SearchOutcome:
    """One search of the public (the API), counted for 热门搜索."""
    return search(get_session(), raw, filters=filters, sort=sort, page=page, size=size)


@dataclass
class SearchPage:
    """What the search page shows: the outcome of the query, if one was asked, and the
    popular searches."""

    outcome: SearchOutcome | None
    popular: list[str]


def search_page(raw: str, *, asked: bool, filters: dict[str, str] | None = None,
                sort: str = "relevance", page: int = 1) -> SearchPage:
    """The search page: the search when ``asked`` (a query was sent, even an empty one, which
    earns a message), and always the popular searches."""
    session = get_session()
    outcome = (search(session, raw, filters=filters, sort=sort, page=page) if asked
               else None)
    return SearchPage(outcome=outcome, popular=popular_queries())


def related_documents(query: str, *, size: int = 10) -> SearchOutcome:
    """The site's own documents matching ``query``, for staff handling a request for
    information (依申请公开); not counted as a public search."""
    return search(get_session(), query, size=size, log_query=False)


def suggest_titles(prefix: str, limit: int = 8) -> list[str]:
    """Titles of public documents that start like ``prefix``, for autocompletion; none for
    an empty prefix."""
    prefix = prefix.strip()
    if not prefix:
        return []
    return current_vocabulary(get_session()).suggester.complete(prefix, limit)


def warm_up() -> None:
    """Load what the first search of a process would otherwise wait for — the ORM's mapper
    configuration, the segmenter's dictionary, 繁→简 tables, the lexicon, pinyin data, the
    vocabulary snapshot, the engine's modules — in gunicorn's master before it forks the
    workers (deploy/gunicorn.conf.py), so each worker shares them and its first search
    answers at once. The open index and the read transaction are let go: open files and
    connections must not be shared between processes; each worker opens its own."""
    configure_mappers()
    app_tokenizer().load()
    normalize_text("政務公開")
    built_in_lexicon()
    pinyin_key("政务公开")
    preload_vocabulary()
    session = get_session()
    search(session, "政府信息公开", log_query=False)
    session.rollback()
    current_app.extensions.pop(SEARCH_BACKEND_KEY, None)
