"""Searching for citizens: parse, expand synonyms, search, fall back, suggest, count.

AND first; when nothing matches, a correction of a typo or of pinyin input is tried
(“您是不是要找”), then OR. When the engine is down the search says so and falls back to a
plain title match in the database, so the page still helps.

A search only reads: the index is brought up to date by the index worker, and the search is
counted for 热门搜索 in a spool file, not in the database (:mod:`.statistics`).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace
from html import escape
from typing import Any

from flask import current_app, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from opengov.indexer.backend import SearchUnavailableError
from opengov.indexer.highlight import mark_title
from opengov.indexer.model import DOCUMENT_KIND, Hit, SearchRequest, SearchResult
from opengov.indexer.model import FACETS as FACETS
from opengov.indexer.query import QueryError, parse_query
from opengov.indexer.suggest import Suggester
from opengov.site.agencies.models import Agency
from opengov.site.catalog.models import Category, Document
from opengov.site.catalog.service.public import public_clause
from opengov.site.db import get_session
from opengov.site.search.service import sources
from opengov.site.search.service.index import EXTENSION_KEY as SEARCH_BACKEND_KEY
from opengov.site.search.service.index import app_tokenizer, failing_entries, get_backend
from opengov.site.search.service.statistics import popular_queries, record_query
from opengov.site.search.service.synonyms import synonym_map

log = logging.getLogger(__name__)

SUGGESTER_KEY = "opengov.search.suggester"
FACET_LABELS = {"kind": "类型", "category": "栏目", "type": "体裁", "agency": "发布机构",
                "year": "年份", "validity": "有效性"}
DEGRADED_DOWN = "搜索服务暂时不可用，以下是按标题查找的结果，请稍后再试完整检索。"
DEGRADED_BEHIND = "部分最新发布或修改的信息可能尚未出现在搜索结果中。"


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchOutcome:
    query: str
    page: int = 1
    size: int = 20
    sort: str = "relevance"
    filters: dict[str, str] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    facets: dict[str, list[FacetOption]] = field(default_factory=dict)
    error: str | None = None  # the query cannot be searched: shown beside the field
    degraded: str | None = None
    unavailable: bool = False  # the engine is down: results come from a title match
    suggestion: str | None = None  # 您是不是要找
    searched_for: str | None = None  # the suggestion was searched instead of the query
    relaxed: bool = False  # no document had every word: any word matched
    took_ms: int = 0
    terms: list[str] = field(default_factory=list)  # normalised words to mark in titles

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


def get_suggester(session: Session) -> Suggester:
    """Title vocabulary of the public documents, rebuilt when they change."""
    key = tuple(session.execute(select(func.count(Document.id), func.max(Document.updated_at))
                                .where(public_clause())).one())
    cached: tuple[Any, Suggester] | None = current_app.extensions.get(SUGGESTER_KEY)
    if cached is None or cached[0] != key:
        rows = session.execute(select(Document.title, Document.doc_number, Document.issuer)
                               .where(public_clause())).all()
        other = {text for _title, number, issuer in rows for text in (number, issuer) if text}
        cached = (key, Suggester([row[0] for row in rows], app_tokenizer(), sorted(other)))
        current_app.extensions[SUGGESTER_KEY] = cached
    return cached[1]


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
    synonyms = synonym_map(session)
    tokenizer = app_tokenizer()
    try:
        request = parse_query(raw, tokenizer, filters=filters, sort=sort, page=page, size=size,
                              synonyms=synonyms)
    except QueryError as exc:
        outcome.error = exc.message
        return outcome
    outcome.page, outcome.size, outcome.sort = request.page, request.size, request.sort
    outcome.filters = dict(request.filters)
    backend = get_backend()
    try:
        result = backend.search(request)
        suggestion = get_suggester(session).suggest(raw)
        corrected: SearchRequest | None = None
        if suggestion:
            outcome.suggestion = suggestion
            corrected = parse_query(suggestion, tokenizer, filters=filters, sort=sort,
                                    page=page, size=size, synonyms=synonyms)
            better = backend.search(corrected)
            # Every word of the correction matches more documents than the query as typed.
            if better.total > result.total:
                result, outcome.searched_for = better, suggestion
        if result.total == 0:
            result = backend.search(replace(request, operator="or"))
        if result.total == 0 and corrected is not None:
            result, outcome.searched_for = (backend.search(replace(corrected, operator="or")),
                                            suggestion)
        outcome.relaxed = result.operator == "or"
        outcome.terms = (corrected if outcome.searched_for and corrected else
                         request).highlight_terms
        outcome.hits, outcome.total = result.hits, result.total
        outcome.facets = _facet_options(session, result, request.filters)
        if failing_entries(session):
            outcome.degraded = DEGRADED_BEHIND
    except SearchUnavailableError as exc:
        log.warning("search unavailable: %s", exc)
        outcome.degraded = DEGRADED_DOWN
        outcome.unavailable = True
        outcome.hits, outcome.total = _title_fallback(session, request)
        outcome.terms = request.highlight_terms
    if log_query and request.page == 1 and not request.filters:
        record_query(request.text, found=outcome.total > 0)
    outcome.took_ms = round((time.perf_counter() - started) * 1000)
    return outcome


def _facet_options(session: Session, result: SearchResult,
                   selected: dict[str, str]) -> dict[str, list[FacetOption]]:
    labels: dict[str, dict[str, str]] = {
        "category": dict(session.execute(select(Category.slug, Category.name)).all()),
        "agency": dict(session.execute(select(Agency.code, Agency.name)).all()),
        "kind": {value.value: sources.label_of(value.value)
                 for value in result.facets.get("kind", [])},
    }
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
    return get_suggester(get_session()).complete(prefix, limit) if prefix else []


def warm_up() -> None:
    """Load what the first search needs — jieba's dictionary, the title suggester, the
    engine's modules — in this process: gunicorn's master before it forks the workers
    (deploy/gunicorn.conf.py), so each worker shares them instead of loading its own and the
    first search answers at once. The open index is then let go: open files must not be
    shared between processes, and each worker opens its own on its first search."""
    session = get_session()
    search(session, "政府信息公开", log_query=False)
    session.rollback()  # no read transaction (or connection) carried into the workers
    current_app.extensions.pop(SEARCH_BACKEND_KEY, None)
