"""import-content never reverts the back office: a document changed by staff since its last
import is left alone and reported; every change an import makes is versioned and audited."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.audit.models import AuditEntry
from opengov.site.audit.service import COMMAND_LINE, COMMAND_LINE_USERNAME
from opengov.site.catalog.models import Document, DocumentVersion
from opengov.site.catalog.rules.metadata import PublicationStatus
from opengov.site.catalog.service import editorial
from opengov.site.cli import main
from opengov.site.content.models import ContentImport
from opengov.site.content.service.exporter import export_directory
from opengov.site.content.service.importer import ContentImportError, import_directory
from opengov.site.db import get_session, unit_of_work
from tests.content.conftest import POLICY, document_file

Reviewer = Callable[[], User]


@pytest.fixture
def reviewer(make_user: Callable[..., User]) -> Reviewer:
    made: list[User] = []

    def get() -> User:
        if not made:
            made.append(make_user("reviewer1", Role.REVIEWER, Role.EDITOR))
        return made[0]

    return get


def by_key(key: str) -> Document:
    session = get_session()
    session.expire_all()
    return session.scalars(select(Document).where(Document.content_key == key)).one()


def versions(document: Document) -> list[DocumentVersion]:
    return list(editorial.versions(get_session(), document.id))


def audit_details(document: Document) -> list[str]:
    return [entry.detail for entry in get_session().scalars(
        select(AuditEntry).where(AuditEntry.object_type == "document",
                                 AuditEntry.object_id == str(document.id))
        .order_by(AuditEntry.id))]


def correct_title(reviewer: User, key: str, title: str) -> None:
    document = by_key(key)
    data = editorial.DocumentData.from_document(document)
    data.title = title
    editorial.correct_document(reviewer, document.id, data, note="标题有误",
                               origin=COMMAND_LINE)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_import_records_a_version_and_an_audit_entry(db_session: Session,
                                                        content_copy: Path) -> None:
    import_directory(content_copy)
    policy = by_key(POLICY)
    [first] = versions(policy)
    assert first.note == ""
    assert first.title == policy.title
    [created] = get_session().scalars(select(AuditEntry).where(
        AuditEntry.object_type == "document", AuditEntry.object_id == str(policy.id))).all()
    assert created.action == "create"
    assert created.username == COMMAND_LINE_USERNAME

    edit(document_file(content_copy, POLICY), "深化政务公开", "深化政务公开（修订）")
    report = import_directory(content_copy)
    assert report.changed == [POLICY]
    assert report.conflicts == []
    policy = by_key(POLICY)
    assert "（修订）" in policy.title
    assert [version.note for version in versions(policy)] == ["", "按内容文件更新"]
    assert audit_details(policy)[-1].startswith("按内容文件更新")
    # Nothing changed: no version, no entry.
    again = import_directory(content_copy)
    assert POLICY in again.unchanged
    assert len(versions(by_key(POLICY))) == 2


def test_a_correction_in_the_back_office_survives_a_reimport(
        db_session: Session, content_copy: Path, reviewer: Reviewer) -> None:
    import_directory(content_copy)
    correct_title(reviewer(), POLICY, "更正后的标题")
    report = import_directory(content_copy)  # what scripts/serve does at every start
    assert [conflict.key for conflict in report.conflicts] == [POLICY]
    assert any(line.startswith(f"冲突：{POLICY}") and "--overwrite" in line
               for line in report.lines())
    policy = by_key(POLICY)
    assert policy.title == "更正后的标题"
    assert [version.note for version in versions(policy)] == ["", "标题有误"]

    # Taking the file's version is a decision, and it is recorded as one.
    report = import_directory(content_copy, overwrite=frozenset({POLICY}))
    assert report.changed == [POLICY]
    policy = by_key(POLICY)
    assert policy.title != "更正后的标题"
    assert versions(policy)[-1].note == "按内容文件更新（以文件为准，覆盖后台修改）"
    with pytest.raises(ContentImportError, match="没有这个文件"):
        import_directory(content_copy, overwrite=frozenset({"no-such-document"}))


def test_a_withdrawn_document_stays_withdrawn(db_session: Session, content_copy: Path,
                                              reviewer: Reviewer) -> None:
    import_directory(content_copy)
    editorial.take_action(reviewer(), by_key(POLICY).id, "withdraw", origin=COMMAND_LINE,
                          opinion="涉及已调整的内容")
    report = import_directory(content_copy)
    assert POLICY in [conflict.key for conflict in report.conflicts]
    assert by_key(POLICY).status == PublicationStatus.WITHDRAWN


def test_exporting_makes_the_back_office_version_the_files_version(
        db_session: Session, content_copy: Path, reviewer: Reviewer) -> None:
    import_directory(content_copy)
    correct_title(reviewer(), POLICY, "更正后的标题")
    export_directory(content_copy)
    assert "更正后的标题" in document_file(content_copy, POLICY).read_text(encoding="utf-8")
    report = import_directory(content_copy)
    assert report.conflicts == []
    assert by_key(POLICY).title == "更正后的标题"
    # A later change of the file is imported again.
    edit(document_file(content_copy, POLICY), "更正后的标题", "文件里再改的标题")
    assert import_directory(content_copy).changed == [POLICY]
    assert by_key(POLICY).title == "文件里再改的标题"


def test_documents_imported_before_fingerprints_were_kept(
        db_session: Session, content_copy: Path, reviewer: Reviewer) -> None:
    import_directory(content_copy)
    correct_title(reviewer(), POLICY, "更正后的标题")
    with unit_of_work() as session:
        session.execute(delete(ContentImport))  # as an instance upgraded to this release
    edited = import_directory(content_copy)
    assert [conflict.key for conflict in edited.conflicts] == [POLICY]  # staff took steps
    other = "2011-zhongbanfa-22-dajizhewen"
    edit(document_file(content_copy, other), "答新华社记者问", "答新华社记者问（更新）")
    untouched = import_directory(content_copy)
    assert other in untouched.changed  # no step in the back office: the file wins


def test_the_command_reports_conflicts_and_succeeds(app: Flask, runner: FlaskCliRunner,
                                                    content_copy: Path,
                                                    reviewer: Reviewer) -> None:
    assert runner.invoke(main, ["import-content", str(content_copy)]).exit_code == 0
    with app.app_context():
        correct_title(reviewer(), POLICY, "更正后的标题")
    result = runner.invoke(main, ["import-content", str(content_copy)])
    assert result.exit_code == 0, result.output
    assert f"冲突：{POLICY}" in result.output
    assert "冲突未更新 1 篇" in result.output
    overwritten = runner.invoke(main, ["import-content", str(content_copy),
                                       "--overwrite", POLICY])
    assert overwritten.exit_code == 0, overwritten.output
    assert "更新 1 篇" in overwritten.output
