"""import-content against the real content/ on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from opengov.site.agencies.models import Agency
from opengov.site.catalog.models import Document, SearchOutbox
from opengov.site.catalog.rules.metadata import PublicationStatus
from opengov.site.cli import main
from opengov.site.content.rules import body_hash
from opengov.site.content.service.files import read_document, serialise_document
from opengov.site.content.service.importer import (
    ContentImportError,
    import_directory,
    to_content_document,
)
from opengov.site.db import unit_of_work
from tests.content.conftest import (
    CONTENT,
    DEGRADED_COPY,
    INTERPRETATION,
    POLICY,
    SERVICE,
    SERVICE_COPY,
    document_file,
)
from tests.factories import make_document

UNIQUE_FILES = len(list((CONTENT / "documents").glob("*.md"))) - 2


def count(session: Session, model: type[object]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def by_key(session: Session, key: str) -> Document:
    return session.scalars(select(Document).where(Document.content_key == key)).one()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_imports_every_file_and_reports_the_two_duplicates(db_session: Session) -> None:
    report = import_directory(CONTENT)

    assert len(report.created) == UNIQUE_FILES == 11
    assert sorted(report.agencies_created) == ["czj", "gaj", "gov", "mzj", "qsz", "rsj", "scjgj",
                                               "wjw", "zjj", "zwfw"]
    messages = [duplicate.message() for duplicate in report.duplicates]
    assert messages[0].startswith(f"重复：{document_file(CONTENT, DEGRADED_COPY)} 与 "
                                  f"{document_file(CONTENT, INTERPRETATION)} 内容近似（相似度 0.9")
    assert messages[0].endswith("），未导入")
    assert messages[1] == (f"重复：{document_file(CONTENT, SERVICE_COPY)} 与 "
                           f"{document_file(CONTENT, SERVICE)} 内容相同，未导入")
    assert count(db_session, Document) == 11
    assert db_session.scalars(select(Document).where(
        Document.content_key.in_([DEGRADED_COPY, SERVICE_COPY]))).all() == []

    for document in db_session.scalars(select(Document)):
        assert document.status == PublicationStatus.PUBLISHED
        assert document.body_hash == body_hash(document.body)
        assert document.index_no
        assert document.index_no.startswith(document.agency.org_code + "/")
    policy = by_key(db_session, POLICY)
    assert (policy.doc_number, policy.category.slug, policy.index_no) == \
        ("中办发〔2011〕22号", "policies", "007000001/2011-00001")
    assert by_key(db_session, "2010-nongcun-jinrong-chuangxin-dajizhewen").agency.code == "czj"
    queued = set(db_session.scalars(select(SearchOutbox.document_id)))
    assert queued == set(db_session.scalars(select(Document.id)))
    guide = db_session.scalars(select(Agency).where(Agency.code == "qsz")).one()
    assert guide.parent is not None
    assert guide.parent.code == "gov"
    assert "依申请公开" in guide.guide_markdown


def test_interpretations_are_linked_both_ways(db_session: Session) -> None:
    import_directory(CONTENT)
    policy, interpretation = by_key(db_session, POLICY), by_key(db_session, INTERPRETATION)
    assert policy.interpretations == [interpretation]
    assert interpretation.policies == [policy]


def test_second_import_changes_nothing(db_session: Session) -> None:
    import_directory(CONTENT)
    queued = count(db_session, SearchOutbox)

    again = import_directory(CONTENT)
    assert (again.created, again.changed, again.agencies_created, again.agencies_changed) == \
        ([], [], [], [])
    assert len(again.unchanged) == 11
    assert len(again.duplicates) == 2
    assert count(db_session, Document) == 11
    assert count(db_session, SearchOutbox) == queued
    assert again.lines()[-1] == "文档：新建 0 篇，更新 0 篇，未变 11 篇，重复未导入 2 篇。"


def test_reimport_after_an_edit_updates_in_place(db_session: Session, content_copy: Path) -> None:
    import_directory(content_copy)
    policy = by_key(db_session, POLICY)
    policy_id, index_no, queued = policy.id, policy.index_no, count(db_session, SearchOutbox)

    edit(document_file(content_copy, POLICY), "validity: 有效", "validity: 已修改")
    edit(document_file(content_copy, POLICY), "\n**1. 深化政务公开", "\n新增的一段。\n\n**1. 深化政务公开")
    report = import_directory(content_copy)

    assert report.changed == [POLICY]
    assert report.created == []
    db_session.expire_all()
    policy = by_key(db_session, POLICY)
    assert (policy.id, policy.index_no, policy.validity.value) == (policy_id, index_no, "已修改")
    assert "新增的一段。" in policy.body
    assert policy.body_hash == body_hash(policy.body)
    assert count(db_session, SearchOutbox) == queued + 1
    assert count(db_session, Document) == 11


def test_a_changed_index_no_is_refused_and_nothing_is_written(
        db_session: Session, content_copy: Path) -> None:
    import_directory(content_copy)
    path = document_file(content_copy, POLICY)
    edit(path, "index_no: 007000001/2011-00001", "index_no: 007000001/2011-00009")
    edit(path, "title: 关于深化政务公开加强政务服务的意见", "title: 改过的标题")

    with pytest.raises(ContentImportError) as caught:
        import_directory(content_copy)
    assert f"{path}：字段 index_no（索引号）不能变更：已编制为 007000001/2011-00001" in str(caught.value)
    assert by_key(db_session, POLICY).title == "关于深化政务公开加强政务服务的意见"


def test_a_missing_index_no_is_issued_once(db_session: Session, content_copy: Path) -> None:
    path = document_file(content_copy, POLICY)
    edit(path, "index_no: 007000001/2011-00001\n", "")
    report = import_directory(content_copy)
    # The interpretation's 2011-00002 is registered before any is issued: the next is 00003.
    assert report.issued_index_nos == {POLICY: "007000001/2011-00003"}
    assert by_key(db_session, POLICY).index_no == "007000001/2011-00003"

    again = import_directory(content_copy)
    assert again.issued_index_nos == {}
    assert again.changed == []
    assert by_key(db_session, POLICY).index_no == "007000001/2011-00003"


def test_index_no_taken_by_another_document_is_refused(
        db_session: Session, content_copy: Path) -> None:
    with unit_of_work() as session:
        other = make_document(session, index_no="007000001/2011-00001")
    with pytest.raises(ContentImportError) as caught:
        import_directory(content_copy)
    assert caught.value.problems == [
        f"{document_file(content_copy, POLICY)}：字段 index_no（索引号）007000001/2011-00001 "
        f"已属于数据库文档 #{other.id}《{other.title}》"]


def test_index_no_used_twice_in_the_batch_is_refused(db_session: Session,
                                                     content_copy: Path) -> None:
    edit(document_file(content_copy, INTERPRETATION), "index_no: 007000001/2011-00002",
         "index_no: 007000001/2011-00001")
    with pytest.raises(ContentImportError, match=r"index_no（索引号）007000001/2011-00001 与 .*重复"):
        import_directory(content_copy)


def test_bad_files_abort_the_whole_import_with_every_problem(
        db_session: Session, content_copy: Path) -> None:
    edit(document_file(content_copy, POLICY), "category: policies", "category: speeches")
    edit(document_file(content_copy, SERVICE), "published_on: 2013-06-01", "published_on: 2013-02-30")
    with pytest.raises(ContentImportError) as caught:
        import_directory(content_copy)
    assert len(caught.value.problems) == 2
    assert f"{document_file(content_copy, POLICY)}：字段 category（栏目）" in caught.value.problems[0]
    assert "字段 published_on（发布日期）" in caught.value.problems[1]
    assert count(db_session, Document) == 0
    assert count(db_session, Agency) == 0


def test_interprets_must_name_an_existing_policy(db_session: Session, content_copy: Path) -> None:
    edit(document_file(content_copy, INTERPRETATION), f"- {POLICY}", "- no-such-policy")
    with pytest.raises(ContentImportError, match=r"interprets.*no-such-policy"):
        import_directory(content_copy)


def test_a_file_copying_a_document_already_in_the_database_is_not_imported(
        db_session: Session) -> None:
    original = read_document(document_file(CONTENT, "2011-zhengwu-gongkai-zongshu"))
    with unit_of_work() as session:
        existing = make_document(session, title="已有的综述",
                                 body=original.body.replace("。", "."))

    report = import_directory(CONTENT)
    assert [(d.path, d.original, d.score) for d in report.duplicates if d.original.startswith("数据库")] \
        == [(str(document_file(CONTENT, "2011-zhengwu-gongkai-zongshu")),
             f"数据库文档 #{existing.id}《已有的综述》", 1.0)]
    assert len(report.created) == 10


def test_cli_prints_the_summary_and_fails_cleanly(app: Flask, runner: FlaskCliRunner,
                                                  content_copy: Path) -> None:
    result = runner.invoke(main, ["import-content", str(content_copy)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert re.match(r"重复：.*2011-gongkai-ying-gongxin-jiedu-zhi-er\.md 与 .*内容近似（相似度 0\.9\d）", lines[0])
    assert lines[-2:] == ["机关：新建 10 个，更新 0 个。",
                          "文档：新建 11 篇，更新 0 篇，未变 0 篇，重复未导入 2 篇。"]

    again = runner.invoke(main, ["import-content", str(content_copy)])
    assert again.output.splitlines()[-1] == "文档：新建 0 篇，更新 0 篇，未变 11 篇，重复未导入 2 篇。"

    edit(document_file(content_copy, POLICY), "genre: 意见", "genre: 散文")
    failed = runner.invoke(main, ["import-content", str(content_copy)])
    assert failed.exit_code == 1
    assert "字段 genre（体裁）未知体裁：“散文”" in failed.output
    assert "导入失败：1 个问题，未写入任何内容。" in failed.output


def test_database_to_file_round_trip_is_exact(db_session: Session) -> None:
    """Everything but the file-only ``seed`` and ``notes`` survives the database unchanged,
    which is what an export needs."""
    report = import_directory(CONTENT)
    for key in report.created:
        path = document_file(CONTENT, key)
        original = read_document(path)
        exported = to_content_document(by_key(db_session, key), original)
        assert serialise_document(exported) == path.read_text(encoding="utf-8"), key
    bare = to_content_document(by_key(db_session, INTERPRETATION))
    assert (bare.seed, bare.notes, bare.interprets) == ("", "", (POLICY,))


def test_too_long_values_are_refused_before_writing(db_session: Session,
                                                    content_copy: Path) -> None:
    edit(document_file(content_copy, POLICY), "issuer: 中共中央办公厅、国务院办公厅",
         "issuer: " + "很长的机关名称" * 30)
    with pytest.raises(ContentImportError) as caught:
        import_directory(content_copy)
    assert caught.value.problems == [f"{document_file(content_copy, POLICY)}：字段 issuer（发文机关）"
                                     "过长：210 个字符，最多 200 个"]


def test_documents_whose_file_is_gone_are_reported_not_deleted(
        db_session: Session, content_copy: Path) -> None:
    import_directory(content_copy)
    document_file(content_copy, "2011-zhengwu-gongkai-zongshu").unlink()
    report = import_directory(content_copy)
    assert report.missing == ["2011-zhengwu-gongkai-zongshu"]
    assert "数据库中有 1 篇内容文档已无对应文件（未删除，请在后台处理）：2011-zhengwu-gongkai-zongshu" \
        in report.lines()
    assert count(db_session, Document) == 11


def test_index_nos_in_files_are_registered_before_new_ones_are_issued(
        db_session: Session, content_copy: Path) -> None:
    # The interpretation sorts before its policy, which holds 2011-00001 in its file.
    edit(document_file(content_copy, INTERPRETATION), "index_no: 007000001/2011-00002\n", "")
    report = import_directory(content_copy)
    assert report.issued_index_nos == {INTERPRETATION: "007000001/2011-00002"}
    assert by_key(db_session, POLICY).index_no == "007000001/2011-00001"


def test_removing_interprets_unlinks_both_ways(db_session: Session, content_copy: Path) -> None:
    import_directory(content_copy)
    queued = count(db_session, SearchOutbox)
    edit(document_file(content_copy, INTERPRETATION), f"interprets:\n- {POLICY}\n", "")
    report = import_directory(content_copy)
    assert report.changed == [INTERPRETATION]
    db_session.expire_all()
    assert by_key(db_session, POLICY).interpretations == []
    assert by_key(db_session, INTERPRETATION).policies == []
    assert count(db_session, SearchOutbox) == queued + 2  # the interpretation and its policy
