"""What goes into the index and what comes back: plain data, shared by every backend."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")

#: Facets offered on the search page and in the API, in display order. ``kind`` (类型) tells
#: catalog documents from the records other features index (service items, powers …).
FACETS: tuple[str, ...] = ("kind", "category", "type", "agency", "year", "validity")
#: The validity that ranks above superseded versions (有效).
CURRENT_VALIDITY = "有效"
#: A text that is no longer in force (失效, 已废止, 已修改 …) scores this share of what it
#: would score in force: for a short query the current text of a family comes first, the
#: expired ones stay findable (and marked) below it (issue 18 item 3).
NOT_CURRENT_FACTOR = 0.4

# --- kinds of records (issue 14) ------------------------------------------------------------
#: The kind of the site's catalog documents. A record's key in the index is its id for a
#: document (as it always was) and ``"kind:id"`` for a record of another kind.
DOCUMENT_KIND = "document"
#: How the index names a record: a document's id, or ``"kind:id"``.
IndexKey = int | str


def index_key(kind: str, record_id: int) -> IndexKey:
    """The key of record ``record_id`` of ``kind`` in the index."""
    return record_id if kind == DOCUMENT_KIND else f"{kind}:{record_id}"


def parse_key(raw: str) -> tuple[str, int]:
    """``(kind, id)`` of a key as the index stores it (text)."""
    kind, sep, number = raw.rpartition(":")
    return (kind, int(number)) if sep else (DOCUMENT_KIND, int(raw))


def stored_key(raw: str) -> IndexKey:
    """A key read back from the index in the form :func:`index_key` gives it."""
    kind, record_id = parse_key(raw)
    return index_key(kind, record_id)


@dataclass(frozen=True)
class IndexDocument:
    """A published document as the index sees it (only published content is indexed)."""

    id: int
    title: str
    body: str = ""
    summary: str = ""
    doc_number: str = ""
    index_no: str = ""
    agency: str = ""  # code, a facet
    agency_name: str = ""
    issuer: str = ""  # 发文机关 as written
    category: str = ""  # slug, a facet
    category_name: str = ""
    type: str = ""  # 体裁 / 公文种类, a facet
    topic: str = ""  # 主题分类
    keywords: str = ""
    validity: str = CURRENT_VALIDITY
    date: dt.date | None = None  # 发布日期
    attachments_text: str = ""
    #: A fingerprint of the indexed content, compared by `opengov index check`.
    version: str = ""
    #: What the record is: a catalog document, or a record of another feature (a facet).
    kind: str = DOCUMENT_KIND

    @property
    def year(self) -> str:
        return str(self.date.year) if self.date else ""

    @property
    def key(self) -> IndexKey:
        return index_key(self.kind, self.id)


@dataclass(frozen=True)
class QueryTerm:
    """One unit of meaning of the query: what was typed and what it may also be written as
    (synonyms, the full name of an abbreviation); a document must contain one of them.

    ``forms`` are the same alternatives, one for one, as words of the segmenter: an
    alternative of several words (征收 + 补偿) matches a document that has them all, one
    without words (an abbreviation the segmenter cuts up) only a title that has it whole."""

    alternatives: tuple[str, ...]
    forms: tuple[tuple[str, ...], ...] = ()

    @property
    def word_forms(self) -> tuple[tuple[str, ...], ...]:
        return self.forms or tuple((alternative,) for alternative in self.alternatives)


@dataclass(frozen=True)
class SearchRequest:
    """A parsed, validated query with its filters."""

    text: str  # normalised query text, for display and logging
    terms: tuple[QueryTerm, ...] = ()
    phrases: tuple[str, ...] = ()  # normalised, matched as contiguous text in titles
    #: Document-number keys with their strength (see :mod:`.normalize`): a document carrying
    #: one is a match whatever its words.
    number_keys: tuple[tuple[str, str], ...] = ()
    #: A year the query names (2020年政府工作报告): documents of that year, or with it in
    #: the title, rank first; the year need not appear in the text.
    year: str = ""
    filters: dict[str, str] = field(default_factory=dict)
    sort: str = "relevance"  # or "date"
    page: int = 1
    size: int = 20
    #: Facet counts are wanted (the page shows them); probes of the service do without.
    facets: bool = True

    @property
    def doc_number_keys(self) -> tuple[str, ...]:
        return tuple(key for key, _strength in self.number_keys)

    @property
    def highlight_terms(self) -> list[str]:
        words = {alt for term in self.terms for alt in term.alternatives}
        words.update(word for term in self.terms for form in term.word_forms for word in form
                     if len(word) > 1)
        words.update(self.phrases)
        if self.year:
            words.add(self.year)
        return sorted(words, key=len, reverse=True)


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int


@dataclass(frozen=True)
class Hit:
    id: int
    score: float
    title: str
    doc_number: str
    index_no: str
    agency: str
    agency_name: str
    category: str
    category_name: str
    type: str
    validity: str
    date: dt.date | None
    snippet: str  # HTML: escaped original text with <mark> around matches
    kind: str = DOCUMENT_KIND  # ``id`` is the id of a record of this kind


@dataclass(frozen=True)
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]


def current_first(items: list[T], describe: Callable[[T], tuple[str, str, str]]) -> list[T]:
    """Among results with the same title, current (有效) versions take the places of the
    superseded ones, newest first; every other result keeps its place. ``describe`` gives
    ``(title, validity, ISO date)`` of a result."""
    groups: dict[str, list[int]] = {}
    for position, item in enumerate(items):
        groups.setdefault(describe(item)[0], []).append(position)
    ordered = list(items)
    for positions in groups.values():
        if len(positions) < 2:
            continue
        members = sorted((items[p] for p in positions), reverse=True,
                         key=lambda item: (describe(item)[1] == CURRENT_VALIDITY,
                                           describe(item)[2]))
        for position, item in zip(positions, members, strict=True):
            ordered[position] = item
    return ordered
