"""The search service over a real Whoosh index: outbox, fallbacks, suggestions, synonyms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from opengov.site.catalog.models import Document, SearchOutbox
from opengov.site.catalog.rules.metadata import PublicationStatus
from opengov.site.catalog.service.outbox import enqueue
from opengov.site.search.service import index as search_index
from opengov.site.search.service import search as search_service
from tests.factories import make_document
from tests.search.conftest import DOWN_URL


def ids(outcome: search_service.SearchOutcome) -> list[int]:
    return [hit.id for hit in outcome.hits]


def test_published_documents_are_found_current_version_first(
        db_session: Session, sample: dict[str, Document]) -> None:
    outcome = search_service.search(db_session, "政府信息公开实施办法")
    assert ids(outcome)[:2] == [sample["regulation"].id, sample["old"].id]
    assert outcome.hits[0].agency_name == "示例市人民政府"
    assert search_service.search(db_session, "示政发[2023]7号").hits[0].id == sample["regulation"].id
    traditional = search_service.search(db_session, "公務用車")
    assert ids(traditional) == [sample["cars"].id]
    assert "<mark>公務用車</mark>" in traditional.hits[0].snippet


def test_withdrawing_and_deleting_remove_from_the_index(
        db_session: Session, sample: dict[str, Document]) -> None:
    cars = sample["cars"]
    cars.status = PublicationStatus.WITHDRAWN
    enqueue(db_session, cars.id)
    news_id = sample["news"].id
    db_session.delete(sample["news"])
    enqueue(db_session, news_id)
    db_session.commit()
    report = search_index.process_outbox(db_session, search_index.get_backend())
    assert (report.deleted, report.failed) == (2, 0)
    assert search_service.search(db_session, "公务用车").total == 0
    assert search_service.search(db_session, "推进会").total == 0
    assert db_session.scalar(select(SearchOutbox.id)) is None


def test_scheduled_updates_wait_until_due(db_session: Session, indexed: Callable[..., Any]) -> None:
    indexed(title="无关文件")
    future = make_document(db_session, title="明年施行的规定", published_on=dt.date.today())
    db_session.query(SearchOutbox).delete()
    enqueue(db_session, future.id, not_before=dt.datetime(2999, 1, 1))
    db_session.commit()
    search_index.process_outbox(db_session, search_index.get_backend())
    assert search_service.search(db_session, "明年施行").total == 0
    search_index.process_outbox(db_session, search_index.get_backend(),
                                now=dt.datetime(2999, 1, 2))
    assert search_service.search(db_session, "明年施行").total == 1


def test_engine_down_loses_nothing_and_search_degrades(
        app: Flask, db_session: Session, sample: dict[str, Document]) -> None:
    whoosh = search_index.get_backend()
    app.config.update(SEARCH_BACKEND="elasticsearch", ELASTICSEARCH_URL=DOWN_URL)
    app.extensions[search_index.EXTENSION_KEY] = search_index.make_backend(app.config)
    app.extensions[search_index.EXTENSION_KEY]._timeout = 1.0
    document = make_document(db_session, title="停电期间发布的通知", published_on=dt.date(2024, 1, 1))
    db_session.commit()

    report = search_index.process_outbox(db_session, search_index.get_backend())
    assert report.failed == 1
    entry = db_session.scalars(select(SearchOutbox)).one()
    assert entry.attempts == 1
    assert entry.next_attempt_at > dt.datetime.now(dt.UTC).replace(tzinfo=None)
    assert "Connection" in entry.last_error or "Elasticsearch" in entry.last_error

    outcome = search_service.search(db_session, "政府信息公开实施办法")
    assert outcome.degraded == search_service.DEGRADED_DOWN
    assert {sample["regulation"].id, sample["old"].id} <= set(ids(outcome))

    # The engine is back: the kept entry is applied once due.
    app.extensions[search_index.EXTENSION_KEY] = whoosh
    later = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(hours=2)
    assert search_index.process_outbox(db_session, whoosh, now=later).indexed == 1
    assert ids(search_service.search(db_session, "停电期间")) == [document.id]


def test_backoff_doubles_up_to_the_cap() -> None:
    delays = [search_index.backoff(n, 30, 3600).total_seconds() for n in range(1, 10)]
    assert delays[:4] == [30, 60, 120, 240]
    assert max(delays) == 3600


def test_typos_pinyin_and_synonyms(db_session: Session, sample: dict[str, Document]) -> None:
    search_service.seed_synonyms(db_session)
    db_session.commit()
    cars = search_service.search(db_session, "公车")
    assert ids(cars) == [sample["cars"].id]
    typo = search_service.search(db_session, "政府信息公开实施办发")
    assert typo.suggestion == "政府信息公开实施办法"
    assert ids(typo)[0] == sample["regulation"].id
    pinyin = search_service.search(db_session, "zhengwu gongkai")
    assert pinyin.searched_for == "政务公开"
    assert ids(pinyin)[0] == sample["news"].id


@pytest.mark.parametrize(("raw", "message"), [("", "请输入"), ("政" * 201, "过长"),
                                               ("((*))", "没有可检索"), ("“政务", "引号")])
def test_bad_queries_give_messages(db_session: Session, raw: str, message: str) -> None:
    assert message in (search_service.search(db_session, raw).error or "")


def test_popular_searches_count_queries_not_people(
        db_session: Session, sample: dict[str, Document]) -> None:
    for _ in range(3):
        search_service.search(db_session, "公务用车")
    search_service.search(db_session, "政务公开")
    search_service.search(db_session, "完全没有的词语组合")
    search_service.search(db_session, "张三 110101199003070011 公务用车")
    search_service.search(db_session, "张三 13800138000")
    assert search_service.popular_queries(db_session) == ["公务用车", "政务公开"]


def test_autocomplete_titles(db_session: Session, sample: dict[str, Document]) -> None:
    assert search_service.autocomplete(db_session, "关于规范") == ["关于规范公务用车管理的通知"]


def test_check_reports_missing_stale_and_extra(
        db_session: Session, sample: dict[str, Document]) -> None:
    backend = search_index.get_backend()
    assert search_index.check_index(db_session, backend).ok
    sample["cars"].title = "关于规范公务用车管理的通知（修订）"
    unindexed = make_document(db_session, title="尚未索引的文件")
    sample["news"].status = PublicationStatus.WITHDRAWN
    db_session.commit()
    check = search_index.check_index(db_session, backend)
    assert check.missing == [unindexed.id]
    assert check.stale == [sample["cars"].id]
    assert check.extra == [sample["news"].id]
    assert search_index.rebuild_index(db_session, backend) == 4
    assert search_index.check_index(db_session, backend).ok
    assert db_session.scalar(select(SearchOutbox.id)) is None

