"""Readers are not serialised: requests/s of the search page with 1 and 4 gunicorn workers.

A site is set up from ``content/`` (and the shared corpus when it is there), then served by
gunicorn with 1 and with 4 sync workers on SQLite. Eight client threads in a separate process
fetch a mix of searches for a fixed time. Figures are printed as ratios against ``/healthz``
on the same server, so they compare across machines; on a machine with C cores, 4 workers can
at best give min(4, C)× one worker — a write lock taken by readers would hold it near 1×.

Run: .venv/bin/python -m bench.concurrent_readers [SECONDS]   (default 10 per measurement)
"""

from __future__ import annotations

import http.client
import multiprocessing
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
BIN = Path(sys.executable).parent
QUERIES = ["政务公开", "政府信息公开条例", "财政预算", "三公经费", "依申请公开", "行政复议",
           "国务院办公厅", "工作报告", "住房", "乡镇"]
CLIENTS = 8


def _opengov(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(BIN / "opengov"), *args], env=env, check=True,
                   stdout=subprocess.DEVNULL)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _hammer(port: int, paths: list[str], seconds: float, counter: multiprocessing.Value) -> None:
    """Fetch ``paths`` round robin for ``seconds`` on one keep-alive connection per thread."""
    deadline = time.monotonic() + seconds

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        done = 0
        index = offset
        while time.monotonic() < deadline:
            connection.request("GET", paths[index % len(paths)])
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{paths[index % len(paths)]}: {response.status}")
            done += 1
            index += 1
        with counter.get_lock():
            counter.value += done

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def measure(env: dict[str, str], workers: int, paths: list[str], seconds: float) -> float:
    """Requests per second of ``paths`` on a fresh gunicorn with ``workers`` workers."""
    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--log-level", "warning", "opengov.site.wsgi:app"], env=env)
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        _hammer(port, paths, 2.0, multiprocessing.Value("i", 0))  # warm every worker up
        counter = multiprocessing.Value("i", 0)
        load = multiprocessing.Process(target=_hammer, args=(port, paths, seconds, counter))
        started = time.monotonic()
        load.start()
        load.join()
        return counter.value / (time.monotonic() - started)
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0
    with tempfile.TemporaryDirectory() as directory:
        env = {key: value for key, value in os.environ.items()
               if not key.startswith("OPENGOV_")}
        env["OPENGOV_INSTANCE_PATH"] = directory
        _opengov(env, "init")
        _opengov(env, "import-content", str(ROOT / "content"))
        if (CORPUS / "MANIFEST.tsv").exists():
            _opengov(env, "import-corpus", str(CORPUS))
        _opengov(env, "index", "rebuild")
        searches = [f"/search?q={urllib.parse.quote(query)}" for query in QUERIES]
        print(f"search page, {CLIENTS} clients, {seconds:.0f} s per figure, "
              f"{os.cpu_count()} CPUs")
        figures = {}
        for workers in (1, 4):
            health = measure(env, workers, ["/healthz"], seconds)
            search = measure(env, workers, searches, seconds)
            figures[workers] = search
            print(f"  {workers} worker(s): /healthz {health:8.1f} req/s   search {search:7.1f}"
                  f" req/s   search/healthz {search / health:5.3f}")
        print(f"  search with 4 workers / 1 worker: {figures[4] / figures[1]:.2f}×")


if __name__ == "__main__":
    main()
