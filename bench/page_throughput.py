"""Requests per second of each kind of page, as a ratio to ``/healthz`` on the same server.

    .venv/bin/python -m bench.page_throughput INSTANCE [INSTANCE …] [--seconds 8]
                                              [--connections 8] [--workers 2]

For each site (built by :mod:`bench.catalog_variants`; its search index is built here when it
is empty) gunicorn serves on a free port of 127.0.0.1 with ``deploy/gunicorn.conf.py``, as
``scripts/serve`` runs it; for each page type, ``--connections`` threads request it for
``--seconds`` seconds (a request a connection at a time, bounded in time) and the completed
requests per second are printed with their ratio to ``/healthz`` measured in the same run
(issue 18 item 5: ≥ 0.5 for the document page, ≥ 0.2 for home, column and search). With two
sites (2,000 and 50,000 documents), each page's ratio at the larger is also given as a share
of its ratio at the smaller: the lists should not grow with the catalog. Prints figures,
asserts nothing. Only the loopback address is ever requested.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.catalog_variants import site  # noqa: E402
from opengov.site.catalog.models import Document  # noqa: E402
from opengov.site.catalog.service.public import public_clause  # noqa: E402
from opengov.site.db import get_session  # noqa: E402
from opengov.site.search.service import index as search_index  # noqa: E402
from tests.search.judged import load_judged  # noqa: E402

GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def page_urls(instance: Path) -> dict[str, list[str]]:
    """The URLs of each page type, several of each so that caches do not flatter."""
    app = site(instance)
    with app.app_context():
        if search_index.get_backend().status().documents == 0:
            print(f"building the search index of {instance} …", flush=True)
            search_index.rebuild_index()
        ids = list(get_session().scalars(select(Document.id).where(public_clause())
                                         .order_by(Document.id)))
    step = max(1, len(ids) // 40)
    queries = [quote(item.query) for item in load_judged() if item.kind != "offtopic"]
    return {
        "healthz": ["/healthz"],
        "home": ["/"],
        "column": ["/columns/policies", "/columns/statutory", "/columns/policies?page=3",
                   f"/columns/plans?validity={quote('有效')}"],
        "document": [f"/documents/{document_id}" for document_id in ids[::step]],
        "search": [f"/search?q={query}" for query in queries],
        "api documents": ["/api/v1/documents", "/api/v1/documents?page=2&size=20",
                          "/api/v1/documents?column=policies"],
        "api search": [f"/api/v1/search?q={query}&size=10" for query in queries],
    }


def hammer(port: int, urls: list[str], seconds: float, connections: int) -> float:
    """Completed requests per second of ``urls`` (taken in turn) from ``connections``
    threads for ``seconds``."""
    done = [0] * connections
    failed: list[str] = []
    deadline = time.monotonic() + seconds

    def client(number: int) -> None:
        position = number
        while time.monotonic() < deadline:
            url = urls[position % len(urls)]
            position += connections
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            try:
                connection.request("GET", url)
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    done[number] += 1
                else:
                    failed.append(f"{url}: {response.status}")
            finally:
                connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(number,)) for number in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failed:
        print(f"  {len(failed)} failed requests, e.g. {failed[0]}")
    return sum(done) / (time.monotonic() - started)


def serve(instance: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "OPENGOV_INSTANCE_PATH": str(instance), "OPENGOV_SECRET_KEY": "bench",
           "OPENGOV_DATABASE_URL": f"sqlite:///{instance}/opengov.sqlite3",
           "TZ": "Asia/Shanghai"}
    server = subprocess.Popen(
        [str(GUNICORN), "--config", str(ROOT / "deploy" / "gunicorn.conf.py"),
         "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "opengov.site.wsgi:app"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError(f"gunicorn did not start on port {port}")


def measure(instance: Path, seconds: float, connections: int,
            workers: int) -> dict[str, float]:
    urls = page_urls(instance)
    port = free_port()
    server = serve(instance, port, workers)
    try:
        for page in urls.values():  # warm-up: every worker opens the index, loads caches
            for url in page[:4]:
                for _ in range(workers):
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    connection.request("GET", url)
                    connection.getresponse().read()
                    connection.close()
        return {name: hammer(port, page, seconds, connections) for name, page in urls.items()}
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instances", type=Path, nargs="+")
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    first: dict[str, float] | None = None
    for instance in args.instances:
        rates = measure(instance, args.seconds, args.connections, args.workers)
        base = rates["healthz"]
        print(f"{instance} ({args.workers} workers, {args.connections} connections, "
              f"{args.seconds:g} s a page)")
        print(f"  {'page':15} {'req/s':>8} {'÷ /healthz':>11}" +
              (f" {'÷ first site':>13}" if first else ""))
        for name, rate in rates.items():
            line = f"  {name:15} {rate:8.1f} {rate / base:11.3f}"
            if first and first[name]:
                line += f" {(rate / base) / (first[name] / first['healthz']):13.2f}"
            print(line)
        first = first or rates


if __name__ == "__main__":
    main()
