"""The Elasticsearch-API engine failing under the site: stopped, hung, restarted empty, and a
rebuild killed half-way (issue 18, from issue 13). A real osmem-server on a fixed port of
127.0.0.1 plays the cluster: it is stopped, frozen with SIGSTOP and started again empty; the
Whoosh backend's interrupted rebuild is tested the same way, by killing the process."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from osmem_server import OsmemServer
from sqlalchemy.orm import Session

from opengov.site.cli import main
from opengov.site.db import unit_of_work
from opengov.site.search.service import index as search_index
from opengov.site.search.service import search as search_service
from opengov.site.search.service.worker import process_pending
from tests.factories import make_document

ROOT = Path(__file__).resolve().parents[2]
ALIAS = "opengov-faults"
ELASTIC = [pytest.mark.slow, pytest.mark.elasticsearch]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Cluster:
    """An osmem-server that can be stopped, frozen and started again on the same port."""

    def __init__(self) -> None:
        self.address = f"127.0.0.1:{free_port()}"
        self.url = f"http://{self.address}"
        self.server: OsmemServer | None = None

    def start(self) -> None:
        self.server = OsmemServer.start(addr=self.address, japanese=False)

    def stop(self) -> None:
        if self.server is not None:
            self.server.close(grace=2)
            self.server = None

    def freeze(self) -> None:
        assert self.server is not None
        os.kill(self.server.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        assert self.server is not None
        os.kill(self.server.process.pid, signal.SIGCONT)

    def get(self, path: str) -> Any:
        with urllib.request.urlopen(self.url + path, timeout=10) as response:
            return json.loads(response.read())


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    running = Cluster()
    running.start()
    yield running
    if running.server is not None:
        with contextlib.suppress(ProcessLookupError):
            running.thaw()
    running.stop()


@pytest.fixture
def es_app(app_config: dict[str, Any], cluster: Cluster) -> dict[str, Any]:
    app_config.update(SEARCH_BACKEND="elasticsearch", ELASTICSEARCH_URL=cluster.url,
                      ELASTICSEARCH_INDEX=ALIAS, SEARCH_TIMEOUT_SECONDS=1.0,
                      SEARCH_RETRY_SECONDS=1)
    return app_config


def publish(count: int = 3) -> None:
    with unit_of_work() as session:
        for number in range(count):
            make_document(session, title=f"关于公务用车管理的第{number}号通知",
                          body="加强公务用车管理，严控三公经费。",
                          published_on=dt.date(2024, 1, 1 + number))
    search_index.get_backend().ensure_index()
    assert search_index.process_outbox().indexed == count


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.usefixtures("es_app")
class TestElasticsearchFaults:
    pytestmark = ELASTIC

    def test_a_stopped_engine_degrades_search_and_queues_updates(
            self, cluster: Cluster, db_session: Session, client: FlaskClient,
            runner: FlaskCliRunner) -> None:
        publish()
        cluster.stop()
        page = client.get("/search?q=公务用车").get_data(as_text=True)
        assert "搜索服务暂时不可用" in page
        # The title match in the database, its words marked.
        assert "关于公务用车管理的第0号通知" in re.sub(r"</?mark>", "", page)
        assert client.get("/api/v1/search?q=公务用车").status_code == 503
        with unit_of_work() as session:
            make_document(session, title="停机期间发布的通知")
        processed = runner.invoke(main, ["index", "process"])
        assert processed.exit_code == 1
        assert "失败待重试 1 条" in processed.output
        assert "等待重试的索引更新：1 条" in processed.output
        ready = client.get("/healthz/ready")
        assert ready.status_code == 503
        checks = {check["name"]: check for check in ready.get_json()["checks"]}
        assert checks["search"]["level"] == "error"
        assert "不可用" in checks["search"]["detail"]
        assert (checks["search_outbox"]["level"], checks["search_outbox"]["detail"]) == (
            "error", "待处理 1 条，其中失败重试 1 条：搜索引擎拒绝了更新，见 opengov index process 的输出")

    def test_a_hung_engine_costs_a_page_at_most_the_time_out(
            self, cluster: Cluster, db_session: Session, client: FlaskClient) -> None:
        publish()
        cluster.freeze()
        started = time.monotonic()
        page = client.get("/search?q=公务用车").get_data(as_text=True)
        elapsed = time.monotonic() - started
        assert "搜索服务暂时不可用" in page
        # SEARCH_TIMEOUT_SECONDS is 1: one try, no retry on a time-out.
        assert elapsed < 4, elapsed
        cluster.thaw()
        assert client.get("/api/v1/search?q=公务用车").get_json()["total"] == 3

    def test_an_engine_restarted_empty_is_refilled_through_the_alias(
            self, cluster: Cluster, db_session: Session, client: FlaskClient) -> None:
        publish()
        cluster.stop()
        cluster.start()  # the same address, no data
        with unit_of_work() as session:
            make_document(session, title="重启后发布的通知")
        report = process_pending()
        assert report.restored == 4
        aliases = cluster.get(f"/_alias/{ALIAS}")
        assert len(aliases) == 1
        (index,) = aliases
        assert index.startswith(f"{ALIAS}-v")  # never an index named like the alias
        assert client.get("/api/v1/search?q=公务用车").get_json()["total"] == 3
        assert client.get("/api/v1/search?q=重启后发布").get_json()["total"] == 1
        checks = {check["name"]: check
                  for check in client.get("/healthz/ready").get_json()["checks"]}
        assert checks["search"]["level"] == "ok"

    def test_writes_never_create_an_index_named_like_the_alias(
            self, cluster: Cluster, db_session: Session) -> None:
        publish()
        cluster.stop()
        cluster.start()
        with unit_of_work() as session:
            make_document(session, title="别名丢失时的更新")
        report = search_index.process_outbox()
        assert report.failed == 1  # refused: the alias is gone, nothing is auto-created
        indices = cluster.get("/_cat/indices?format=json")
        assert ALIAS not in {row["index"] for row in indices}


def kill_rebuild_half_way(app_config: dict[str, Any], after: int) -> int:
    """Run ``rebuild_index`` in another process and kill it (SIGKILL, no clean-up) after
    ``after`` documents; returns the exit status."""
    script = f"""
import json, os, signal, sys
from pathlib import Path
sys.path.insert(0, {str(ROOT)!r})
from opengov.site import create_app
from opengov.site.search.service import index
config = json.loads({json.dumps(app_config, default=str)!r})
config["INSTANCE_PATH"] = Path(config["INSTANCE_PATH"])
app = create_app(config)
seen = []
def progress(step):
    seen.append(step)
    if len(seen) >= {after}:
        os.kill(os.getpid(), signal.SIGKILL)
with app.app_context():
    index.rebuild_index(progress=progress)
"""
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=False).returncode


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("engine", ["whoosh", pytest.param("elasticsearch", marks=ELASTIC)])
def test_a_rebuild_killed_half_way_leaves_the_live_index_and_an_orphan_the_next_one_clears(
        engine: str, request: pytest.FixtureRequest, app_config: dict[str, Any]) -> None:
    if engine == "elasticsearch":
        request.getfixturevalue("es_app")  # before the app is made from the settings
    app: Flask = request.getfixturevalue("app")
    runner: FlaskCliRunner = request.getfixturevalue("runner")
    assert app.config["SEARCH_BACKEND"] == engine
    with app.app_context():
        publish(30)
    assert kill_rebuild_half_way(app_config, after=10) == -signal.SIGKILL
    with app.app_context():
        assert search_service.search_documents("公务用车").total == 30  # the live index
    check = runner.invoke(main, ["index", "check"])
    assert check.exit_code == 1
    assert "中断的重建留下的索引：1 个" in check.output
    rebuilt = runner.invoke(main, ["index", "rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    clean = runner.invoke(main, ["index", "check"])
    assert clean.exit_code == 0, clean.output
    assert "中断的重建" not in clean.output
