"""Faults degrade, never cascade: a database that refuses writes answers "暂时无法提交" with
the form kept (503) while reading pages go on; simultaneous identical submissions register
one request and the per-address limit holds (PostgreSQL too); instance files are private."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from opengov.site import create_app
from opengov.site.db import get_session, unit_of_work
from opengov.site.exceptions import ConflictError
from opengov.site.personal_data import key_from_secret
from opengov.site.requests.models import InfoRequest
from opengov.site.requests.service import public as applicants
from opengov.site.throttle.service import RateLimitedError
from tests.conftest import base_config
from tests.factories import make_agency, make_application, make_document
from tests.requests.test_public_pages import form_data


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    app_config.update(REQUEST_MIN_FILL_SECONDS=0, DATABASE_BUSY_TIMEOUT_SECONDS=0.3,
                      PERSONAL_DATA_KEY=key_from_secret("test personal data key"))
    return app_config


@pytest.fixture
def agency_id(app: Flask) -> int:
    with app.app_context(), unit_of_work() as session:
        make_document(session, title="关于规范公务用车管理的通知")
        return make_agency(session, "czj").id


def _count_requests(app: Flask) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(InfoRequest)) or 0


def _sqlite_path(app: Flask) -> str:
    url = str(app.config["DATABASE_URL"])
    if not url.startswith("sqlite:///"):
        pytest.skip("SQLite's write lock")
    return url.removeprefix("sqlite:///")


def test_a_locked_database_keeps_the_form_and_answers_503_while_pages_are_read(
        app: Flask, agency_id: int) -> None:
    client = app.test_client()
    data = form_data(agency_id, client, action="submit", address="示例市人民路100号（锁定测试）")
    holder = sqlite3.connect(_sqlite_path(app), timeout=1)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock, for long
    try:
        response = client.post("/requests/new", data=data)
        assert response.status_code == 503
        assert response.headers["Retry-After"]
        html = response.get_data(as_text=True)
        assert "暂时无法提交，您填写的内容已保留" in html
        assert "示例市人民路100号（锁定测试）" in html  # kept, in a form that sends it again
        assert 'action="/requests/new"' in html
        assert response.headers["Cache-Control"] == "no-store"
        for url in ["/", "/search?q=公务用车", "/columns/policies", "/api/v1/documents"]:
            assert client.get(url).status_code == 200, url  # readers never wait for writers
    finally:
        holder.rollback()
        holder.close()
    resent = client.post("/requests/new", data=data)  # the kept form, sent again
    assert resent.status_code == 200
    assert _count_requests(app) == 1


def test_a_read_only_database_keeps_the_form_and_serves_the_pages(
        tmp_path: Path, app: Flask, agency_id: int) -> None:
    path = _sqlite_path(app)
    read_only = create_app({**base_config(tmp_path / "ro-instance",
                                          f"sqlite:///file:{path}?mode=ro&uri=true"),
                            "REQUEST_MIN_FILL_SECONDS": 0,
                            "PERSONAL_DATA_KEY": app.config["PERSONAL_DATA_KEY"]})
    client = read_only.test_client()
    for url in ["/", "/columns/policies", "/api/v1/documents", "/requests/new", "/guide"]:
        assert client.get(url).status_code == 200, url
    response = client.post("/requests/new", data=form_data(agency_id, client, action="submit"))
    assert response.status_code == 503
    assert "暂时无法提交，您填写的内容已保留" in response.get_data(as_text=True)
    api = client.get("/api/v1/search?q=")
    assert api.status_code == 400  # nothing else changed for the API
    read_only.extensions["opengov.db"].engine.dispose()


def _concurrently(app: Flask, count: int, job: Any) -> Counter[str]:
    """Run ``job(index)`` in ``count`` threads released at the same moment."""
    barrier = threading.Barrier(count)
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def run(index: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                job(index)
                result = "filed"
            except RateLimitedError:
                result = "limited"
            except ConflictError:
                result = "duplicate"
        with lock:
            outcomes[result] += 1

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_four_identical_submissions_at_once_register_one_request(
        app: Flask, agency_id: int) -> None:
    app.config["REQUEST_SUBMIT_LIMIT"] = 100
    application = make_application()
    outcomes = _concurrently(app, 4, lambda index: applicants.submit_request(
        agency_id, application, client=f"198.51.100.{index}"))
    assert outcomes == Counter({"filed": 1, "duplicate": 3})
    assert _count_requests(app) == 1


def test_the_per_address_limit_holds_for_simultaneous_submissions(
        app: Flask, agency_id: int) -> None:
    app.config["REQUEST_SUBMIT_LIMIT"] = 5
    outcomes = _concurrently(app, 12, lambda index: applicants.submit_request(
        agency_id, make_application(description=f"第{index}项信息：2024年度经费使用情况"),
        client="203.0.113.7"))
    assert outcomes == Counter({"filed": 5, "limited": 7})
    assert _count_requests(app) == 5


def test_instance_files_are_private(tmp_path: Path) -> None:
    from opengov.site.cli import main

    instance = tmp_path / "instance"
    previous = os.umask(0o022)  # a permissive shell
    try:
        app = create_app({**base_config(instance, f"sqlite:///{instance}/opengov.sqlite3")})
        runner = app.test_cli_runner()
        assert runner.invoke(main, ["init"]).exit_code == 0
        with app.test_request_context("/search?q=x"):
            from opengov.site.search.service.statistics import record_query

            record_query("公务用车", found=True)
        app.extensions["opengov.db"].engine.dispose()
    finally:
        os.umask(previous)
    checked = 0
    for path in [instance, *instance.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, (path, oct(mode))
        checked += 1
    assert (instance / "opengov.sqlite3").exists()
    assert (instance / "search-queries.spool").exists()
    assert checked > 5


def test_init_tightens_an_instance_made_with_loose_permissions(tmp_path: Path) -> None:
    from opengov.site.bootstrap import tighten_instance

    folder = tmp_path / "loose"
    (folder / "whoosh").mkdir(parents=True)
    (folder / "opengov.sqlite3").write_bytes(b"")
    (folder / "whoosh" / "seg").write_bytes(b"")
    for path, mode in [(folder, 0o755), (folder / "whoosh", 0o755),
                       (folder / "opengov.sqlite3", 0o644), (folder / "whoosh" / "seg", 0o664)]:
        path.chmod(mode)
    assert tighten_instance(folder) == 4
    assert stat.S_IMODE((folder / "opengov.sqlite3").stat().st_mode) == 0o600
    assert stat.S_IMODE((folder / "whoosh").stat().st_mode) == 0o700
    assert tighten_instance(folder) == 0
