from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from opengov.indexer.model import IndexDocument
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
