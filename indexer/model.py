"""What goes into the index and what comes back: plain data, shared by every backend."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")

#: Facets offered on the search page and in the API, in display order.
FACETS: tuple[str, ...] = ("category", "type", "agency", "year", "validity")
#: The validity that ranks above superseded versions (有效).
CURRENT_VALIDITY = "有效"


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

    @property
    def year(self) -> str:
        return str(self.date.year) if self.date else ""


@dataclass(frozen=True)
class QueryTerm:
    """One word of the query and its alternatives (synonyms); a document must contain one."""

    alternatives: tuple[str, ...]


@dataclass(frozen=True)
class SearchRequest:
    """A parsed, validated query with its filters."""

    text: str  # normalised query text, for display and logging
    terms: tuple[QueryTerm, ...] = ()
    phrases: tuple[str, ...] = ()  # normalised, matched as contiguous text
    doc_number_keys: tuple[str, ...] = ()
    filters: dict[str, str] = field(default_factory=dict)
    sort: str = "relevance"  # or "date"
    page: int = 1
    size: int = 20
    #: "and" first; the service retries with "or" when nothing matched.
    operator: str = "and"

    @property
    def highlight_terms(self) -> list[str]:
        words = {alt for term in self.terms for alt in term.alternatives}
        words.update(self.phrases)
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


@dataclass(frozen=True)
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    operator: str = "and"


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
