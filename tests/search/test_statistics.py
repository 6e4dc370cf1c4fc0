"""Popular searches: counted from a spool file by the index worker, never by the search."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.catalog.models import Document
from opengov.site.cli import main
from opengov.site.search.models import QueryStat
from opengov.site.search.service import search as search_service
from opengov.site.search.service import statistics
from opengov.site.search.service.worker import process_pending


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    # These tests are about counting; who may appear in 热门搜索 (distinct visitors, review,
    # block list) is tested in tests/hardening/test_popular_searches.py.
    # Searches through the service have no visitor (no request): counted, not as visitors.
    app_config.update(POPULAR_SEARCH_MIN_VISITORS=0, POPULAR_SEARCH_REVIEW=False)
    return app_config


def spooled() -> list[dict[str, object]]:
    path = statistics.spool_path()
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_popular_searches_count_queries_not_people(
        db_session: Session, sample: dict[str, Document]) -> None:
    for _ in range(3):
        search_service.search_documents("公务用车")
    search_service.search_documents("政务公开")
    search_service.search_documents("完全没有的词语组合")
    search_service.search_documents("张三 110101199003070011 公务用车")
    search_service.search_documents("张三 13800138000")
    search_service.search_documents("公务用车", page=2)  # paging on is not another search
    search_service.search_documents("公务用车", filters={"category": "sangong"})
    assert db_session.scalar(select(func.count(QueryStat.id))) == 0  # the searches only read
    lines = spooled()
    assert {line["q"] for line in lines} == {"公务用车", "政务公开", "完全没有的词语组合"}
    assert {line["day"] for line in lines} == {clock.today().isoformat()}
    assert set(lines[0]) == {"q", "day", "found"}  # no address, person or time of day

    assert process_pending().searches_counted == 5
    assert not statistics.spool_path().exists()
    assert statistics.popular_queries() == ["公务用车", "政务公开"]
    stat = db_session.scalars(select(QueryStat).where(QueryStat.query == "公务用车")).one()
    assert (stat.count, stat.found, stat.day) == (3, 3, clock.today())


def test_folding_adds_to_the_counts_of_the_day(db_session: Session,
                                               sample: dict[str, Document]) -> None:
    search_service.search_documents("公务用车")
    process_pending()
    search_service.search_documents("公务用车")
    for _ in range(3):
        search_service.search_documents("政务公开")
    assert process_pending().searches_counted == 4
    assert statistics.popular_queries() == ["政务公开", "公务用车"]
    assert statistics.popular_queries(limit=1) == ["政务公开"]
    assert db_session.scalar(select(func.sum(QueryStat.count))) == 5


def test_a_spool_left_by_a_dead_worker_is_taken_over(app: Flask, db_session: Session) -> None:
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)
    dead = int(finished.stdout)
    statistics.spool_path().parent.mkdir(parents=True, exist_ok=True)
    day = clock.today().isoformat()
    abandoned = statistics.spool_path().with_name(
        f"search-queries.{time.time_ns() - 10**10}.{dead}.folding")
    abandoned.write_text(
        json.dumps({"q": "政务公开", "day": day, "found": True}, ensure_ascii=False) + "\n"
        + "not json\n", encoding="utf-8")
    held_by_me = abandoned.with_name(f"search-queries.{time.time_ns()}.{os.getpid()}.folding")
    held_by_me.write_text(
        json.dumps({"q": "公务用车", "day": day, "found": True}, ensure_ascii=False) + "\n",
        encoding="utf-8")
    assert statistics.fold_query_spool() == 2
    assert not abandoned.exists()
    assert not held_by_me.exists()
    assert statistics.popular_queries() == ["公务用车", "政务公开"]


def test_a_spool_held_by_a_running_worker_is_left_to_it(app: Flask, db_session: Session) -> None:
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"]) as other:
        try:
            statistics.spool_path().parent.mkdir(parents=True, exist_ok=True)
            held = statistics.spool_path().with_name(
                f"search-queries.{time.time_ns()}.{other.pid}.folding")
            held.write_text(json.dumps({"q": "政务公开", "day": clock.today().isoformat(),
                                        "found": True}) + "\n", encoding="utf-8")
            assert statistics.fold_query_spool() == 0
            assert held.exists()
        finally:
            other.kill()


def test_search_then_worker_then_popular_list(client: FlaskClient, runner: FlaskCliRunner,
                                              sample: dict[str, Document]) -> None:
    client.get("/search?q=公务用车")
    client.get("/api/v1/search?q=公务用车")
    client.get("/api/v1/search?q=政务公开")
    assert client.get("/api/v1/search/popular").get_json()["queries"] == []
    processed = runner.invoke(main, ["index", "process"])
    assert processed.exit_code == 0, processed.output
    assert "已计入热门搜索统计 3 次搜索" in processed.output
    assert client.get("/api/v1/search/popular").get_json()["queries"] == ["公务用车", "政务公开"]
    page = client.get("/search").get_data(as_text=True)
    assert "热门搜索" in page
    assert "/search?q=%E5%85%AC%E5%8A%A1%E7%94%A8%E8%BD%A6" in page
