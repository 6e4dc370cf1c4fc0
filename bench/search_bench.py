"""Search benchmark: indexing, query CPU, first search, memory and relevance, at two sizes.

    .venv/bin/python -m bench.search_bench [--sizes 1898,50000] [--backend whoosh|elasticsearch|all]
                                           [--work DIR]

Prints figures, asserts nothing; every figure that depends on the machine is also given as a
ratio to a reference measured in the same run (issue 18 item 4):

- indexing: characters per CPU second through ``opengov index rebuild``'s code path, as a
  ratio to raw ``jieba.cut`` (the Python package, default dictionary) over the corpus texts;
- queries: CPU time per search of the judged queries through the site's search service,
  p50/p95, after a warm-up; at the larger size also as a ratio to the first size;
- first search in a new worker: the process loads the site and warms it up as gunicorn's
  master does (``deploy/gunicorn.conf.py``), forks, and the child times its first search;
- memory: resident size of that worker after its searches;
- relevance: success@3 and MRR of the judged queries (on the corpus size).

The sites are built by :mod:`bench.catalog_variants` in ``--work`` (kept between runs, so a
second run skips the import). Elasticsearch runs against OPENGOV_TEST_ELASTICSEARCH_URL when
set, else against an osmem-server started here.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jieba
from flask import Flask
from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.catalog_variants import grow, site  # noqa: E402
from opengov.site import create_app  # noqa: E402
from opengov.site.catalog.models import Document  # noqa: E402
from opengov.site.catalog.service.public import public_clause  # noqa: E402
from opengov.site.db import get_session  # noqa: E402
from opengov.site.search.service import index as search_index  # noqa: E402
from opengov.site.search.service import search as search_service  # noqa: E402
from tests.search.corpus_site import shown_keys  # noqa: E402
from tests.search.judged import (  # noqa: E402
    load_judged,
    mean_reciprocal_rank,
    measure,
    success_at,
)


def indexed_texts(app: Flask) -> list[str]:
    """The texts a rebuild indexes (title, summary, body; the corpus has no attachments)."""
    with app.app_context():
        rows = get_session().execute(select(Document.title, Document.summary, Document.body)
                                     .where(public_clause()))
        return ["\n".join(row) for row in rows]


def jieba_rate(texts: list[str]) -> float:
    """Characters per CPU second of plain ``jieba.cut`` (default dictionary, precise mode)."""
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    started = time.process_time()
    for text in texts:
        for _word in tokenizer.cut(text):
            pass
    return sum(map(len, texts)) / (time.process_time() - started)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass
class Figures:
    documents: int
    characters: int
    index_cpu: float
    query_ms: list[float]
    first_search_ms: float
    worker_mb: float
    success3: float
    mrr: float

    @property
    def index_rate(self) -> float:
        return self.characters / self.index_cpu


def first_search_in_fork(app: Flask, settings: dict[str, Any]) -> tuple[float, float]:
    """Milliseconds of the first search of a web worker, and its resident MB after the judged
    searches: a fresh process loads the site and warms it up as gunicorn's master does,
    forks, and the child (the worker) searches."""
    probe = subprocess.run(
        [sys.executable, "-m", "bench.search_bench", "--probe", app.instance_path,
         json.dumps(settings)], cwd=ROOT, capture_output=True, text=True, check=True)
    first, memory = probe.stdout.split()[-2:]
    return float(first), float(memory)


def probe_worker(instance: str, settings: dict[str, Any]) -> None:
    """The probe run by :func:`first_search_in_fork`, in its own process."""
    app = create_app({"INSTANCE_PATH": Path(instance), "SECRET_KEY": "bench",
                      "DATABASE_URL": f"sqlite:///{instance}/opengov.sqlite3", **settings})
    with app.app_context():
        search_service.warm_up()  # what deploy/gunicorn.conf.py does before gunicorn forks
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker
        os.close(read)
        try:
            with app.app_context():
                started = time.perf_counter()
                search_service.search(get_session(), "政府信息公开条例", log_query=False)
                elapsed = (time.perf_counter() - started) * 1000
            for item in load_judged():
                with app.app_context():
                    search_service.search(get_session(), item.query, log_query=False)
            os.write(write, f"{elapsed} {resident_mb()}".encode())
        finally:
            os._exit(0)
    os.close(write)
    answer = b""
    while chunk := os.read(read, 100):
        answer += chunk
    os.waitpid(pid, 0)
    print(answer.decode())


def run(app: Flask, settings: dict[str, Any], texts: list[str], *,
        reuse: bool = False) -> Figures:
    app.config.update(settings)
    app.extensions.pop(search_index.EXTENSION_KEY, None)
    with app.app_context():
        status = search_index.get_backend().status()
        if reuse and status.documents == search_index.count_public():
            count, index_cpu = status.documents, math.nan  # indexing not measured
        else:
            started = time.process_time()
            count = search_index.rebuild_index()
            index_cpu = time.process_time() - started
    first_ms, worker_mb = first_search_in_fork(app, settings)
    judged = load_judged()
    search = shown_keys(app)
    for item in judged:  # warm-up: the searcher, the vocabulary
        search(item.query)
    query_ms: list[float] = []
    for _round in range(3):
        for item in judged:
            started = time.process_time()
            search(item.query)
            query_ms.append((time.process_time() - started) * 1000)
    measured = measure(judged, search)
    return Figures(count, sum(map(len, texts)), index_cpu, query_ms, first_ms, worker_mb,
                   success_at(measured), mean_reciprocal_rank(measured))


def report(label: str, figures: Figures, baseline: float, first: Figures | None) -> None:
    p50, p95 = percentile(figures.query_ms, 0.5), percentile(figures.query_ms, 0.95)
    if math.isnan(figures.index_cpu):
        print(f"[{label}] {figures.documents} documents (the index was reused: indexing not "
              f"measured)")
    else:
        print(f"[{label}] {figures.documents} documents, {figures.characters:,} characters "
              f"indexed in {figures.index_cpu:.1f} s CPU: {figures.index_rate:,.0f} chars/s "
              f"= {figures.index_rate / baseline:.2f} × raw jieba.cut")
    line = f"[{label}] query CPU p50 {p50:.1f} ms, p95 {p95:.1f} ms"
    if first is not None:
        line += (f" (× {p50 / percentile(first.query_ms, 0.5):.2f} / "
                 f"× {p95 / percentile(first.query_ms, 0.95):.2f} of {first.documents})")
    print(line)
    print(f"[{label}] first search in a new worker {figures.first_search_ms:.0f} ms; "
          f"worker resident {figures.worker_mb:.0f} MB after the judged searches")
    print(f"[{label}] success@3 {figures.success3:.3f}, MRR {figures.mrr:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["whoosh", "elasticsearch", "all"], default="all")
    parser.add_argument("--sizes", default="1898,50000",
                        help="catalog sizes, comma-separated (the first: the corpus alone)")
    parser.add_argument("--work", type=Path, default=None,
                        help="folder of the benchmark sites (default: a temporary one)")
    parser.add_argument("--reuse-index", action="store_true",
                        help="search the sites' existing indexes when complete (no rebuild)")
    parser.add_argument("--probe", nargs=2, metavar=("INSTANCE", "SETTINGS"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        probe_worker(args.probe[0], json.loads(args.probe[1]))
        return
    sizes = [int(size) for size in args.sizes.split(",")]
    with ExitStack() as stack:
        work = args.work or Path(stack.enter_context(tempfile.TemporaryDirectory()))
        apps = {}
        for size in sizes:
            print(f"site of {size} documents …", flush=True)
            apps[size] = site(work / str(size))
            grow(apps[size], size)
        texts = indexed_texts(apps[sizes[0]])
        baseline = jieba_rate(texts)
        print(f"raw jieba.cut: {baseline:,.0f} chars/s (CPU) over "
              f"{sum(map(len, texts)):,} characters of the corpus")
        backends: list[tuple[str, dict[str, Any]]] = []
        if args.backend in ("whoosh", "all"):
            backends.append(("whoosh", {"SEARCH_BACKEND": "whoosh"}))
        if args.backend in ("elasticsearch", "all"):
            url = os.environ.get("OPENGOV_TEST_ELASTICSEARCH_URL")
            if not url:
                from osmem_server import OsmemServer

                url = stack.enter_context(OsmemServer.start(japanese=False)).url
            backends.append(("elasticsearch", {
                "SEARCH_BACKEND": "elasticsearch", "ELASTICSEARCH_URL": url,
                "ELASTICSEARCH_INDEX": f"opengov-bench-{os.getpid()}"}))
        for name, settings in backends:
            first: Figures | None = None
            for size in sizes:
                settings = dict(settings)
                if "ELASTICSEARCH_INDEX" in settings:
                    settings["ELASTICSEARCH_INDEX"] = f"opengov-bench-{os.getpid()}-{size}"
                texts_here = texts if size == sizes[0] else indexed_texts(apps[size])
                figures = run(apps[size], settings, texts_here, reuse=args.reuse_index)
                report(f"{name} {size}", figures, baseline, first)
                first = first or figures


if __name__ == "__main__":
    main()
