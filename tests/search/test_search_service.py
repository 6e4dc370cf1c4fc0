"""The search service over a real Whoosh index: outbox, fallbacks, suggestions, synonyms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.catalog.models import Document, SearchOutbox
from opengov.site.catalog.rules.metadata import PublicationStatus
from opengov.site.catalog.service.outbox import enqueue
from opengov.site.db import unit_of_work
from opengov.site.exceptions import InvalidInputError
from opengov.site.search.service import index as search_index
from opengov.site.search.service import search as search_service
from opengov.site.search.service import synonyms
from tests.factories import make_document
from tests.search.conftest import DOWN_URL


def ids(outcome: search_service.SearchOutcome) -> list[int]:
    return [hit.id for hit in outcome.hits]


def find(raw: str) -> search_service.SearchOutcome:
    return search_service.search_documents(raw)


def test_published_documents_are_found_current_version_first(
        db_session: Session, sample: dict[str, Document]) -> None:
    outcome = find("政府信息公开实施办法")
    assert ids(outcome)[:2] == [sample["regulation"].id, sample["old"].id]
    assert outcome.hits[0].agency_name == "示例市人民政府"
    assert find("示政发[2023]7号").hits[0].id == sample["regulation"].id
    traditional = find("公務用車")
    assert ids(traditional) == [sample["cars"].id]
    assert "<mark>公務用車</mark>" in traditional.hits[0].snippet


def test_other_features_search_with_or_without_a_session(
        db_session: Session, sample: dict[str, Document]) -> None:
    # 依申请公开 handlers look for the documents a request names (requests feature).
    related = search_service.related_documents("示政发〔2023〕7号", size=10)
    assert ids(related)[0] == sample["regulation"].id
    composed = search_service.search(db_session, "示政发〔2023〕7号", size=10, log_query=False)
    assert ids(composed) == ids(related)


def test_withdrawing_and_deleting_remove_from_the_index(
        db_session: Session, sample: dict[str, Document]) -> None:
    news_id = sample["news"].id
    with unit_of_work() as session:
        sample["cars"].status = PublicationStatus.WITHDRAWN
        enqueue(session, sample["cars"].id)
        session.delete(sample["news"])
        enqueue(session, news_id)
    report = search_index.process_outbox()
    assert (report.deleted, report.failed) == (2, 0)
    assert find("公务用车").total == 0
    assert find("推进会").total == 0
    assert db_session.scalar(select(SearchOutbox.id)) is None


def test_scheduled_updates_wait_until_due(db_session: Session, indexed: Callable[..., Any]) -> None:
    indexed(title="无关文件")
    with unit_of_work() as session:
        future = make_document(session, title="明年施行的规定", published_on=dt.date(2024, 1, 1))
        session.execute(delete(SearchOutbox))
        enqueue(session, future.id, not_before=dt.datetime(2999, 1, 1))
    search_index.process_outbox()
    assert find("明年施行").total == 0
    search_index.process_outbox(now=dt.datetime(2999, 1, 2))
    assert find("明年施行").total == 1


def test_engine_down_loses_nothing_and_search_degrades(
        app: Flask, db_session: Session, sample: dict[str, Document]) -> None:
    whoosh = search_index.get_backend()
    app.config.update(SEARCH_BACKEND="elasticsearch", ELASTICSEARCH_URL=DOWN_URL)
    app.extensions[search_index.EXTENSION_KEY] = search_index.make_backend(app.config)
    app.extensions[search_index.EXTENSION_KEY]._timeout = 1.0
    with unit_of_work() as session:
        document = make_document(session, title="停电期间发布的通知",
                                 published_on=dt.date(2024, 1, 1))

    report = search_index.process_outbox()
    assert report.failed == 1
    entry = db_session.scalars(select(SearchOutbox)).one()
    assert entry.attempts == 1
    assert entry.next_attempt_at > clock.utcnow()
    assert "Connection" in entry.last_error or "Elasticsearch" in entry.last_error

    outcome = find("政府信息公开实施办法")
    assert outcome.degraded == search_service.DEGRADED_DOWN
    assert {sample["regulation"].id, sample["old"].id} <= set(ids(outcome))

    # The engine is back: the kept entry is applied once due.
    app.extensions[search_index.EXTENSION_KEY] = whoosh
    later = clock.utcnow() + dt.timedelta(hours=2)
    assert search_index.process_outbox(now=later).indexed == 1
    assert ids(find("停电期间")) == [document.id]


def test_a_failing_update_marks_the_index_behind(
        app: Flask, db_session: Session, sample: dict[str, Document]) -> None:
    whoosh = search_index.get_backend()
    app.config.update(SEARCH_BACKEND="elasticsearch", ELASTICSEARCH_URL=DOWN_URL)
    app.extensions[search_index.EXTENSION_KEY] = search_index.make_backend(app.config)
    app.extensions[search_index.EXTENSION_KEY]._timeout = 1.0
    with unit_of_work() as session:
        make_document(session, title="停电期间发布的通知")
    assert search_index.process_outbox().failed == 1
    app.extensions[search_index.EXTENSION_KEY] = whoosh  # searches work, updates lag
    assert find("政府信息公开实施办法").degraded == search_service.DEGRADED_BEHIND


def test_backoff_doubles_up_to_the_cap() -> None:
    delays = [search_index.backoff(n, 30, 3600).total_seconds() for n in range(1, 10)]
    assert delays[:4] == [30, 60, 120, 240]
    assert max(delays) == 3600


def test_typos_pinyin_and_synonyms(db_session: Session, sample: dict[str, Document]) -> None:
    synonyms.seed_synonyms()
    cars = find("公车")
    assert ids(cars) == [sample["cars"].id]
    typo = find("政府信息公开实施办发")
    # Nothing has the words as typed: the page says so and offers the correction, whose
    # results are shown apart from (never in place of) the answer.
    assert (typo.total, typo.hits, typo.suggestion) == (0, [], "政府信息公开实施办法")
    assert typo.alternative is not None
    assert typo.alternative.kind == search_service.SUGGESTED
    assert typo.alternative.hits[0].id == sample["regulation"].id
    pinyin = find("zhengwu gongkai")
    assert (pinyin.total, pinyin.suggestion) == (0, "政务公开")
    assert pinyin.alternative is not None
    assert pinyin.alternative.hits[0].id == sample["news"].id


def test_synonyms_are_normalised_and_kept_once(db_session: Session) -> None:
    assert synonyms.add_synonym("社保卡", "社會保障卡") is True
    assert synonyms.add_synonym("社保卡", "社会保障卡") is False
    assert synonyms.synonym_map(db_session)["社保卡"] == ["社会保障卡"]
    with pytest.raises(InvalidInputError, match="不能相同"):
        synonyms.add_synonym("社保卡", "社保卡")
    assert synonyms.remove_synonym_pair("社保卡", "社會保障卡") is True
    assert "社保卡" not in synonyms.synonym_map(db_session)


@pytest.mark.parametrize(("raw", "message"), [("", "请输入"), ("政" * 201, "过长"),
                                               ("((*))", "没有可检索"), ("“政务", "引号")])
def test_bad_queries_give_messages(db_session: Session, raw: str, message: str) -> None:
    assert message in (find(raw).error or "")


def test_autocomplete_titles(db_session: Session, sample: dict[str, Document]) -> None:
    assert search_service.suggest_titles("关于规范") == ["关于规范公务用车管理的通知"]
    assert search_service.suggest_titles("  ") == []


def test_the_search_page_reads_the_query_and_the_popular_searches(
        db_session: Session, sample: dict[str, Document]) -> None:
    visit = search_service.search_page("", asked=False)
    assert (visit.outcome, visit.popular) == (None, [])
    empty = search_service.search_page("", asked=True)
    assert empty.outcome is not None
    assert "请输入" in (empty.outcome.error or "")
    found = search_service.search_page("政务公开", asked=True, filters={"category": "news"})
    assert found.outcome is not None
    assert ids(found.outcome) == [sample["news"].id]


def test_check_reports_missing_stale_and_extra(
        db_session: Session, sample: dict[str, Document]) -> None:
    assert search_index.check_index().ok
    with unit_of_work() as session:
        sample["cars"].title = "关于规范公务用车管理的通知（修订）"
        unindexed = make_document(session, title="尚未索引的文件")
        sample["news"].status = PublicationStatus.WITHDRAWN
    check = search_index.check_index()
    assert check.missing == [unindexed.id]
    assert check.stale == [sample["cars"].id]
    assert check.extra == [sample["news"].id]
    assert search_index.rebuild_index() == 4
    assert search_index.check_index().ok
    assert db_session.scalar(select(SearchOutbox.id)) is None


def test_check_repair_queues_every_difference(
        db_session: Session, sample: dict[str, Document]) -> None:
    with unit_of_work() as session:
        sample["news"].status = PublicationStatus.WITHDRAWN
        session.execute(delete(SearchOutbox))
    check = search_index.check_index(repair=True)
    assert (check.extra, check.queued) == ([sample["news"].id], True)
    assert db_session.scalars(select(SearchOutbox.document_id)).all() == [sample["news"].id]
    assert search_index.process_outbox().deleted == 1
    assert search_index.check_index().ok


def test_the_worker_indexes_documents_edited_after_it_read_them(
        app: Flask, db_session: Session, sample: dict[str, Document]) -> None:
    cars_id = sample["cars"].id  # loaded in this session, as a long-running worker has it
    with app.app_context(), unit_of_work() as other:  # the back office, another session
        edited = other.get(Document, cars_id)
        assert edited is not None
        edited.title = "关于规范机关公务用车使用登记的通知"
        enqueue(other, cars_id)
    assert search_index.process_outbox().indexed == 1
    assert ids(find("使用登记")) == [cars_id]
