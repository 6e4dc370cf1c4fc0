"""export-content: the database back into the content/ format, and round trips through a
fresh database, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import filecmp
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from opengov.site import clock, create_app
from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.agencies.models import Agency
from opengov.site.audit.service import Origin
from opengov.site.catalog.models import Category, Document, SearchOutbox
from opengov.site.catalog.rules.metadata import Disclosure, PublicationStatus, Validity
from opengov.site.catalog.service import attachments, editorial
from opengov.site.catalog.service import guides as site_content
from opengov.site.cli import main
from opengov.site.content.service.exporter import export_directory
from opengov.site.content.service.files import ContentFileError, parse_document
from opengov.site.content.service.importer import (
    ContentImportError,
    ImportReport,
    import_content,
    import_directory,
)
from opengov.site.db import get_session, unit_of_work
from tests.conftest import base_config
from tests.content.conftest import CONTENT, INTERPRETATION, POLICY, document_file

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(32))
ORIGIN = Origin(ip="127.0.0.1")
#: What an import must carry over, beside the body and the links.
CATALOG_FIELDS = ("title", "summary", "genre", "issuer", "doc_number", "index_no",
                  "date_written", "changed_on", "published_on", "effective_on", "repealed_on",
                  "topic", "keywords", "validity", "disclosure", "non_disclosure_reason",
                  "source", "status")


@pytest.fixture
def fresh_app(request: pytest.FixtureRequest, tmp_path: Path,
              database_url: str) -> Iterator[Flask]:
    """A second, empty migrated database of the same kind as ``app``'s."""
    if database_url.startswith("sqlite"):
        path = tmp_path / "fresh.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    else:
        server = request.getfixturevalue("postgres_server")
        admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
        name = f"opengov_fresh_{tmp_path.name}".lower().replace("-", "_")[:60]
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE opengov_template'))
        admin.dispose()
        url = server.url(name)
    fresh = create_app(base_config(tmp_path / "fresh-instance", url))
    yield fresh
    from opengov.site.db import EXTENSION_KEY

    fresh.extensions[EXTENSION_KEY].engine.dispose()


def upload_dir(app: Flask) -> Path:
    return Path(app.config["UPLOAD_DIR"])


def _user(session: Session, name: str, *roles: Role) -> User:
    user = User(username=name, display_name=name, password_hash="x", roles=list(roles))
    session.add(user)
    session.flush()
    return user


def _agency_id(session: Session, code: str) -> int:
    return session.scalars(select(Agency.id).where(Agency.code == code)).one()


def _category_id(session: Session, slug: str) -> int:
    return session.scalars(select(Category.id).where(Category.slug == slug)).one()


def _write(session: Session, app: Flask, editor: User, reviewer: User, *, title: str,
           category: str, files: list[tuple[bytes, str]], publish: bool = True,
           publish_on: dt.date | None = None, **fields: Any) -> Document:
    data = editorial.DocumentData(
        title=title, agency_id=_agency_id(session, "czj"),
        category_id=_category_id(session, category), topic="财政、金融、审计\\财政",
        genre="行政规范性文件", issuer="示例市财政局", doc_number="示财规〔2026〕3号",
        date_written=dt.date(2026, 1, 5), effective_on=dt.date(2026, 2, 1),
        keywords="预算管理、绩效", summary="规范预算绩效管理。",
        # Near-duplicate bodies on purpose: published documents may resemble each other,
        # and the import must not hold one back as a copy.
        body=f"## 一、总则\r\n\r\n第一条 为规范预算绩效管理，制定本办法。\r\n\r\n{title}。",
        **fields)
    document = editorial.create(session, data, actor=editor, origin=ORIGIN)
    for content, name in files:
        attachment = attachments.save(session, document, content, name,
                                      upload_dir=upload_dir(app), max_bytes=10**6,
                                      actor=editor, origin=ORIGIN)
        document.body += "\n\n" + attachments.markdown_reference(
            attachment, f"/attachments/{attachment.id}")
    if publish:
        editorial.transition(session, document, "submit", actor=editor, origin=ORIGIN)
        editorial.transition(session, document, "approve", actor=reviewer, origin=ORIGIN,
                             opinion="同意发布")
        editorial.transition(session, document, "publish", actor=reviewer, origin=ORIGIN,
                             publish_on=publish_on)
    session.flush()
    return document


def populate(app: Flask) -> dict[str, int]:
    """The real content/ plus editor-made documents: a policy with a PDF and an embedded
    image (Chinese names), its interpretation (repealed later), a draft and a withdrawn one."""
    with app.app_context(), unit_of_work() as session:
        import_content(session, CONTENT, upload_dir=upload_dir(app))
        editor = _user(session, "editor", Role.EDITOR)
        reviewer = _user(session, "reviewer", Role.REVIEWER)
        news = session.scalars(select(Category).where(Category.slug == "news")).one()
        site_content.update_category(session, news, "本市政务要闻。\n\n**每个工作日更新。**",
                                     actor=reviewer, origin=ORIGIN)
        policy = _write(session, app, editor, reviewer, title="示例市预算绩效管理办法",
                        category="policies",
                        files=[(PDF, "示例市预算绩效管理办法（全文）.pdf"), (PNG, "流程图.png")])
        imported_policy = session.scalars(
            select(Document).where(Document.content_key == POLICY)).one()
        interpretation = _write(
            session, app, editor, reviewer, title="《示例市预算绩效管理办法》解读",
            category="interpretations", files=[(PNG, "图解.png")],
            policy_ids=[policy.id, imported_policy.id], source="示例市财政局",
            changed_on=dt.date(2026, 1, 6))
        editorial.transition(session, interpretation, "repeal", actor=reviewer,
                             origin=ORIGIN, opinion="已被新解读替代")
        scheduled = _write(session, app, editor, reviewer, title="定时发布的通知",
                           category="news", files=[],
                           publish_on=clock.today() + dt.timedelta(days=30))
        draft = _write(session, app, editor, reviewer, title="草稿", category="news",
                       files=[], publish=False)
        withdrawn = _write(session, app, editor, reviewer, title="已撤下的通知",
                           category="news", files=[(PDF, "撤下.pdf")])
        editorial.transition(session, withdrawn, "withdraw", actor=reviewer, origin=ORIGIN,
                             opinion="内容有误")
        return {"policy": policy.id, "interpretation": interpretation.id, "draft": draft.id,
                "scheduled": scheduled.id,
                "withdrawn": withdrawn.id}


def export(app: Flask, directory: Path) -> None:
    with app.app_context():
        export_directory(directory)


def tree(directory: Path) -> dict[str, bytes]:
    return {str(path.relative_to(directory)): path.read_bytes()
            for path in sorted(directory.rglob("*")) if path.is_file()}


def catalog(app: Flask) -> dict[str, dict[str, Any]]:
    """Every exported document's catalog, links and attachments, by content key."""
    with app.app_context():
        session = get_session()
        rows = session.scalars(select(Document).where(
            Document.status == PublicationStatus.PUBLISHED)).all()
        result = {}
        for row in rows:
            assert row.content_key is not None
            folder = upload_dir(app)
            result[row.content_key] = {
                **{name: getattr(row, name) for name in CATALOG_FIELDS},
                "agency": row.agency.code, "category": row.category.slug,
                "body": row.body.replace("\r\n", "\n").rstrip("\n").replace(
                    *_ids_to_names(row)),
                "policies": sorted(str(p.content_key) for p in row.policies),
                "interpretations": sorted(str(i.content_key) for i in row.interpretations),
                "attachments": [(a.original_name, a.content_type, a.size, a.sha256,
                                 (folder / a.stored_name).read_bytes())
                                for a in row.attachments],
            }
        return result


def descriptions(app: Flask) -> dict[str, str]:
    with app.app_context():
        return {row.slug: row.description for row in get_session().scalars(select(Category))}


def agencies(app: Flask) -> dict[str, dict[str, Any]]:
    with app.app_context():
        rows = get_session().scalars(select(Agency)).all()
        return {row.code: {**{column.key: getattr(row, column.key)
                              for column in Agency.__table__.columns
                              if column.key not in ("id", "parent_id")},
                           "parent": row.parent.code if row.parent else None}
                for row in rows}


def _ids_to_names(row: Document) -> tuple[str, str]:
    # Attachment ids differ between databases; compare the links by what they point to.
    body = row.body
    for attachment in row.attachments:
        body = body.replace(f"/attachments/{attachment.id})", f"{attachment.original_name})")
    return row.body, body


def test_round_trip_through_a_fresh_database_loses_nothing(
        app: Flask, fresh_app: Flask, tmp_path: Path) -> None:
    ids = populate(app)
    first, second = tmp_path / "first", tmp_path / "second"
    export(app, first)

    with fresh_app.app_context():
        report = import_directory(first)
        assert not report.duplicates
        assert not report.issued_index_nos
    export(fresh_app, second)

    assert tree(first) == tree(second)
    before, after = catalog(app), catalog(fresh_app)
    assert before == after
    assert agencies(app) == agencies(fresh_app)
    assert descriptions(app) == descriptions(fresh_app)
    assert descriptions(fresh_app)["news"] == "本市政务要闻。\n\n**每个工作日更新。**"
    assert (first / "columns.yaml").read_text(encoding="utf-8").endswith(
        "columns:\n  news: |-\n    本市政务要闻。\n\n    **每个工作日更新。**\n")
    assert len(before) == 14  # 11 content files and three published editor documents
    with app.app_context():
        session = get_session()
        policy = session.get(Document, ids["policy"])
        interpretation = session.get(Document, ids["interpretation"])
        assert policy is not None
        assert interpretation is not None
        assert policy.content_key == policy.index_no.replace("/", "-")  # type: ignore[union-attr]
        assert interpretation.validity is Validity.REPEALED
    with fresh_app.app_context():
        session = get_session()
        scheduled = session.scalars(select(Document).where(
            Document.title == "定时发布的通知")).one()
        assert not scheduled.is_public
        entry = session.scalars(select(SearchOutbox).where(
            SearchOutbox.document_id == scheduled.id)).one()
        assert entry.next_attempt_at == editorial.publication_instant(scheduled.published_on)
    # The chosen layout: files beside the documents, links relative to the document file.
    key = next(k for k, v in before.items() if v["title"] == "示例市预算绩效管理办法")
    written = parse_document((first / "documents" / f"{key}.md").read_text(encoding="utf-8"),
                             f"{key}.md")
    assert [(a.file, a.name, a.content_type) for a in written.attachments] == [
        (f"attachments/{key}/01.pdf", "示例市预算绩效管理办法（全文）.pdf", "application/pdf"),
        (f"attachments/{key}/02.png", "流程图.png", "image/png")]
    assert (first / f"attachments/{key}/01.pdf").read_bytes() == PDF
    assert f"![流程图.png](../attachments/{key}/02.png)" in written.body
    assert "\r" not in written.body
    assert not any("草稿" in name or "撤下" in name for name in tree(first))


def test_export_over_the_repository_content_leaves_it_unchanged(
        app: Flask, tmp_path: Path) -> None:
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy)
    with app.app_context():
        import_directory(CONTENT)
        report = export_directory(copy)
    assert report.written == []
    assert report.removed == []
    assert report.keyed == {}
    comparison = filecmp.dircmp(CONTENT, copy)
    assert tree(copy) == tree(CONTENT), comparison.diff_files


def test_export_is_idempotent_and_reimport_matches_editor_documents(
        app: Flask, tmp_path: Path) -> None:
    ids = populate(app)
    target = tmp_path / "content"
    export(app, target)
    first = tree(target)
    with app.app_context():
        again = export_directory(target)
        assert again.written == []
        assert again.keyed == {}
        session = get_session()
        before = {row.id for row in session.scalars(select(Document))}
        report = import_directory(target)
        assert report.created == []
        assert report.duplicates == []
        assert {row.id for row in session.scalars(select(Document))} == before
        # Only the body's line ends and final newline were normalised by the export.
        policy = session.get(Document, ids["policy"])
        assert policy is not None
        assert len(policy.attachments) == 2
        assert policy.body.startswith("## 一、总则\n\n第一条")
        assert f"](/attachments/{policy.attachments[1].id})" in policy.body
    export(app, target)
    assert tree(target) == first


def test_withdrawing_a_document_removes_its_file_and_attachments(
        app: Flask, tmp_path: Path) -> None:
    ids = populate(app)
    target = tmp_path / "content"
    export(app, target)
    with app.app_context():
        with unit_of_work() as session:
            policy = session.get(Document, ids["policy"])
            reviewer = session.scalars(select(User).where(User.username == "reviewer")).one()
            assert policy is not None
            assert policy.content_key is not None
            key = policy.content_key
            editorial.transition(session, policy, "withdraw", actor=reviewer, origin=ORIGIN,
                                 opinion="撤下")
        report = export_directory(target)
    assert f"documents/{key}.md" in report.removed
    assert not document_file(target, key).exists()
    assert not (target / "attachments" / key).exists()
    # The interpretation no longer names the withdrawn policy, so the set still imports.
    interpretation = [path for path in (target / "documents").glob("*.md")
                      if "》解读" in path.read_text(encoding="utf-8")]
    assert len(interpretation) == 1
    assert key not in interpretation[0].read_text(encoding="utf-8")


def test_cli_exports_and_reports(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    populate(app)
    result = runner.invoke(main, ["export-content", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "已为文档 #" in result.output
    assert "写入 " in result.output
    assert (tmp_path / "out" / "agencies.yaml").is_file()
    again = runner.invoke(main, ["export-content", str(tmp_path / "out")])
    assert "写入 0 个文件" in again.output


def test_missing_stored_file_refuses_the_export(app: Flask, tmp_path: Path) -> None:
    ids = populate(app)
    with app.app_context():
        session = get_session()
        policy = session.get(Document, ids["policy"])
        assert policy is not None
        (upload_dir(app) / policy.attachments[0].stored_name).unlink()
        from opengov.site.content.service.exporter import ContentExportError

        with pytest.raises(ContentExportError, match="不存在"):
            export_directory(tmp_path / "out")
    assert not (tmp_path / "out").exists()


# --- the attachments field of the format -----------------------------------------------

HEADER = """---
title: 办法
agency: gov
category: policies
published_on: '2026-01-05'
"""


def _parse(attachments: str) -> Any:
    return parse_document(f"{HEADER}{attachments}---\n\n正文\n", "documents/a-doc.md")


@pytest.mark.parametrize("attachments", [
    "attachments: x.pdf\n",
    "attachments:\n- file: attachments/a-doc/01.pdf\n  name: 办法.pdf\n",
    "attachments:\n- file: ../secret.pdf\n  name: 办法.pdf\n  content_type: application/pdf\n",
    "attachments:\n- file: attachments/a-doc/办法.pdf\n  name: 办法.pdf\n"
    "  content_type: application/pdf\n",
    "attachments:\n- file: attachments/a-doc/01.pdf\n  name: a/b.pdf\n"
    "  content_type: application/pdf\n",
    "attachments:\n- file: attachments/a-doc/01.pdf\n  name: 办法.pdf\n  content_type: pdf\n",
])
def test_bad_attachment_entries_are_refused(attachments: str) -> None:
    with pytest.raises(ContentFileError, match="attachments（附件）"):
        _parse(attachments)


def test_attachment_bytes_must_be_of_the_stated_type(db_session: Session,
                                                     tmp_path: Path) -> None:
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy)
    path = document_file(copy, INTERPRETATION)
    text_ = path.read_text(encoding="utf-8")
    entry = ("attachments:\n- file: attachments/x/01.pdf\n  name: 全文.pdf\n"
             "  content_type: application/pdf\n")
    path.write_text(text_.replace("\nnotes:", f"\n{entry}notes:", 1), encoding="utf-8")
    (copy / "attachments" / "x").mkdir(parents=True)
    (copy / "attachments" / "x" / "01.pdf").write_bytes(b"#!/bin/sh\necho pwned\n")
    with pytest.raises(ContentImportError, match="与 content_type application/pdf"), \
            unit_of_work() as session:
        import_content(session, copy, upload_dir=tmp_path / "uploads")
    (copy / "attachments" / "x" / "01.pdf").write_bytes(PDF)
    with pytest.raises(ContentImportError, match="上传目录"), unit_of_work() as session:
        import_content(session, copy)
    with unit_of_work() as session:
        report = import_content(session, copy, upload_dir=tmp_path / "uploads")
    row = db_session.scalars(select(Document).where(Document.content_key == INTERPRETATION)).one()
    assert [(a.original_name, a.content_type) for a in row.attachments] == [
        ("全文.pdf", "application/pdf")]
    assert (tmp_path / "uploads" / row.attachments[0].stored_name).read_bytes() == PDF
    assert INTERPRETATION in report.created


def test_a_changed_attachment_list_replaces_the_attachments(db_session: Session,
                                                            tmp_path: Path) -> None:
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy)
    uploads = tmp_path / "uploads"

    def run_import() -> ImportReport:
        with unit_of_work() as session:
            return import_content(session, copy, upload_dir=uploads)

    run_import()
    row = db_session.scalars(select(Document).where(Document.content_key == POLICY)).one()
    row.attachments  # noqa: B018 — loaded before the change
    path = document_file(copy, POLICY)
    (copy / "attachments" / POLICY).mkdir(parents=True)
    (copy / "attachments" / POLICY / "01.png").write_bytes(PNG)
    entry = (f"attachments:\n- file: attachments/{POLICY}/01.png\n  name: 示意图.png\n"
             "  content_type: image/png\n")
    text_ = path.read_text(encoding="utf-8").replace("\nnotes:", f"\n{entry}notes:", 1)
    path.write_text(text_ + f"\n![示意图.png](../attachments/{POLICY}/01.png)\n",
                    encoding="utf-8")
    report = run_import()
    assert report.changed == [POLICY]
    assert report.replaced_files == []
    attachment = row.attachments[0]
    assert row.body.endswith(f"![示意图.png](/attachments/{attachment.id})\n")
    unchanged = run_import()
    assert POLICY in unchanged.unchanged
    (copy / "attachments" / POLICY / "01.png").write_bytes(PNG + b"\x00")
    replaced = run_import()
    assert replaced.changed == [POLICY]
    assert replaced.replaced_files == [attachment.stored_name]
    assert row.attachments[0].size == len(PNG) + 1
    assert (uploads / attachment.stored_name).read_bytes() == PNG  # never destroyed
    assert row.disclosure is Disclosure.PROACTIVE


def test_fiscal_disclosure_documents_stay_with_content_fiscal(app: Flask,
                                                              tmp_path: Path) -> None:
    from opengov.site.fiscal.service.content import import_fiscal_content

    with app.app_context():
        with unit_of_work() as session:
            import_content(session, CONTENT)
            import_fiscal_content(session, CONTENT / "fiscal")
        fiscal = get_session().scalars(
            select(Document).where(Document.content_key.is_(None))).all()
        assert fiscal  # published catalog documents of the 示例 disclosures
        report = export_directory(tmp_path / "out")
    assert report.keyed == {}
    assert len(list((tmp_path / "out" / "documents").glob("*.md"))) == 11


@pytest.mark.parametrize("text", ["columns: [news]\n", "columns:\n  nosuch: 说明\n",
                                  "columns:\n  news: [1]\n"])
def test_bad_columns_files_are_refused(text: str) -> None:
    from opengov.site.content.service.files import parse_columns

    with pytest.raises(ContentFileError, match="columns（栏目说明）"):
        parse_columns(text, "columns.yaml")
