"""Every backend behind one fixture, so one contract suite runs against each."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from opengov.indexer.backend import SearchBackend
from opengov.indexer.whoosh_backend import WhooshBackend

ELASTIC_MARKS = [pytest.mark.slow, pytest.mark.elasticsearch]


def make_backend(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> SearchBackend:
    if kind == "whoosh":
        return WhooshBackend(tmp_path / "whoosh")
    from opengov.indexer.elastic_backend import ElasticsearchBackend

    url = os.environ.get("OPENGOV_TEST_ELASTICSEARCH_URL")
    if kind == "elasticsearch-real":
        if not url:
            pytest.skip("OPENGOV_TEST_ELASTICSEARCH_URL is not set")
        return ElasticsearchBackend(url, f"opengov-test-{os.getpid()}-{id(request)}")
    clone: Any = request.getfixturevalue("osmem_clone")
    return ElasticsearchBackend(clone.url, "opengov")


BACKENDS = ["whoosh",
            pytest.param("elasticsearch", marks=ELASTIC_MARKS),
            pytest.param("elasticsearch-real", marks=ELASTIC_MARKS)]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchBackend]:
    engine = make_backend(request.param, tmp_path, request)
    engine.ensure_index()
    yield engine
    drop = getattr(engine, "drop", None)
    if request.param == "elasticsearch-real" and drop is not None:
        drop()
