"""`opengov index …`, `opengov synonyms …`, `opengov import-corpus` and the init step."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from opengov.site.catalog.models import Document, SearchOutbox
from opengov.site.catalog.rules.metadata import PublicationStatus, Validity
from opengov.site.catalog.service.outbox import enqueue
from opengov.site.cli import main
from opengov.site.db import unit_of_work
from opengov.site.search.models import Synonym
from opengov.site.search.service import index as search_index
from opengov.site.search.service import search as search_service
from opengov.site.search.service.setup import set_up_search
from opengov.site.search.service.synonyms import SEED_SYNONYMS
from tests.factories import make_document

MANIFEST_HEADER = ("path\ttitle\tdate\tissuing_body\tdoc_number\tsource_repo\tsource_commit\t"
                   "doc_type\tstatus\tsource_path\tsource_url\tchars\tnote\n")


def write_corpus(directory: Path) -> Path:
    (directory / "laws").mkdir(parents=True)
    (directory / "gov").mkdir()
    (directory / "laws" / "a.md").write_text(
        "# 中华人民共和国示例保护法\n\n2020年1月1日 主席令第1号公布\n\n<!-- INFO END -->\n\n"
        "## 第一章 总则\n\n第一条 为了保护示例，制定本法。\n", encoding="utf-8")
    (directory / "laws" / "a-old.md").write_text(
        "# 中华人民共和国示例保护法\n\n2010年1月1日公布\n\n<!-- INFO END -->\n\n第一条 旧法。\n",
        encoding="utf-8")
    (directory / "gov" / "b.md").write_text(
        "# 国务院办公厅关于示例工作的通知\n\n索引号：000014349/2018-00001\n发文字号：国办发〔2018〕9号\n\n---\n\n"
        "各省、自治区、直辖市人民政府：做好示例工作。\n", encoding="utf-8")
    rows = [
        "laws/a.md\t中华人民共和国示例保护法\t2020-01-01\t全国人民代表大会常务委员会\t\tr\tc\t法律\t有效\t\t\t10\t",
        "laws/a-old.md\t中华人民共和国示例保护法\t2010-01-01\t全国人民代表大会常务委员会\t\tr\tc\t法律\t已失效/被修订\t\t\t10\t",
        "gov/b.md\t国务院办公厅关于示例工作的通知\t2018-02-01\t国务院办公厅\t国办发〔2018〕9号\tr\tc\t国务院文件\t\t\t\t10\t"
        "索引号 000014349/2018-00001; gov.cn 发布日期 2018-02-03",
    ]
    (directory / "MANIFEST.tsv").write_text(MANIFEST_HEADER + "\n".join(rows) + "\n",
                                            encoding="utf-8")
    return directory


def test_import_corpus_is_idempotent_and_searchable(
        app: Flask, runner: FlaskCliRunner, db_session: Session, tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    first = runner.invoke(main, ["import-corpus", str(corpus)])
    assert first.exit_code == 0, first.output
    assert "新增 3 篇" in first.output
    second = runner.invoke(main, ["import-corpus", str(corpus)])
    assert "新增 0 篇，更新 0 篇，未变 3 篇" in second.output
    documents = {d.content_key: d for d in db_session.scalars(select(Document))}
    law, old, notice = (documents["corpus/laws/a"], documents["corpus/laws/a-old"],
                        documents["corpus/gov/b"])
    assert (law.validity, old.validity) == (Validity.VALID, Validity.AMENDED)
    assert law.agency.org_code == "007000001"
    assert law.index_no.startswith("007000001/2020-")  # type: ignore[union-attr]
    assert law.summary == "2020年1月1日 主席令第1号公布"
    assert law.body.startswith("## 第一章 总则")
    assert (notice.category.slug, notice.genre, str(notice.published_on)) == (
        "policies", "通知", "2018-02-03")
    assert notice.body == "各省、自治区、直辖市人民政府：做好示例工作。"
    assert db_session.scalar(select(func.count(SearchOutbox.id))) == 3

    search_index.get_backend().ensure_index()
    processed = runner.invoke(main, ["index", "process"])
    assert "已索引 3 篇" in processed.output
    assert search_service.search_documents("国办发2018年9号").hits[0].id == notice.id
    assert [h.id for h in search_service.search_documents("示例保护法").hits] == [law.id, old.id]


def test_import_corpus_names_the_bad_manifest(runner: FlaskCliRunner, tmp_path: Path) -> None:
    (tmp_path / "MANIFEST.tsv").write_text("path\ttitle\n", encoding="utf-8")
    result = runner.invoke(main, ["import-corpus", str(tmp_path)])
    assert result.exit_code != 0
    assert "MANIFEST.tsv" in result.output
    assert "缺少列" in result.output


def test_index_rebuild_check_and_repair(app: Flask, runner: FlaskCliRunner,
                                        db_session: Session) -> None:
    search_index.get_backend().ensure_index()
    with unit_of_work() as session:
        make_document(session, title="第一份文件")
        make_document(session, title="第二份文件")
    missing = runner.invoke(main, ["index", "check"])
    assert missing.exit_code == 1
    assert "索引中缺少：2 篇" in missing.output
    rebuilt = runner.invoke(main, ["index", "rebuild"])
    assert "已索引 2 篇文档" in rebuilt.output, rebuilt.output
    assert runner.invoke(main, ["index", "rebuild"]).exit_code == 0  # safe to run twice
    ok = runner.invoke(main, ["index", "check"])
    assert ok.exit_code == 0
    assert "一致" in ok.output
    with unit_of_work() as session:
        make_document(session, title="第三份文件")
        session.execute(delete(SearchOutbox))
    repaired = runner.invoke(main, ["index", "check", "--repair"])
    assert "已加入待处理队列" in repaired.output
    assert "已索引 1 篇" in runner.invoke(main, ["index", "process"]).output
    assert runner.invoke(main, ["index", "check"]).exit_code == 0


def test_synonym_commands(runner: FlaskCliRunner, db_session: Session) -> None:
    seeded = db_session.scalar(select(func.count(Synonym.id)))
    assert seeded == len(SEED_SYNONYMS)  # `opengov init` seeded them
    assert "已添加" in runner.invoke(main, ["synonyms", "add", "社保卡", "社會保障卡"]).output
    assert "已存在" in runner.invoke(main, ["synonyms", "add", "社保卡", "社会保障卡"]).output
    assert "社保卡 → 社会保障卡" in runner.invoke(main, ["synonyms", "list"]).output
    assert runner.invoke(main, ["synonyms", "add", "社保卡", "社保卡"]).exit_code != 0
    assert "已删除" in runner.invoke(main, ["synonyms", "remove", "社保卡", "社会保障卡"]).output
    assert db_session.scalar(select(func.count(Synonym.id))) == seeded


def test_init_creates_the_index_and_seeds_synonyms(app: Flask, db_session: Session) -> None:
    # The search step of `opengov init` (the rest of initialise() migrates the database).
    with unit_of_work() as session:
        make_document(session, title="初始化前已有的文件")
        session.execute(delete(Synonym))
    lines = set_up_search()
    assert f"搜索同义词已就绪（新增 {len(SEED_SYNONYMS)} 条）。" in lines
    assert any("搜索索引（whoosh）已建立，收录 1 篇" in line for line in lines)
    assert search_index.get_backend().count() == 1
    assert db_session.scalar(select(func.count(Synonym.id))) == len(SEED_SYNONYMS)
    again = set_up_search()
    assert any("新增 0 条" in line for line in again)
    assert any("已就绪，现有 1 篇" in line for line in again)


def test_process_purges_withdrawn_text(runner: FlaskCliRunner, db_session: Session) -> None:
    backend = search_index.get_backend()
    backend.ensure_index()
    with unit_of_work() as session:
        document = make_document(session, title="含个人信息须撤回的文件")
    runner.invoke(main, ["index", "process"])
    with unit_of_work() as session:
        document.status = PublicationStatus.WITHDRAWN
        enqueue(session, document.id)
    result = runner.invoke(main, ["index", "process"])
    assert "已移除 1 篇" in result.output
    with backend._open().reader() as reader:  # type: ignore[attr-defined]
        assert "撤回" not in {term.decode() for term in reader.lexicon("title")}
    assert "已清理" in runner.invoke(main, ["index", "purge"]).output


def test_process_fails_while_the_engine_is_down(app: Flask, runner: FlaskCliRunner,
                                                db_session: Session) -> None:
    app.config.update(SEARCH_BACKEND="elasticsearch", ELASTICSEARCH_URL="http://127.0.0.1:9")
    backend = search_index.make_backend(app.config)
    backend._timeout = 1.0  # type: ignore[attr-defined]
    app.extensions[search_index.EXTENSION_KEY] = backend
    with unit_of_work() as session:
        make_document(session, title="停电期间发布的通知")
    result = runner.invoke(main, ["index", "process"])
    assert result.exit_code == 1
    assert "失败待重试 1 条" in result.output
    assert "搜索引擎错误" in result.output
    assert runner.invoke(main, ["index", "rebuild"]).exit_code != 0


def test_the_watching_worker_indexes_what_is_published_meanwhile(
        app: Flask, runner: FlaskCliRunner) -> None:
    """`opengov index process --watch` beside the site: a document published after the
    worker started becomes searchable within seconds; SIGTERM stops it after its round."""
    with app.app_context():
        search_index.get_backend().ensure_index()
    published: list[int] = []
    found: list[int] = []

    def ignore(_signal: int, _frame: object) -> None:
        """Keeps a stray SIGTERM from ending pytest."""

    def worker_listens() -> bool:
        deadline = time.monotonic() + 20
        while signal.getsignal(signal.SIGTERM) is ignore and time.monotonic() < deadline:
            time.sleep(0.05)
        return signal.getsignal(signal.SIGTERM) is not ignore

    def publish_and_look() -> None:
        try:
            if not worker_listens():
                return
            time.sleep(0.5)  # a few idle rounds first: they must not blind the worker
            with app.app_context():
                with unit_of_work() as session:
                    published.append(make_document(session, title="工作进程期间发布的通知").id)
                deadline = time.monotonic() + 20
                while not found and time.monotonic() < deadline:
                    found.extend(h.id for h in search_service.search_documents("工作进程期间").hits)
                    time.sleep(0.1)
        finally:
            os.kill(os.getpid(), signal.SIGTERM)

    previous = signal.signal(signal.SIGTERM, ignore)
    helper = threading.Thread(target=publish_and_look)
    try:
        helper.start()
        result = runner.invoke(main, ["index", "process", "--watch", "0.2"])
    finally:
        helper.join(timeout=30)
        signal.signal(signal.SIGTERM, previous)
    assert result.exit_code == 0, result.output
    assert "已索引 1 篇" in result.output
    assert "已停止" in result.output
    assert found == published


def search_check(client: FlaskClient) -> tuple[str, str]:
    """The level and detail of the readiness check of the search engine."""
    checks = client.get("/healthz/ready").get_json()["checks"]
    (search,) = [check for check in checks if check["name"] == "search"]
    return search["level"], search["detail"]


def test_readiness_and_the_worker_restore_a_lost_index(
        app: Flask, runner: FlaskCliRunner, db_session: Session, client: FlaskClient) -> None:
    with unit_of_work() as session:
        make_document(session, title="关于公务用车管理的通知")
    search_index.get_backend().ensure_index()
    search_index.process_outbox()
    assert search_check(client) == ("ok", "whoosh，已收录 1 篇")
    pointer = Path(app.config["WHOOSH_INDEX_DIR"]) / "CURRENT"
    pointer.unlink()  # the index is gone (a disk replaced, a folder deleted)
    assert client.get("/healthz/ready").status_code == 503
    level, detail = search_check(client)
    assert level == "error"
    assert "没有搜索索引（应收录 1 篇）" in detail
    processed = runner.invoke(main, ["index", "process"])
    assert processed.exit_code == 0, processed.output
    assert "已重建：1 篇" in processed.output
    assert search_check(client) == ("ok", "whoosh，已收录 1 篇")
    assert search_service.search_documents("公务用车").total == 1
