from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from opengov.indexer.backend import IndexStatus
from opengov.indexer.model import FacetValue, IndexDocument
from opengov.indexer.query import parse_query
from opengov.indexer.tokenizer import get_tokenizer
from opengov.indexer.whoosh_backend import WhooshBackend
from tests.indexer.test_backend_contract import DOCS

INDEXER = Path(__file__).resolve().parents[2] / "indexer"


def test_interrupted_rebuild_leaves_the_live_index_serving(tmp_path: Path) -> None:
    backend = WhooshBackend(tmp_path / "whoosh")
    backend.ensure_index()
    backend.index(DOCS)

    def dying() -> Iterator[IndexDocument]:
        yield DOCS[0]
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        backend.rebuild(dying())
    assert backend.count() == len(DOCS)
    assert [p.name for p in (tmp_path / "whoosh").iterdir() if p.is_dir()] == [
        (tmp_path / "whoosh" / "CURRENT").read_text()]
    assert backend.search(parse_query("公务用车", get_tokenizer())).total == 1


def test_search_before_any_index_is_unavailable(tmp_path: Path) -> None:
    from opengov.indexer.backend import SearchUnavailableError

    with pytest.raises(SearchUnavailableError):
        WhooshBackend(tmp_path / "none").search(parse_query("政务", get_tokenizer()))


def test_the_indexer_never_imports_the_site() -> None:
    offenders = [path.name for path in INDEXER.rglob("*.py")
                 if re.search(r"^\s*(from|import) opengov\.site", path.read_text(encoding="utf-8"), re.M)]
    assert offenders == []


def test_purge_removes_deleted_text_from_segment_files(tmp_path: Path) -> None:
    backend = WhooshBackend(tmp_path / "whoosh")
    backend.ensure_index()
    backend.index(DOCS)
    backend.delete([4])

    def title_terms() -> set[str]:
        with backend._open().reader() as reader:
            return {term.decode() for term in reader.lexicon("title")}

    assert "公务用车" in title_terms()  # deleted, but still in the segment files
    backend.purge()
    assert "公务用车" not in title_terms()


def test_segments_are_plain_files_and_texts_live_in_a_column(tmp_path: Path) -> None:
    backend = WhooshBackend(tmp_path / "whoosh")
    backend.rebuild(DOCS)
    live = tmp_path / "whoosh" / (tmp_path / "whoosh" / "CURRENT").read_text()
    # Compound segments (.seg) were copied whole into every worker's memory.
    assert not list(live.glob("*.seg"))
    with backend._reading() as searcher:
        stored = searcher.stored_fields(0)
    assert "text" not in stored  # not loaded with every hit
    hit = backend.search(parse_query("政务公开 法治政府", get_tokenizer())).hits[0]
    assert "<mark>政务公开</mark>" in hit.snippet


def test_facets_and_totals_count_every_match_and_honour_filters(tmp_path: Path) -> None:
    backend = WhooshBackend(tmp_path / "whoosh")
    backend.rebuild(DOCS)
    request = parse_query("公开", get_tokenizer(), size=1)
    result = backend.search(request)
    assert result.total == 4
    assert len(result.hits) == 1
    facets = {name: {value.value: value.count for value in values}
              for name, values in result.facets.items()}
    assert facets["category"] == {"policies": 3, "fiscal": 1}
    assert facets["validity"] == {"有效": 3, "已修改": 1}
    filtered = backend.search(parse_query("公开", get_tokenizer(), filters={
        "validity": "有效", "year": "2019"}))
    assert [hit.id for hit in filtered.hits] == [1]
    assert filtered.facets["year"] == [FacetValue("2019", 1)]


def test_an_interrupted_rebuilds_folder_is_an_orphan_the_next_rebuild_removes(
        tmp_path: Path) -> None:
    backend = WhooshBackend(tmp_path / "whoosh")
    backend.rebuild(DOCS)
    (tmp_path / "whoosh" / "v1").mkdir()  # what a killed rebuild leaves
    assert backend.orphans() == ["v1"]
    backend.rebuild(DOCS[:2])
    assert backend.orphans() == []
    assert backend.status() == IndexStatus(exists=True, documents=2)
    assert WhooshBackend(tmp_path / "none").status() == IndexStatus(exists=False, documents=0)


def test_common_word_queries_are_counted_from_posting_sets_exactly(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    backend = WhooshBackend(tmp_path / "whoosh")
    backend.rebuild(DOCS)
    queries = ["公开", "政府信息公开条例", "国办发〔2018〕123号", "公务用车 三公经费", '"政务公开"',
               "预算"]
    matcher = {raw: backend.search(parse_query(raw, get_tokenizer())) for raw in queries}
    # Every query counts as "common" now: the posting-set path must find the same documents.
    monkeypatch.setattr("opengov.indexer.whoosh_backend.BIG_MATCH", -1)
    for raw in queries:
        sets = backend.search(parse_query(raw, get_tokenizer()))
        assert sets.total == matcher[raw].total, raw
        assert sets.facets == matcher[raw].facets, raw
        assert {hit.id for hit in sets.hits} <= {hit.id for hit in matcher[raw].hits}, raw
