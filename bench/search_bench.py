"""Search benchmark on the whole shared corpus; prints figures, asserts nothing.

    PYTHONPATH=. .venv/bin/python bench/search_bench.py [--backend whoosh|elasticsearch|all]

For each backend: indexing throughput of the corpus (characters per second through
`opengov index rebuild`'s code path) as a ratio to raw ``jieba.cut`` over the same text in
the same run, and query latency p50/p95 over the judged queries (through the site's search
service, as the page runs it), with success@3 and MRR. Elasticsearch runs against
OPENGOV_TEST_ELASTICSEARCH_URL when set, else against an osmem-server started here.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import jieba
from flask import Flask
from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from opengov.site.catalog.models import Document  # noqa: E402
from opengov.site.db import get_session  # noqa: E402
from opengov.site.search.service import index as search_index  # noqa: E402
from tests.search.corpus_site import corpus_app, ranked_keys  # noqa: E402
from tests.search.judged import (  # noqa: E402
    load_judged,
    mean_reciprocal_rank,
    measure,
    success_at,
)


def corpus_texts(app: Flask) -> list[str]:
    with app.app_context():
        rows = get_session().execute(select(Document.title, Document.summary, Document.body))
        return ["\n".join(row) for row in rows]


def jieba_rate(texts: list[str]) -> float:
    """Characters per second of plain ``jieba.cut`` (default dictionary, precise mode)."""
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    started = time.perf_counter()
    for text in texts:
        for _word in tokenizer.cut(text):
            pass
    return sum(map(len, texts)) / (time.perf_counter() - started)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run_backend(app: Flask, name: str, settings: dict[str, Any], texts: list[str],
                baseline: float) -> None:
    app.config.update(settings)
    app.extensions.pop(search_index.EXTENSION_KEY, None)
    characters = sum(map(len, texts))
    with app.app_context():
        started = time.perf_counter()
        count = search_index.rebuild_index()
        elapsed = time.perf_counter() - started
    rate = characters / elapsed
    judged = load_judged()
    search = ranked_keys(app)
    for item in judged:  # warm-up: caches, searcher, suggestion vocabulary
        search(item.query)
    latencies: list[float] = []
    for _round in range(3):
        for item in judged:
            started = time.perf_counter()
            search(item.query)
            latencies.append((time.perf_counter() - started) * 1000)
    measured = measure(judged, search)
    print(f"[{name}] indexed {count} documents, {characters:,} characters in {elapsed:.1f} s: "
          f"{rate:,.0f} chars/s = {rate / baseline:.3f} × raw jieba.cut")
    print(f"[{name}] query latency over {len(judged)} judged queries × 3: "
          f"p50 {percentile(latencies, 0.5):.1f} ms, p95 {percentile(latencies, 0.95):.1f} ms")
    print(f"[{name}] success@3 {success_at(measured):.3f}, MRR {mean_reciprocal_rank(measured):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["whoosh", "elasticsearch", "all"], default="all")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory, ExitStack() as stack:
        print("importing the corpus …", flush=True)
        app = corpus_app(Path(directory) / "instance")
        texts = corpus_texts(app)
        baseline = jieba_rate(texts)
        print(f"raw jieba.cut: {baseline:,.0f} chars/s over {sum(map(len, texts)):,} characters")
        if args.backend in ("whoosh", "all"):
            run_backend(app, "whoosh", {"SEARCH_BACKEND": "whoosh"}, texts, baseline)
        if args.backend in ("elasticsearch", "all"):
            url = os.environ.get("OPENGOV_TEST_ELASTICSEARCH_URL")
            if not url:
                from osmem_server import OsmemServer

                url = stack.enter_context(OsmemServer.start()).url
            run_backend(app, "elasticsearch", {
                "SEARCH_BACKEND": "elasticsearch", "ELASTICSEARCH_URL": url,
                "ELASTICSEARCH_INDEX": f"opengov-bench-{os.getpid()}"}, texts, baseline)


if __name__ == "__main__":
    main()
