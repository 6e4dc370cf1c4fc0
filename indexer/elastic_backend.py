"""Elasticsearch / OpenSearch backend over the REST API both share (design.md §4).

jieba words (by the project's one segmenter) and title bigrams are computed here, in Python,
and indexed into whitespace-analysed fields beside the original text, so no server plugin is
needed and the same segmenter parses documents and queries. The fields, boosts and constant
scores are those of the Whoosh backend (:mod:`.ranking`), so both rank alike.

Indices are versioned (``{alias}-v{n}``) behind an alias: a rebuild fills a new index in bulk
batches with refreshes off, waits — as long as the size of the index needs — until it is
searchable, and swaps the alias in one request, so searches never see a half-built index and
a timeout never costs the live one. Writes go to the alias only (``require_alias``): a
cluster that came back empty gets no index named like the alias by accident, and the index
worker rebuilds it (:meth:`ElasticsearchBackend.status`).

Searches wait at most ``timeout`` seconds (below the web worker's own time-out) and are not
retried on a time-out: a hung cluster makes the page say search is unavailable, quickly.

elasticsearch-py 8+ sends ``compatible-with`` media types that OpenSearch-compatible servers
reject; :class:`PlainJsonTransport` sends plain ``application/json``, which Elasticsearch 8/9
and OpenSearch 2/3 all accept.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from elastic_transport import ConnectionTimeout, Transport, TransportError
from elasticsearch import ApiError, Elasticsearch, NotFoundError, helpers

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

_COMPAT = re.compile(r"application/vnd\.elasticsearch\+([a-z-]+);\s*compatible-with=\d+")
#: Documents per bulk request, and the most bytes one may carry.
BULK_DOCUMENTS = 500
BULK_BYTES = 8 * 1024 * 1024
#: Time-outs of the index worker's calls (bulk writes, refresh, alias swap); searches use
#: the backend's own, shorter ``timeout``.
BULK_TIMEOUT = 120.0
#: A rebuild waits this long, plus a little per document, for the new index to become
#: searchable before it gives up (keeping the new index for the next rebuild to clear).
READY_BASE_SECONDS = 60.0
READY_SECONDS_PER_DOCUMENT = 0.01
FACET_SIZE = 200
_WORDS = {"type": "text", "analyzer": "whitespace", "norms": True}
_COUNTED = {"type": "text", "analyzer": "whitespace", "norms": True, "index_options": "freqs"}
_KEYWORD = {"type": "keyword"}
MAPPINGS: dict[str, Any] = {
    # Unlisted fields (the original text for snippets) stay in _source, unindexed.
    "dynamic": False,
    "properties": {
        "id": _KEYWORD,
        "title_words": _WORDS, "title_bigram": _WORDS, "meta_words": _COUNTED,
        "body_words": _COUNTED, "exact_title": _KEYWORD,
        "number_key": _KEYWORD, "index_no": _KEYWORD, "kind": _KEYWORD,
        "category": _KEYWORD, "type": _KEYWORD, "agency": _KEYWORD, "year": _KEYWORD,
        "validity": _KEYWORD, "topic": _KEYWORD, "version": _KEYWORD,
        "date": {"type": "date", "format": "strict_date"},
    },
}
SETTINGS: dict[str, Any] = {"number_of_shards": 1, "number_of_replicas": 0}
_SOURCE_FIELDS = ["id", "title", "doc_number", "index_no", "agency", "agency_name", "category",
                  "category_name", "type", "validity", "date", "text"]


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


def to_source(document: IndexDocument) -> dict[str, Any]:
    tokenizer = get_tokenizer()
    texts = field_texts(document)
    return {
        "id": str(document.key), "kind": document.kind,
        "title_words": " ".join(word for word, _position
                                in tokenizer.positioned_words(document.title)),
        "title_bigram": " ".join(bigrams(normalize_text(document.title))),
        "meta_words": " ".join(tokenizer.index_words(texts.meta)),
        "body_words": " ".join(tokenizer.index_words(texts.body)),
        "exact_title": core_title(document.title),
        "number_key": doc_number_keys(document.doc_number),
        "index_no": document.index_no, "category": document.category, "type": document.type,
        "agency": document.agency, "year": document.year, "validity": document.validity,
        "topic": document.topic, "version": document.version,
        "date": document.date.isoformat() if document.date else None,
        # Originals, for the result list and snippets.
        "title": document.title, "doc_number": document.doc_number,
        "agency_name": document.agency_name, "category_name": document.category_name,
        "text": texts.snippet_source,
    }


# --- queries: the Whoosh backend's, in the query DSL ---------------------------------------

def _title_phrase(text: str, boost: float) -> dict[str, Any] | None:
    grams = bigrams(text)
    if not grams:
        return None
    if len(grams) == 1:
        return {"term": {"title_bigram": {"value": grams[0], "boost": boost}}}
    return {"match_phrase": {"title_bigram": {"query": " ".join(grams), "boost": boost}}}


def _any(clauses: list[dict[str, Any]]) -> dict[str, Any]:
    return clauses[0] if len(clauses) == 1 else {
        "bool": {"should": clauses, "minimum_should_match": 1}}


def _all(clauses: list[dict[str, Any]]) -> dict[str, Any]:
    return clauses[0] if len(clauses) == 1 else {"bool": {"must": clauses}}


def _word_clause(word: str) -> dict[str, Any]:
    clauses: list[dict[str, Any]] = [
        {"term": {field: {"value": word, "boost": BOOSTS[name]}}}
        for field, name in (("title_words", "title"), ("meta_words", "meta"),
                            ("body_words", "body"))]
    phrase = _title_phrase(word, BOOSTS["title_bigram"])
    if phrase is not None and len(bigrams(word)) > 1:
        clauses.append(phrase)
    return _any(clauses)


def _term_clause(term: QueryTerm) -> dict[str, Any]:
    alternatives: list[dict[str, Any]] = []
    for form, surface in zip(term.word_forms, term.alternatives, strict=True):
        if len(form) == 1:
            alternatives.append(_word_clause(form[0]))
            continue
        phrase = _title_phrase(surface, BOOSTS["title"])
        if form:
            together = _all([_word_clause(word) for word in form])
            alternatives.append(_any([together, phrase]) if phrase is not None else together)
        elif phrase is not None:
            alternatives.append(phrase)
    return _any(alternatives) if alternatives else {"match_none": {}}


def _phrase_clause(phrase: str) -> dict[str, Any]:
    clauses: list[dict[str, Any]] = []
    title = _title_phrase(phrase, BOOSTS["title"])
    if title is not None:
        clauses.append(title)
    words = get_tokenizer().words(phrase)
    if words:
        clauses.append(_all([_word_clause(word) for word in words]))
    return _any(clauses)


def _year_clause(year: str) -> dict[str, Any]:
    return _any([{"term": {"year": year}}, {"term": {"title_words": year}}])


def matching_query(request: SearchRequest) -> dict[str, Any]:
    """What a document must match (as :func:`.whoosh_backend.matching_query`)."""
    clauses = [_term_clause(term) for term in request.terms]
    clauses += [_phrase_clause(phrase) for phrase in request.phrases]
    parts: list[dict[str, Any]] = []
    if clauses:
        parts.append(_all(clauses))
    parts += [{"constant_score": {"filter": {"term": {"number_key": key}},
                                  "boost": NUMBER_SCORES[strength]}}
              for key, strength in request.number_keys]
    if not parts and request.year:
        parts.append(_year_clause(request.year))
    return _any(parts) if parts else {"match_none": {}}


def build_query(request: SearchRequest) -> dict[str, Any]:
    """The scored query: matching, bonuses, filters, and texts no longer in force scaled by
    :data:`NOT_CURRENT_FACTOR` (as :func:`.whoosh_backend.build_query` and its ranking)."""
    bonuses: list[dict[str, Any]] = []
    exact, contained = title_candidates(request)
    if exact:
        bonuses.append({"constant_score": {"filter": {"terms": {"exact_title": exact}},
                                           "boost": EXACT_TITLE_SCORE}})
    phrases = [phrase for phrase in (_title_phrase(text, 1.0) for text in contained)
               if phrase is not None]
    if phrases:
        bonuses.append({"constant_score": {"filter": _any(phrases),
                                           "boost": TITLE_PHRASE_SCORE}})
    if request.year and (request.terms or request.phrases or request.number_keys):
        bonuses.append({"constant_score": {"filter": _year_clause(request.year),
                                           "boost": YEAR_SCORE}})
    filters = [{"term": {name: value}} for name, value in sorted(request.filters.items())
               if name in FACETS]
    scored = {"bool": {"must": [matching_query(request)], "should": bonuses,
                       "filter": filters}}
    return {"function_score": {
        "query": scored,
        "functions": [{"filter": {"bool": {"must_not": {"term": {"validity": CURRENT_VALIDITY}}}},
                       "weight": NOT_CURRENT_FACTOR}],
        "score_mode": "multiply", "boost_mode": "multiply"}}


class ElasticsearchBackend:
    """Documents in versioned indices ``{alias}-v{n}`` served under ``alias``."""

    name = "elasticsearch"

    def __init__(self, url: str, alias: str = "opengov", *, timeout: float = 5.0) -> None:
        self.url = url
        self.alias = alias
        self.timeout = timeout
        self._client: Elasticsearch | None = None

    @property
    def client(self) -> Elasticsearch:
        if self._client is None:  # made on first use: building the backend opens nothing
            self._client = Elasticsearch(self.url, transport_class=PlainJsonTransport,
                                         request_timeout=self.timeout, max_retries=1,
                                         retry_on_timeout=False)
        return self._client

    @property
    def _worker_client(self) -> Elasticsearch:
        """The client of the index worker's calls: longer time-outs, retried."""
        return self.client.options(request_timeout=BULK_TIMEOUT, max_retries=3,
                                   retry_on_timeout=True)

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

    def _versioned(self) -> list[str]:
        return sorted(self.client.indices.get(index=f"{self.alias}-v*",
                                              allow_no_indices=True).body)

    def _create_versioned(self, *, loading: bool = False) -> str:
        name = f"{self.alias}-v{time.time_ns()}"
        settings = dict(SETTINGS)
        if loading:  # no refresh while a rebuild loads: it is made searchable once, at the end
            settings["refresh_interval"] = "-1"
        self._worker_client.indices.create(index=name, settings=settings, mappings=MAPPINGS)
        return name

    def ensure_index(self) -> None:
        """Create the index if missing; an index whose mapping lacks a field added since is
        replaced by an empty one, which the site then fills (``opengov init``)."""
        def ensure() -> None:
            live = self._live_indices()
            if live and self._mapping_current(live):
                return
            self._swap_alias_to(self._create_versioned())
            for index in live:  # written before a field was added: the site fills the new one
                self._drop_quietly(index)
        self._call(ensure)

    def _mapping_current(self, indices: list[str]) -> bool:
        found = self.client.indices.get_mapping(index=indices).body
        return all(set(MAPPINGS["properties"]) <= set(
            mapping.get("mappings", {}).get("properties", {})) for mapping in found.values())

    def status(self) -> IndexStatus:
        def read() -> IndexStatus:
            live = self._live_indices()
            if not live:
                return IndexStatus(exists=False, documents=0)
            return IndexStatus(exists=True,
                               documents=int(self.client.count(index=self.alias)["count"]))
        status: IndexStatus = self._call(read)
        return status

    def _actions(self, documents: Iterable[IndexDocument]) -> Iterator[dict[str, Any]]:
        for document in documents:
            yield {"_op_type": "index", "_id": str(document.key), "_source": to_source(document)}

    def _bulk(self, index: str, actions: Iterable[dict[str, Any]],
              progress: Callable[[int], None] | None = None, *, refresh: bool = True,
              require_alias: bool = True) -> int:
        count = 0
        extra: dict[str, Any] = {"require_alias": True} if require_alias else {}
        for ok, item in helpers.streaming_bulk(
                self._worker_client, actions, index=index, chunk_size=BULK_DOCUMENTS,
                max_chunk_bytes=BULK_BYTES, max_retries=5, initial_backoff=1,
                raise_on_error=False, refresh=refresh, **extra):
            if not ok:
                result = next(iter(item.values()))
                error = result.get("error") or {}
                kind = error.get("type", "") if isinstance(error, dict) else ""
                # Deleting what is not there is fine; an index that is not there is not.
                if result.get("status") != 404 or kind == "index_not_found_exception":
                    raise SearchUnavailableError(f"Elasticsearch 拒绝了批量写入：{item}")
            count += 1
            if progress is not None:
                progress(1)
        return count

    def index(self, documents: Iterable[IndexDocument]) -> int:
        return int(self._call(lambda: self._bulk(self.alias, self._actions(documents))))

    def delete(self, document_ids: Iterable[IndexKey]) -> None:
        actions = [{"_op_type": "delete", "_id": str(i)} for i in document_ids]
        if actions:
            self._call(lambda: self._bulk(self.alias, actions))

    def rebuild(self, documents: Iterable[IndexDocument],
                progress: Callable[[int], None] | None = None) -> int:
        def build() -> int:
            self.remove_orphans()  # left by a rebuild that was interrupted
            name = self._create_versioned(loading=True)
            try:
                count = self._bulk(name, self._actions(documents), progress, refresh=False,
                                   require_alias=False)
                self._worker_client.indices.put_settings(
                    index=name, settings={"index": {"refresh_interval": "1s"}})
                self._wait_until_searchable(name, count)
            except BaseException:
                # The live index is untouched; the new one goes (or, when this process is
                # killed, the next rebuild clears it: orphans()).
                self._drop_quietly(name)
                raise
            self._swap_alias_to(name)
            self.remove_orphans()
            return count
        return int(self._call(build))

    def _wait_until_searchable(self, name: str, count: int) -> None:
        """Refresh the new index, waiting as long as its size needs: a refresh that times
        out is still running on the cluster, so the count is polled until it is complete."""
        deadline = time.monotonic() + READY_BASE_SECONDS + READY_SECONDS_PER_DOCUMENT * count
        client = self._worker_client
        with contextlib.suppress(ConnectionTimeout):
            client.options(request_timeout=max(BULK_TIMEOUT, deadline - time.monotonic())
                           ).indices.refresh(index=name)
        while True:
            if int(client.count(index=name)["count"]) >= count:
                return
            if time.monotonic() > deadline:
                raise SearchUnavailableError(
                    f"新索引 {name} 在限定时间内未能完成刷新，原索引继续提供服务，请稍后重试重建")
            time.sleep(1.0)

    def _swap_alias_to(self, name: str) -> None:
        swap: list[dict[str, Any]] = [{"remove": {"index": index, "alias": self.alias}}
                                      for index in self._live_indices()]
        client = self._worker_client
        if client.indices.exists(index=self.alias) and not self._live_indices():
            # An index named like the alias (made by writes to a cluster that had lost the
            # alias, before writes required it) would block the alias: it goes in the same
            # request that puts the alias on the new index.
            swap.append({"remove_index": {"index": self.alias}})
        swap.append({"add": {"index": name, "alias": self.alias}})
        client.indices.update_aliases(actions=swap)

    def _drop_quietly(self, name: str) -> None:
        with contextlib.suppress(ApiError, TransportError):
            self._worker_client.indices.delete(index=name, ignore_unavailable=True)

    def orphans(self) -> list[str]:
        """Versioned indices the alias does not serve (left by an interrupted rebuild)."""
        def find() -> list[str]:
            live = set(self._live_indices())
            return [index for index in self._versioned() if index not in live]
        return list(self._call(find))

    def remove_orphans(self) -> list[str]:
        """Delete :meth:`orphans`; returns their names."""
        removed = self.orphans()
        for index in removed:
            self._drop_quietly(index)
        return removed

    def drop(self) -> None:
        """Delete the alias and every versioned index (tests)."""
        for index in self._versioned():
            self._drop_quietly(index)

    def purge(self) -> None:
        self._call(lambda: self._worker_client.indices.forcemerge(
            index=self.alias, only_expunge_deletes=True))

    def count(self) -> int:
        return int(self._call(lambda: self.client.count(index=self.alias)["count"]))

    def versions(self) -> dict[IndexKey, str]:
        def collect() -> dict[IndexKey, str]:
            found: dict[IndexKey, str] = {}
            after: list[Any] | None = None
            while True:
                extra: dict[str, Any] = {"search_after": after} if after else {}
                page = self._worker_client.search(
                    index=self.alias, query={"match_all": {}}, sort=[{"id": "asc"}], size=1000,
                    source={"includes": ["id", "version"]}, **extra)
                hits = page["hits"]["hits"]
                if not hits:
                    return found
                for hit in hits:
                    found[stored_key(hit["_source"]["id"])] = hit["_source"].get("version", "")
                after = hits[-1]["sort"]
        return dict(self._call(collect))

    def term_counts(self, request: SearchRequest) -> tuple[int, list[int]]:
        """How many documents the index holds, and how many match each term."""
        if not request.terms:
            return self.count(), []
        aggregations = {"terms": {"filters": {"filters": {
            str(number): _term_clause(term) for number, term in enumerate(request.terms)}}}}
        response = self._call(lambda: self.client.search(
            index=self.alias, size=0, track_total_hits=True, query={"match_all": {}},
            aggregations=aggregations))
        buckets = response["aggregations"]["terms"]["buckets"]
        return (int(response["hits"]["total"]["value"]),
                [int(buckets[str(number)]["doc_count"]) for number in range(len(request.terms))])

    def search(self, request: SearchRequest) -> SearchResult:
        if request.sort == "date":
            sort: list[Any] = [{"date": {"order": "desc", "missing": "_last"}}, "_score"]
        else:
            sort = ["_score", {"date": {"order": "desc", "missing": "_last"}}]
        extra: dict[str, Any] = {}
        if request.facets:
            extra["aggregations"] = {name: {"terms": {"field": name, "size": FACET_SIZE}}
                                     for name in FACETS}
        response = self._call(lambda: self.client.search(
            index=self.alias, query=build_query(request), sort=sort,
            from_=(request.page - 1) * request.size, size=request.size,
            track_total_hits=True, source={"includes": _SOURCE_FIELDS}, **extra))
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
                  if request.facets else [] for name in FACETS}
        return SearchResult(total=int(response["hits"]["total"]["value"]),
                            hits=hits if request.sort == "date" else current_first(
                                hits, lambda hit: (hit.title, hit.validity,
                                                   hit.date.isoformat() if hit.date else "")),
                            facets=facets)
