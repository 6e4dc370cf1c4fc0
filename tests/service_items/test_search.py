"""Service items and powers in the site search, through the index sources (issue 14): queued
with their changes, found with their own 类型, gone when withdrawn, rebuilt and checked like
documents; and a citizen's question finds the guide first and the law behind it next."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.orm import Session

from opengov.site.accounts.models import User
from opengov.site.audit.service import COMMAND_LINE
from opengov.site.cli import main
from opengov.site.config import PROJECT_ROOT
from opengov.site.content.service.corpus import import_corpus
from opengov.site.db import get_session
from opengov.site.search.service import index as search_index
from opengov.site.search.service import search as search_service
from opengov.site.service_items.service import editorial
from tests.conftest import SHARED
from tests.service_items.conftest import Publisher, marriage_guide


@pytest.fixture
def engine(app: Flask, db_session: Session) -> None:
    search_index.get_backend().ensure_index()


def test_a_published_item_is_found_with_its_own_type(
        engine: None, client: FlaskClient, publish_item: Publisher,
        staff: dict[str, User]) -> None:
    item_id = publish_item()
    report = search_index.process_outbox()
    assert report.indexed >= 1
    data = client.get("/api/v1/search?q=结婚登记").get_json()
    [hit] = data["results"]
    assert (hit["kind"], hit["kind_label"], hit["id"]) == ("service_item", "办事指南", item_id)
    assert hit["url"] == f"http://localhost/service-items/{item_id}"  # from SITE_DOMAIN
    assert data["facets"]["kind"] == [{"value": "service_item", "label": "办事指南", "count": 1}]
    page = client.get("/search?q=结婚登记&kind=service_item").get_data(as_text=True)
    assert "类型" in page
    assert f'href="/service-items/{item_id}"' in page
    assert '<span class="badge kind-badge">办事指南</span>' in page
    assert client.get("/api/v1/search?q=结婚登记&kind=document").get_json()["total"] == 0

    editorial.withdraw_item(staff["reviewer"], item_id, reason="事项取消", origin=COMMAND_LINE)
    report = search_index.process_outbox()
    assert report.deleted == 1
    assert client.get("/api/v1/search?q=结婚登记").get_json()["total"] == 0


def test_rebuild_and_check_cover_every_kind(
        engine: None, app: Flask, runner: FlaskCliRunner, publish_item: Publisher) -> None:
    item_id = publish_item()
    assert runner.invoke(main, ["import-content", str(PROJECT_ROOT / "content")]).exit_code == 0
    assert runner.invoke(main, ["import-powers", str(PROJECT_ROOT / "content")]).exit_code == 0
    count = search_index.rebuild_index()
    assert count == search_index.count_public() >= 1 + 65
    assert search_index.check_index().ok
    search_index.get_backend().delete([f"service_item:{item_id}"])
    check = search_index.check_index(repair=True)
    assert check.missing == [f"service_item:{item_id}"]
    assert check.queued
    search_index.process_outbox()
    assert search_index.check_index().ok
    result = runner.invoke(main, ["index", "check"])
    assert "搜索索引与数据库一致" in result.output


CORPUS_LAWS = ["婚姻登记条例", "中华人民共和国户口登记条例", "中国公民收养子女登记办法",
               "中华人民共和国母婴保健法实施办法", "中华人民共和国居民身份证法",
               "中华人民共和国食品安全法", "中华人民共和国社会保险法"]


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    """A few real laws of the shared corpus, in its own layout."""
    source = SHARED / "corpus"
    target = tmp_path / "corpus"
    with (source / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        fields = reader.fieldnames or []
        rows = [row for row in reader if row["title"] in CORPUS_LAWS]
    target.mkdir()
    with (target / "MANIFEST.tsv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields, delimiter="\t", quoting=csv.QUOTE_NONE,
                                lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            (target / row["path"]).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source / row["path"], target / row["path"])
    return target


def test_a_question_finds_the_guide_first_and_the_law_next(
        engine: None, app: Flask, runner: FlaskCliRunner, small_corpus: Path) -> None:
    content = str(PROJECT_ROOT / "content")
    for args in (["import-content", content], ["import-service-items", content],
                 ["import-powers", content]):
        assert runner.invoke(main, args).exit_code == 0
    import_corpus(small_corpus)
    search_index.rebuild_index()

    def top(query: str, count: int = 2) -> list[tuple[str, str]]:
        outcome = search_service.search(get_session(), query, log_query=False)
        return [(hit.kind, hit.title) for hit in outcome.hits[:count]]

    assert top("结婚登记要带什么证件") == [("service_item", "内地居民结婚登记"),
                                   ("document", "婚姻登记条例")]
    assert top("开饭店要办什么证", 1) == [("service_item", "食品经营许可（含餐饮服务）")]
    assert top("新生儿怎么上户口", 1) == [("service_item", "出生登记（新生儿落户）")]
    assert top("失业了怎么领失业金", 1) == [("service_item", "失业保险金申领")]
    assert top("农村盖房子要办什么手续", 1) == [("service_item", "农村村民住宅用地审批")]
    # The 设定依据 of the guide now links to the imported law.
    item = search_service.search(get_session(), "内地居民结婚登记", log_query=False).hits[0]
    page = app.test_client().get(f"/service-items/{item.id}").get_data(as_text=True)
    assert "《婚姻登记条例》</a>" in page


def test_unpublished_drafts_stay_out(engine: None, agencies: dict[str, int],
                                     staff: dict[str, User],
                                     client: FlaskClient) -> None:
    editorial.create_item(staff["editor"], agency_id=agencies["mzj"], code="SL-MZ-001",
                          guide=marriage_guide(), note="", origin=COMMAND_LINE)
    search_index.process_outbox()
    assert client.get("/api/v1/search?q=结婚登记").get_json()["total"] == 0

