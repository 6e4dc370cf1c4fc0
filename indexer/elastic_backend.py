"""Elasticsearch / OpenSearch backend over the REST API both share (design.md §4).

jieba words and character bigrams are computed here, in Python, and indexed into
whitespace-analysed fields beside the original text, so no server plugin is needed and the
same segmenter parses documents and queries. Indices are versioned (``{alias}-v{n}``) behind
an alias: a rebuild fills a new index and swaps the alias in one request, so searches never
see a half-built index.

elasticsearch-py 8+ sends ``compatible-with`` media types that OpenSearch-compatible servers
reject; :class:`PlainJsonTransport` sends plain ``application/json``, which Elasticsearch 8/9
and OpenSearch 2/3 all accept.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

from elastic_transport import Transport, TransportError
from elasticsearch import ApiError, Elasticsearch, NotFoundError, helpers

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
from opengov.indexer.whoosh_backend import (
    BIGRAM_TEXT_LIMIT,
    BOOSTS,
    CURRENT_SCORE,
    DOC_NUMBER_SCORE,
    TITLE_PHRASE_SCORE,
)

_COMPAT = re.compile(r"application/vnd\.elasticsearch\+([a-z-]+);\s*compatible-with=\d+")
BULK_CHUNK = 200
FACET_SIZE = 200
_WORDS = {"type": "text", "analyzer": "whitespace", "norms": True}
_KEYWORD = {"type": "keyword"}
MAPPINGS: dict[str, Any] = {
    # Unlisted fields (the original text for snippets) stay in _source, unindexed.
    "dynamic": False,
    "properties": {
        "id": _KEYWORD,
        "title_words": _WORDS, "title_bigram": _WORDS, "meta_words": _WORDS,
        "summary_words": _WORDS, "body_words": _WORDS, "body_bigram": _WORDS,
        "doc_number_key": _KEYWORD, "index_no": _KEYWORD, "kind": _KEYWORD,
        "category": _KEYWORD, "type": _KEYWORD, "agency": _KEYWORD, "year": _KEYWORD,
        "validity": _KEYWORD, "topic": _KEYWORD, "version": _KEYWORD,
        "date": {"type": "date", "format": "strict_date"},
    },
}
SETTINGS: dict[str, Any] = {"number_of_shards": 1, "number_of_replicas": 0}


class PlainJsonTransport(Transport):
    """Sends ``application/json`` instead of the client's compatibility media types."""

    def perform_request(self, method: str, target: str, *, headers: Any = None,
                        **kwargs: Any) -> Any:
        if headers:
            headers = headers.copy()
            for name in ("accept", "content-type"):
                if name in headers:
                    headers[name] = _COMPAT.sub(r"application/\1", headers[name])
        return super().perform_request(method, target, headers=headers, **kwargs)


def _words(text: str) -> str:
    return " ".join(token.text for token in get_tokenizer().tokens(text))


def _grams(text: str) -> str:
    return " ".join(bigrams(normalize_text(text)))


def to_source(document: IndexDocument) -> dict[str, Any]:
    body = "\n".join(part for part in (document.body, document.attachments_text) if part)
    meta = " ".join(part for part in (document.doc_number, document.index_no, document.issuer,
                                      document.agency_name, document.keywords,
                                      document.topic) if part)
    return {
        "id": str(document.key), "kind": document.kind,
        "title_words": _words(document.title), "title_bigram": _grams(document.title),
        "meta_words": _words(meta), "summary_words": _words(document.summary),
        "body_words": _words(body), "body_bigram": _grams(body[:BIGRAM_TEXT_LIMIT]),
        "doc_number_key": doc_number_keys(document.doc_number),
        "index_no": document.index_no, "category": document.category, "type": document.type,
        "agency": document.agency, "year": document.year, "validity": document.validity,
        "topic": document.topic, "version": document.version,
        "date": document.date.isoformat() if document.date else None,
        # Originals, for the result list and snippets.
        "title": document.title, "doc_number": document.doc_number,
        "agency_name": document.agency_name, "category_name": document.category_name,
        "text": "\n".join(part for part in (document.summary, body) if part),
    }


def _text_query(field: str, text: str, boost: float) -> dict[str, Any]:
    grams = bigrams(text)
    if len(grams) == 1:
        return {"term": {field: {"value": grams[0], "boost": boost}}}
    return {"match_phrase": {field: {"query": " ".join(grams), "boost": boost}}}


def _term_clause(alternatives: tuple[str, ...]) -> dict[str, Any]:
    should: list[dict[str, Any]] = []
    for word in alternatives:
        for field, boost in (("title_words", BOOSTS["title"]), ("meta_words", BOOSTS["meta"]),
                             ("summary_words", BOOSTS["summary"]),
                             ("body_words", BOOSTS["body"])):
            should.append({"term": {field: {"value": word, "boost": boost}}})
        if bigrams(word):
            should += [_text_query("title_bigram", word, BOOSTS["title_bigram"]),
                       _text_query("body_bigram", word, BOOSTS["body_bigram"])]
    return {"bool": {"should": should, "minimum_should_match": 1}}


def build_query(request: SearchRequest) -> dict[str, Any]:
    """The query DSL of a parsed request, scored like the Whoosh backend."""
    clauses = [_term_clause(term.alternatives) for term in request.terms]
    clauses += [{"bool": {"should": [_text_query("title_bigram", phrase, BOOSTS["title"]),
                                     _text_query("body_bigram", phrase, BOOSTS["body"])],
                          "minimum_should_match": 1}} for phrase in request.phrases]
    main: dict[str, Any] = ({"bool": {"must": clauses}} if request.operator == "and"
                            else {"bool": {"should": clauses, "minimum_should_match": 1}})
    if request.doc_number_keys:
        main = {"bool": {"should": [main, {"constant_score": {
            "filter": {"terms": {"doc_number_key": list(request.doc_number_keys)}},
            "boost": DOC_NUMBER_SCORE}}], "minimum_should_match": 1}}
    bonuses: list[dict[str, Any]] = [{"constant_score": {
        "filter": {"term": {"validity": CURRENT_VALIDITY}}, "boost": CURRENT_SCORE}}]
    whole = "".join(term.alternatives[0] for term in request.terms)
    if len(whole) >= 2 and bigrams(whole):
        bonuses.append({"constant_score": {"filter": _text_query("title_bigram", whole, 1.0),
                                           "boost": TITLE_PHRASE_SCORE}})
    filters = [{"term": {name: value}} for name, value in sorted(request.filters.items())
               if name in FACETS]
    return {"bool": {"must": [main], "should": bonuses, "filter": filters}}


class ElasticsearchBackend:
    """Documents in versioned indices ``{alias}-v{n}`` served under ``alias``."""

    name = "elasticsearch"

    def __init__(self, url: str, alias: str = "opengov", *, timeout: float = 30.0) -> None:
        self.url = url
        self.alias = alias
        self._timeout = timeout
        self._client: Elasticsearch | None = None

    @property
    def client(self) -> Elasticsearch:
        if self._client is None:  # made on first use: building the backend opens nothing
            self._client = Elasticsearch(self.url, transport_class=PlainJsonTransport,
                                         request_timeout=self._timeout, max_retries=2,
                                         retry_on_timeout=True)
        return self._client

    def _call(self, action: Callable[[], Any]) -> Any:
        try:
            return action()
        except (ApiError, TransportError, helpers.BulkIndexError) as exc:
            raise SearchUnavailableError(f"Elasticsearch（{self.url}）：{exc}") from exc

    def _live_indices(self) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=self.alias).body)
        except NotFoundError:
            return []

    def _create_versioned(self) -> str:
        name = f"{self.alias}-v{time.time_ns()}"
        self.client.indices.create(index=name, settings=SETTINGS, mappings=MAPPINGS)
        return name

    def ensure_index(self) -> None:
        """Create the index if missing; an index whose mapping lacks a field added since is
        replaced by an empty one, which the site then fills (``opengov init``)."""
        def ensure() -> None:
            live = self._live_indices()
            if live and self._mapping_current(live):
                return
            name = self._create_versioned()
            swap = [{"remove": {"index": index, "alias": self.alias}} for index in live]
            swap.append({"add": {"index": name, "alias": self.alias}})
            self.client.indices.update_aliases(actions=swap)
        self._call(ensure)

    def _mapping_current(self, indices: list[str]) -> bool:
        found = self.client.indices.get_mapping(index=indices).body
        return all(set(MAPPINGS["properties"]) <= set(
            mapping.get("mappings", {}).get("properties", {})) for mapping in found.values())

    def _bulk(self, index: str, actions: Iterable[dict[str, Any]],
              progress: Callable[[int], None] | None = None, refresh: bool = True) -> int:
        count = 0
        for ok, item in helpers.streaming_bulk(
                self.client, actions, index=index, chunk_size=BULK_CHUNK, max_retries=5,
                initial_backoff=1, raise_on_error=False, refresh=refresh):
            if not ok:
                status = next(iter(item.values())).get("status")
                if status != 404:  # deleting what is not there is fine
                    raise SearchUnavailableError(f"Elasticsearch 拒绝了批量写入：{item}")
            count += 1
            if progress is not None:
                progress(1)
        return count

    def index(self, documents: Iterable[IndexDocument]) -> int:
        actions = ({"_op_type": "index", "_id": str(doc.key), "_source": to_source(doc)}
                   for doc in documents)
        return int(self._call(lambda: self._bulk(self.alias, actions)))

    def delete(self, document_ids: Iterable[IndexKey]) -> None:
        actions = [{"_op_type": "delete", "_id": str(i)} for i in document_ids]
        if actions:
            self._call(lambda: self._bulk(self.alias, actions))

    def rebuild(self, documents: Iterable[IndexDocument],
                progress: Callable[[int], None] | None = None) -> int:
        def build() -> int:
            old = self._live_indices()
            name = self._create_versioned()
            try:
                actions = ({"_op_type": "index", "_id": str(doc.key), "_source": to_source(doc)}
                           for doc in documents)
                count = self._bulk(name, actions, progress, refresh=False)
                self.client.indices.refresh(index=name)
            except BaseException:
                self.client.indices.delete(index=name, ignore_unavailable=True)
                raise
            swap = [{"remove": {"index": index, "alias": self.alias}} for index in old]
            swap.append({"add": {"index": name, "alias": self.alias}})
            self.client.indices.update_aliases(actions=swap)
            for index in self._stale_indices(keep=name):
                self.client.indices.delete(index=index, ignore_unavailable=True)
            return count
        return int(self._call(build))

    def _stale_indices(self, keep: str) -> list[str]:
        found = self.client.indices.get(index=f"{self.alias}-v*",
                                        allow_no_indices=True).body
        return [index for index in found if index != keep]

    def drop(self) -> None:
        """Delete the alias and every versioned index (tests)."""
        for index in self.client.indices.get(index=f"{self.alias}-v*",
                                             allow_no_indices=True).body:
            self.client.indices.delete(index=index, ignore_unavailable=True)

    def purge(self) -> None:
        self._call(lambda: self.client.indices.forcemerge(index=self.alias,
                                                          only_expunge_deletes=True))

    def count(self) -> int:
        return int(self._call(lambda: self.client.count(index=self.alias)["count"]))

    def versions(self) -> dict[IndexKey, str]:
        def collect() -> dict[IndexKey, str]:
            found: dict[IndexKey, str] = {}
            after: list[Any] | None = None
            while True:
                extra: dict[str, Any] = {"search_after": after} if after else {}
                page = self.client.search(index=self.alias, query={"match_all": {}},
                                          sort=[{"id": "asc"}], size=1000,
                                          source={"includes": ["id", "version"]}, **extra)
                hits = page["hits"]["hits"]
                if not hits:
                    return found
                for hit in hits:
                    found[stored_key(hit["_source"]["id"])] = hit["_source"].get("version", "")
                after = hits[-1]["sort"]
        return dict(self._call(collect))

    def search(self, request: SearchRequest) -> SearchResult:
        if request.sort == "date":
            sort: list[Any] = [{"date": {"order": "desc", "missing": "_last"}}, "_score"]
        else:
            sort = ["_score", {"date": {"order": "desc", "missing": "_last"}}]
        aggregations = {name: {"terms": {"field": name, "size": FACET_SIZE}}
                        for name in FACETS}
        response = self._call(lambda: self.client.search(
            index=self.alias, query=build_query(request), aggregations=aggregations,
            sort=sort, from_=(request.page - 1) * request.size, size=request.size,
            track_total_hits=True,
            source={"includes": ["id", "kind", "title", "doc_number", "index_no", "agency",
                                 "agency_name", "category", "category_name", "type",
                                 "validity", "date", "text"]}))
        terms = request.highlight_terms
        hits = []
        for hit in response["hits"]["hits"]:
            source = hit["_source"]
            hits.append(Hit(
                id=parse_key(source["id"])[1], kind=parse_key(source["id"])[0],
                score=float(hit.get("_score") or 0.0),
                title=source.get("title", ""), doc_number=source.get("doc_number", ""),
                index_no=source.get("index_no", ""), agency=source.get("agency", ""),
                agency_name=source.get("agency_name", ""),
                category=source.get("category", ""),
                category_name=source.get("category_name", ""), type=source.get("type", ""),
                validity=source.get("validity", ""),
                date=dt.date.fromisoformat(source["date"]) if source.get("date") else None,
                snippet=highlight(source.get("text", ""), terms)))
        facets = {name: sorted((FacetValue(str(bucket["key"]), int(bucket["doc_count"]))
                                for bucket in response["aggregations"][name]["buckets"]
                                if bucket["key"] not in ("", None)),
                               key=lambda facet: (-facet.count, facet.value))
                  for name in FACETS}
        return SearchResult(total=int(response["hits"]["total"]["value"]),
                            hits=hits if request.sort == "date" else current_first(
                                hits, lambda hit: (hit.title, hit.validity,
                                                   hit.date.isoformat() if hit.date else "")),
                            facets=facets, operator=request.operator)


