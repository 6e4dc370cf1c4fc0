"""热门搜索 shows only what many distinct visitors searched and found, nothing personal or
abusive, nothing blocked, and — with review on — only what staff approved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from opengov.site import clock
from opengov.site.accounts.rules.roles import Role
from opengov.site.cli import main
from opengov.site.db import get_session, unit_of_work
from opengov.site.search.models import QueryStat, QueryVisitor
from opengov.site.search.service import popular, statistics
from opengov.site.search.service.worker import process_pending
from tests.factories import make_agency, make_document


@pytest.fixture
def sample(app: Flask) -> None:
    """Two public documents, indexed (no session is held open: each request reads afresh)."""
    with app.app_context(), unit_of_work() as session:
        make_agency(session, "czj")
        make_document(session, title="关于规范公务用车管理的通知")
        make_document(session, title="我市召开政务公开工作推进会")
    assert app.test_cli_runner().invoke(main, ["index", "rebuild"]).exit_code == 0


def search_from(client: FlaskClient, query: str, address: str) -> None:
    response = client.get("/api/v1/search", query_string={"q": query},
                          environ_base={"REMOTE_ADDR": address})
    assert response.status_code in {200, 400}


def popular_now(client: FlaskClient, app: Flask) -> list[str]:
    processed = app.test_cli_runner().invoke(main, ["index", "process"])
    assert processed.exit_code == 0, processed.output
    result: list[str] = client.get("/api/v1/search/popular").get_json()["queries"]
    return result


@pytest.mark.parametrize("personal", [
    "139 1234 5678", "139-1234-5678", "１３９１２３４５６７８", "政务 某某局长是骗子加微信abc123",
    "<script>alert〔1〕</script>", "http://example.com/bet", "www.bet365.example", "a@b.cn",
    "张三 11010519491231002X"])
def test_contact_details_links_and_markup_are_never_counted(personal: str) -> None:
    assert popular.looks_personal_or_abusive(personal)


@pytest.mark.parametrize("ordinary", ["公务用车", "2024年部门预算", "国务院令第735号",
                                      "示政发〔2023〕7号", "三公经费 2023"])
def test_ordinary_queries_are_counted(ordinary: str) -> None:
    assert not popular.looks_personal_or_abusive(ordinary)


def test_one_visitor_searching_sixty_times_is_one_visitor(
        app: Flask, client: FlaskClient, sample: None) -> None:
    app.config["POPULAR_SEARCH_REVIEW"] = False
    for _ in range(60):
        search_from(client, "公务用车", "203.0.113.9")
    assert popular_now(client, app) == []
    with app.app_context():
        stat = get_session().scalars(select(QueryStat)).one()
        assert (stat.count, stat.visitors) == (60, 1)


def test_many_visitors_who_found_something_make_a_popular_search(
        app: Flask, client: FlaskClient, sample: None) -> None:
    app.config["POPULAR_SEARCH_REVIEW"] = False
    for number in range(10):
        search_from(client, "公务用车", f"198.51.100.{number}")
        search_from(client, "完全没有的词语组合", f"198.51.100.{number}")
        search_from(client, "139 1234 5678", f"198.51.100.{number}")
    for number in range(9):
        search_from(client, "政务公开", f"192.0.2.{number}")
    assert popular_now(client, app) == ["公务用车"]  # 政务公开: 9 visitors, one short
    search_from(client, "政务公开", "192.0.2.200")
    assert popular_now(client, app) == ["公务用车", "政务公开"]
    with app.app_context():
        queries = set(get_session().scalars(select(QueryStat.query)))
    assert "139 1234 5678" not in queries  # never even counted


@pytest.fixture
def popular_pair(app: Flask, client: FlaskClient, sample: None) -> None:
    for number in range(12):
        search_from(client, "公务用车", f"198.51.100.{number}")
        search_from(client, "政务公开", f"198.51.100.{number}")


def test_with_review_on_only_approved_queries_show_and_blocks_always_win(
        app: Flask, client: FlaskClient, popular_pair: None, make_user: Callable[..., Any],
        login: Callable[[str], None]) -> None:
    assert app.config["POPULAR_SEARCH_REVIEW"] is True  # the default
    assert popular_now(client, app) == []
    make_user("editor", Role.EDITOR)
    login("editor")
    page = client.get("/staff/search/popular").get_data(as_text=True)
    assert "待审核" in page
    assert "公务用车" in page
    for query in ("公务用车", "政务公开"):
        response = client.post("/staff/search/popular/decide",
                               data={"decide-query": query, "decide-decision": "approved"})
        assert response.status_code == 302
    assert popular_now(client, app) == ["公务用车", "政务公开"]
    client.post("/staff/search/popular", data={"block-term": "公务"})
    assert popular_now(client, app) == ["政务公开"]
    page = client.get("/staff/search/popular").get_data(as_text=True)
    assert "含屏蔽词“公务”" in page
    client.post("/staff/search/popular/decide",
                data={"decide-query": "政务公开", "decide-decision": "blocked"})
    assert popular_now(client, app) == []
    app.config["POPULAR_SEARCH_REVIEW"] = False
    assert popular_now(client, app) == []  # blocked stays blocked without review
    with app.app_context():
        from opengov.site.search.models import BlockedSearchTerm

        term_id = get_session().scalars(select(BlockedSearchTerm.id)).one()
    client.post(f"/staff/search/popular/blocked/{term_id}/delete")
    assert popular_now(client, app) == ["公务用车"]


def test_only_search_staff_manage_the_list(
        app: Flask, client: FlaskClient, make_user: Callable[..., Any],
        login: Callable[[str], None]) -> None:
    make_user("handler", Role.HANDLER)
    login("handler")
    assert client.get("/staff/search/popular").status_code == 403
    assert client.post("/staff/search/popular/decide", data={
        "decide-query": "x", "decide-decision": "approved"}).status_code == 403


def test_visitor_tokens_and_their_salt_are_forgotten_the_next_day(
        app: Flask, client: FlaskClient, sample: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    search_from(client, "公务用车", "198.51.100.1")
    with app.app_context():
        process_pending()
        assert get_session().scalar(select(func.count()).select_from(QueryVisitor)) == 1
        salts = list(statistics.spool_path().parent.glob(f"{statistics.SALT_PREFIX}*"))
        assert len(salts) == 1
        assert salts[0].stat().st_mode & 0o777 == 0o600
        tomorrow = clock.today() + dt.timedelta(days=1)
        monkeypatch.setattr(clock, "today", lambda: tomorrow)
        assert statistics.forget_old_visitors() == 1
        assert not salts[0].exists()
        get_session().rollback()
        assert get_session().scalar(select(func.count()).select_from(QueryVisitor)) == 0
        assert get_session().scalars(select(QueryStat.visitors)).one() == 1  # the count stays
