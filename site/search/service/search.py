"""Searching for citizens: parse, expand synonyms, search, fall back, suggest, count.

AND first; when nothing matches, a correction of a typo or of pinyin input is tried
(“您是不是要找”), then OR. When the engine is down the search says so and falls back to a
plain title match in the database, so the page still helps.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from dataclasses import dataclass, field, replace
from html import escape
from typing import Any, cast

from flask import current_app, url_for
from sqlalchemy import Table, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, selectinload

from opengov.indexer.backend import SearchBackend, SearchUnavailableError
from opengov.indexer.model import FACETS, Hit, SearchRequest, SearchResult
from opengov.indexer.normalize import normalize_query
from opengov.indexer.query import QueryError, parse_query
from opengov.indexer.suggest import Suggester
from opengov.site.agencies.models import Agency
from opengov.site.catalog.models import Category, Document
from opengov.site.catalog.service.public import public_clause
from opengov.site.search.models import QueryStat, Synonym
from opengov.site.search.service.index import (
    app_tokenizer,
    failing_entries,
    get_backend,
    process_outbox,
)

log = logging.getLogger(__name__)

SUGGESTER_KEY = "opengov.search.suggester"
FACET_LABELS = {"category": "栏目", "type": "体裁", "agency": "发布机构", "year": "年份",
                "validity": "有效性"}
DEGRADED_DOWN = "搜索服务暂时不可用，以下是按标题查找的结果，请稍后再试完整检索。"
DEGRADED_BEHIND = "部分最新发布或修改的信息可能尚未出现在搜索结果中。"

#: Synonyms every site starts with; staff add more with `opengov synonyms add`.
SEED_SYNONYMS: tuple[tuple[str, str], ...] = (
    ("公车", "公务用车"), ("公务车", "公务用车"), ("三公", "三公经费"),
    ("信息公开", "政府信息公开"), ("依申请", "依申请公开"), ("年报", "年度报告"),
    ("预决算", "预算"), ("预决算", "决算"), ("低保", "最低生活保障"), ("社保", "社会保障"),
    ("医保", "医疗保险"), ("公积金", "住房公积金"), ("拆迁", "征收"), ("征地", "土地征收"),
    ("户口", "户籍"), ("营业执照", "登记"), ("网约车", "网络预约出租汽车"),
)


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


def synonym_map(session: Session) -> dict[str, list[str]]:
    mapping: dict[str, list[str]] = {}
    for term, synonym in session.execute(select(Synonym.term, Synonym.synonym)
                                         .order_by(Synonym.id)):
        mapping.setdefault(term, []).append(synonym)
    return mapping


def add_synonym(session: Session, term: str, synonym: str) -> bool:
    """Record ``term`` → ``synonym`` (normalised); False when it exists already."""
    term, synonym = normalize_query(term).strip(), normalize_query(synonym).strip()
    if not term or not synonym or term == synonym:
        raise ValueError("同义词的两边都要填写，且不能相同。")
    exists = session.scalar(select(Synonym.id).where(Synonym.term == term,
                                                     Synonym.synonym == synonym))
    if exists is not None:
        return False
    session.add(Synonym(term=term, synonym=synonym))
    session.flush()
    return True


def list_synonyms(session: Session) -> list[Synonym]:
    return list(session.scalars(select(Synonym).order_by(Synonym.term, Synonym.id)))


def remove_synonym(session: Session, synonym_id: int) -> bool:
    synonym = session.get(Synonym, synonym_id)
    if synonym is None:
        return False
    session.delete(synonym)
    session.flush()
    return True


def seed_synonyms(session: Session) -> int:
    return sum(add_synonym(session, term, synonym) for term, synonym in SEED_SYNONYMS)


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


def search(session: Session, raw: str, *, filters: dict[str, str] | None = None,
           sort: str = "relevance", page: int = 1, size: int | None = None,
           log_query: bool = True) -> SearchOutcome:
    """Everything the search page and the API show for one query."""
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
    _drain_inline(session, backend)
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
        record_query(session, request.text, found=outcome.total > 0)
    outcome.took_ms = round((time.perf_counter() - started) * 1000)
    return outcome


def _drain_inline(session: Session, backend: SearchBackend) -> None:
    limit = current_app.config["SEARCH_INLINE_OUTBOX"]
    if limit <= 0:
        return
    try:
        process_outbox(session, backend, limit=limit, batch=limit)
    except Exception:  # never let index upkeep break a search
        log.exception("inline outbox processing failed")
        session.rollback()


def _facet_options(session: Session, result: SearchResult,
                   selected: dict[str, str]) -> dict[str, list[FacetOption]]:
    labels: dict[str, dict[str, str]] = {
        "category": dict(session.execute(select(Category.slug, Category.name)).all()),
        "agency": dict(session.execute(select(Agency.code, Agency.name)).all()),
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


#: Queries that may carry personal data (ID, phone or account numbers, e-mail addresses)
#: are never counted, so popular searches cannot leak them.
_PERSONAL = re.compile(r"\d{6,}|[0-9xX]{15,18}|@|\d{3,4}-\d{7,8}")


def record_query(session: Session, text: str, *, found: bool,
                 today: dt.date | None = None) -> None:
    """Count a search of ``text`` for today; nothing about who searched is kept."""
    text = text.strip()[:200]
    if not text or _PERSONAL.search(text):
        return
    day = today or dt.date.today()
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    table = cast(Table, QueryStat.__table__)
    statement = insert(table).values(query=text, day=day, count=1, found=int(found))
    session.execute(statement.on_conflict_do_update(
        index_elements=[table.c.query, table.c.day],
        set_={"count": table.c.count + 1, "found": table.c.found + int(found)}))
    session.commit()


def popular_queries(session: Session, *, days: int = 30, limit: int = 10,
                    today: dt.date | None = None) -> list[str]:
    """The most searched queries of the last ``days`` that found something."""
    since = (today or dt.date.today()) - dt.timedelta(days=days)
    total = func.sum(QueryStat.count)
    rows = session.execute(
        select(QueryStat.query, total).where(QueryStat.day > since)
        .group_by(QueryStat.query).having(func.sum(QueryStat.found) > 0)
        .order_by(total.desc(), QueryStat.query).limit(limit)).all()
    return [query for query, _count in rows]


def autocomplete(session: Session, prefix: str, limit: int = 8) -> list[str]:
    return get_suggester(session).complete(prefix, limit)
