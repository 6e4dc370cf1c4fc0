"""Records of other kinds beside documents (issue 14), on every backend: keys that do not
collide with documents' ids, the kind as a stored field and a facet, deletion by key."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, TEXT, Schema

from opengov.indexer.backend import SearchBackend
from opengov.indexer.model import (
    DOCUMENT_KIND,
    IndexDocument,
    index_key,
    parse_key,
    stored_key,
)
from opengov.indexer.query import parse_query
from opengov.indexer.tokenizer import get_tokenizer
from opengov.indexer.whoosh_backend import POINTER, WhooshBackend

RECORDS = [
    IndexDocument(1, "婚姻登记条例", body="内地居民结婚，男女双方应当共同到婚姻登记机关办理结婚登记。",
                  date=dt.date(2003, 8, 8), agency="gov", version="d1"),
    IndexDocument(1, "内地居民结婚登记", kind="service_item", body="申请材料：本人的居民身份证。",
                  keywords="领证、结婚证", agency="mzj", type="行政确认", version="s1"),
    IndexDocument(1, "内地居民婚姻登记", kind="power", body="责任事项：受理、审查、决定。",
                  agency="mzj", type="行政确认", version="p1"),
]


def test_keys_of_records_never_collide_with_documents() -> None:
    assert index_key(DOCUMENT_KIND, 7) == 7
    assert index_key("service_item", 7) == "service_item:7"
    assert parse_key("7") == ("document", 7)
    assert parse_key("service_item:7") == ("service_item", 7)
    assert (stored_key("7"), stored_key("power:7")) == (7, "power:7")
    assert [record.key for record in RECORDS] == [1, "service_item:1", "power:1"]


def test_records_of_every_kind_side_by_side(backend: SearchBackend) -> None:
    assert backend.index(RECORDS) == 3
    assert backend.versions() == {1: "d1", "service_item:1": "s1", "power:1": "p1"}
    request = parse_query("结婚登记", get_tokenizer())
    result = backend.search(request)
    assert {(hit.kind, hit.id) for hit in result.hits} == {("document", 1), ("service_item", 1)}
    assert {facet.value: facet.count for facet in result.facets["kind"]} == {
        "document": 1, "service_item": 1}
    only_items = backend.search(parse_query("结婚登记", get_tokenizer(),
                                            filters={"kind": "service_item"}))
    assert [(hit.kind, hit.title) for hit in only_items.hits] == [("service_item", "内地居民结婚登记")]
    backend.delete(["service_item:1"])
    assert set(backend.versions()) == {1, "power:1"}
    backend.delete([1])
    assert set(backend.versions()) == {"power:1"}


def test_an_index_written_before_kinds_is_replaced_by_an_empty_one(tmp_path: Path) -> None:
    directory = tmp_path / "whoosh"
    old = directory / "v1"
    old.mkdir(parents=True)
    whoosh_index.create_in(str(old), Schema(id=ID(stored=True, unique=True), title=TEXT(stored=True)))
    (directory / POINTER).write_text("v1", encoding="ascii")
    backend = WhooshBackend(directory)
    backend.ensure_index()
    assert (directory / POINTER).read_text(encoding="ascii") != "v1"
    assert backend.count() == 0
    assert backend.index(RECORDS) == 3  # the current schema takes every field
    live = (directory / POINTER).read_text(encoding="ascii")
    backend.ensure_index()  # current: left alone
    assert (directory / POINTER).read_text(encoding="ascii") == live
