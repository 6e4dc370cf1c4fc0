"""Memory and start-up of the web workers: RSS of one gunicorn worker right after start and
after 1,000 searches, and the time to the first search answer, on the corpus instance.

Two servers are measured in the same run, with the same code and data:

- **deployed** — ``gunicorn --config deploy/gunicorn.conf.py``: the app preloaded and warmed
  up in the master (jieba, suggester, search engine) before the workers fork;
- **reference** — plain ``gunicorn --workers 2 opengov.site.wsgi:app``: each worker loads
  the app and everything the first search needs by itself (how the site ran before).

For each: RSS, PSS (shared pages split between the processes sharing them) and USS (pages
of the worker alone) of one worker after start and after 1,000 searches spread over both
workers, the master's RSS, and the first search's time; then the deployed figures as ratios
of the reference's. The first search is also given as a ratio of a later one (same server).

Run: .venv/bin/python -m bench.worker_memory [--instance DIR] [--searches N]
(the instance is built from content/ and the shared corpus when not given: ≈ 5 minutes).
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
BIN = Path(sys.executable).parent
WORKERS = 2
QUERIES = ["政务公开", "政府信息公开条例", "财政预算", "三公经费", "依申请公开", "行政复议",
           "国务院办公厅", "工作报告", "住房公积金", "乡村振兴", "安全生产", "公务用车",
           "环境保护 监测", "教育 经费", "医疗保障"]


def _opengov(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(BIN / "opengov"), *args], env=env, check=True,
                   stdout=subprocess.DEVNULL)


def build_instance(folder: Path) -> None:
    env = {**os.environ, "OPENGOV_INSTANCE_PATH": str(folder)}
    _opengov(env, "init")
    _opengov(env, "import-content", str(ROOT / "content"))
    if CORPUS.is_dir():
        _opengov(env, "import-corpus", str(CORPUS))
    _opengov(env, "index", "rebuild")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def memory(pid: int) -> dict[str, float]:
    """RSS, PSS and USS of a process in MB (/proc/PID/smaps_rollup)."""
    values: dict[str, int] = {}
    with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
        for line in rollup:
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                values[parts[0].rstrip(":")] = int(parts[1])
    uss = values.get("Private_Clean", 0) + values.get("Private_Dirty", 0)
    return {"rss": values["Rss"] / 1024, "pss": values["Pss"] / 1024, "uss": uss / 1024}


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def get(port: int, path: str) -> float:
    """Seconds to fetch ``path`` on a new connection (so the next request may go to the
    other worker)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"{path}: {response.status}")
    return time.perf_counter() - started


def search_path(number: int) -> str:
    query = QUERIES[number % len(QUERIES)]
    page = 1 + (number // len(QUERIES)) % 3
    return "/search?" + urllib.parse.urlencode({"q": query, "page": page})


@dataclass
class Figures:
    start_seconds: float
    first_search: float
    later_search: float
    worker_after_start: dict[str, float]
    worker_after_searches: dict[str, float]
    master: dict[str, float]


def measure(instance: Path, deployed: bool, searches: int) -> Figures:
    port = _free_port()
    env = {**os.environ, "OPENGOV_INSTANCE_PATH": str(instance), "OPENGOV_ACCESS_LOG": "false",
           "OPENGOV_BIND": f"127.0.0.1:{port}", "OPENGOV_WORKERS": str(WORKERS)}
    command = ([str(BIN / "gunicorn"), "--config", str(ROOT / "deploy" / "gunicorn.conf.py")]
               if deployed else [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}",
                                 "--workers", str(WORKERS)])
    started = time.perf_counter()
    server = subprocess.Popen([*command, "--log-level", "warning", "opengov.site.wsgi:app"],
                              env=env, cwd=instance)
    try:
        while True:
            try:
                get(port, "/healthz")
                break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.05)
        # Both workers are up and have answered something cheap before anything is measured.
        while len(children(server.pid)) < WORKERS:
            time.sleep(0.05)
        for _ in range(4):
            get(port, "/healthz")
        start_seconds = time.perf_counter() - started
        workers = children(server.pid)
        after_start = [memory(pid) for pid in workers]
        first = get(port, search_path(0))
        later = [get(port, search_path(number)) for number in range(1, searches)]
        after = [memory(pid) for pid in workers]
        master = memory(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    return Figures(start_seconds, first, statistics.median(later),
                   max(after_start, key=lambda m: m["rss"]),
                   max(after, key=lambda m: m["rss"]), master)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--instance", type=Path, help="an instance folder with the corpus")
    parser.add_argument("--searches", type=int, default=1000)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="opengov-bench-") as scratch:
        instance = arguments.instance
        if instance is None:
            instance = Path(scratch) / "instance"
            print("building the corpus instance …", flush=True)
            build_instance(instance)
        reference = measure(instance, deployed=False, searches=arguments.searches)
        deployed = measure(instance, deployed=True, searches=arguments.searches)

    def row(label: str, deployed_value: float, reference_value: float, unit: str) -> None:
        print(f"{label:38s} {deployed_value:9.1f} {unit:3s} {reference_value:9.1f} {unit:3s}"
              f"   ×{deployed_value / reference_value:5.2f}")

    print(f"\n{WORKERS} sync workers, {arguments.searches} searches of the search page, "
          f"instance {instance}")
    print(f"{'':38s} {'deployed':>13s} {'reference':>13s}   ratio")
    for key, name in (("rss", "RSS"), ("pss", "PSS"), ("uss", "USS")):
        row(f"one worker after start, {name}", deployed.worker_after_start[key],
            reference.worker_after_start[key], "MB")
    for key, name in (("rss", "RSS"), ("pss", "PSS"), ("uss", "USS")):
        row(f"one worker after the searches, {name}", deployed.worker_after_searches[key],
            reference.worker_after_searches[key], "MB")
    row("master, RSS", deployed.master["rss"], reference.master["rss"], "MB")
    row("time to first search answer", deployed.first_search * 1000,
        reference.first_search * 1000, "ms")
    row("median later search", deployed.later_search * 1000, reference.later_search * 1000,
        "ms")
    row("start until both workers answer", deployed.start_seconds, reference.start_seconds,
        "s")
    for label, figures in (("deployed", deployed), ("reference", reference)):
        print(f"{label}: first search = ×{figures.first_search / figures.later_search:.1f} "
              "a later one")


if __name__ == "__main__":
    main()
