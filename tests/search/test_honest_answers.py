"""What the search answers when nothing, or little, matches what was typed (issue 18 item 2),
and where its vocabulary comes from: a real Whoosh index, documents published through the
catalog and applied by the index worker's outbox."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from opengov.site.catalog.models import Document
from opengov.site.catalog.rules.metadata import Validity
from opengov.site.search.service import search as search_service
from opengov.site.search.service import vocabulary
from opengov.site.search.service.worker import process_pending


@pytest.fixture
def laws(indexed: Callable[..., Document]) -> dict[str, Document]:
    return {
        "tax": indexed(title="中华人民共和国个人所得税法", doc_number="中华人民共和国主席令第九号",
                       body="在中国境内有住所的个人，依照本法规定缴纳个人所得税。",
                       published_on=dt.date(2018, 8, 31)),
        "petition_old": indexed(title="信访条例", validity=Validity.EXPIRED,
                                body="为了保持各级人民政府同人民群众的密切联系，制定本条例。",
                                published_on=dt.date(2005, 1, 10)),
        "petition": indexed(title="信访工作条例", body="做好新时代信访工作，维护群众合法权益。",
                            published_on=dt.date(2022, 2, 25)),
        "cars": indexed(title="关于规范公务用车管理的通知", body="严控公务用车编制，压减三公经费。",
                        published_on=dt.date(2024, 6, 1)),
    }


def find(raw: str) -> search_service.SearchOutcome:
    return search_service.search_documents(raw)


def test_an_abbreviation_is_searched_with_its_full_name_and_says_so(
        db_session: Session, laws: dict[str, Document]) -> None:
    outcome = find("个税法")
    assert outcome.hits[0].id == laws["tax"].id
    assert outcome.expansions == [("个税法", ["个人所得税法"])]
    assert outcome.suggestion is None  # never replaced by 关税法 or anything else


def test_the_current_text_of_a_family_comes_first_the_expired_stays_findable(
        db_session: Session, laws: dict[str, Document]) -> None:
    family = [hit.id for hit in find("信访").hits]
    assert family[:2] == [laws["petition"].id, laws["petition_old"].id]
    exact = find("信访条例").hits[0]
    assert (exact.id, exact.validity) == (laws["petition_old"].id, "失效")


def test_nothing_matching_says_so_and_a_relaxed_match_is_apart_and_names_what_it_lacks(
        db_session: Session, laws: dict[str, Document]) -> None:
    outcome = find("公务用车 三公经费 编制 改革")
    assert (outcome.total, outcome.hits) == (0, [])
    assert outcome.alternative is not None
    assert outcome.alternative.kind == search_service.RELAXED
    assert outcome.alternative.kept == ["公务用车", "三公经费", "编制"]
    assert outcome.alternative.missing == ["改革"]
    assert [hit.id for hit in outcome.alternative.hits] == [laws["cars"].id]
    # The word no document has is what the query is about: no relaxed match then.
    assert find("公务用车 住房公积金").alternative is None


def test_a_query_nothing_answers_gets_nothing(db_session: Session,
                                             laws: dict[str, Document]) -> None:
    for raw in ("周杰伦演唱会门票", "iPhone 16 Pro Max 价格", "比特币挖矿教程"):
        outcome = find(raw)
        assert (outcome.total, outcome.alternative, outcome.suggestion) == (0, None, None), raw


def test_a_suggestion_needs_markedly_more_support_and_is_shown_apart(
        db_session: Session, laws: dict[str, Document]) -> None:
    typo = find("信访工作条列")
    assert typo.total == 0
    assert typo.suggestion == "信访工作条例"
    assert typo.alternative is not None
    assert typo.alternative.kind == search_service.SUGGESTED
    assert typo.alternative.hits[0].id == laws["petition"].id
    right = find("信访工作")
    assert right.total >= 1
    assert (right.suggestion, right.alternative) == (None, None)


def test_the_page_keeps_what_comes_closest_apart_from_the_answer(
        client: FlaskClient, laws: dict[str, Document]) -> None:
    html = client.get("/search?q=公务用车 三公经费 编制 改革").get_data(as_text=True)
    assert "没有找到与“公务用车 三公经费 编制 改革”相符的政府信息" in html
    assert "部分相关的结果（不是完整的答案）" in html
    assert "但不含“改革”" in html
    assert "同时搜索了" not in html
    expanded = client.get("/search?q=个税法").get_data(as_text=True)
    assert "同时搜索了：个税法（个人所得税法）" in expanded
    api = client.get("/api/v1/search?q=公务用车 三公经费 编制 改革").get_json()
    assert (api["total"], api["results"]) == (0, [])
    assert api["alternative"]["kind"] == "relaxed"
    assert api["alternative"]["missing"] == ["改革"]
    assert api["alternative"]["results"][0]["id"] == laws["cars"].id


def test_the_vocabulary_is_a_snapshot_the_worker_writes_and_searches_only_load(
        app: Flask, db_session: Session, indexed: Callable[..., Document]) -> None:
    indexed(title="中华人民共和国环境影响评价法")  # applied by the outbox: snapshot written
    path = vocabulary.snapshot_path()
    written = path.stat().st_mtime_ns
    assert "环评法" in vocabulary.current_vocabulary(db_session).abbreviations
    assert find("环评法").hits  # through the derived abbreviation
    os.utime(path, ns=(written, written))
    process_pending()  # nothing changed: the snapshot is left alone
    assert path.stat().st_mtime_ns == written
    indexed(title="中华人民共和国职业教育法")
    assert path.stat().st_mtime_ns != written
    assert "职教法" in vocabulary.current_vocabulary(db_session).abbreviations
