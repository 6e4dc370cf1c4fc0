"""`opengov upgrade`: backup, migrate, (content,) index check — stopping at the first step
that fails; a back-office edit survives it."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import Enum, MetaData, Table, inspect, select, text

from opengov.site import create_app, migrate
from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.audit.service import COMMAND_LINE
from opengov.site.catalog.models import Document
from opengov.site.catalog.service import editorial
from opengov.site.cli import main
from opengov.site.config import PROJECT_ROOT
from opengov.site.db import get_database, get_session, write_intent
from opengov.site.operations.service import backup as backups
from opengov.site.search.service.index import check_index, get_backend
from tests.operations.conftest import populate
from tests.support.smtp import free_port

POLICY = "2011-zhongbanfa-22-shenhua-zhengwu-gongkai"


def test_upgrade_backs_up_migrates_and_repairs_the_index(
        app: Flask, make_user: Callable[..., User], runner: FlaskCliRunner) -> None:
    populate(app, make_user)
    with app.app_context():
        document_id = get_session().scalars(select(Document.id)).first()
        assert document_id is not None
        get_backend().delete([document_id])  # the index fell behind
        assert check_index().missing == [document_id]
    result = runner.invoke(main, ["upgrade"])
    assert result.exit_code == 0, result.output
    assert [line.split("]")[0] for line in result.output.splitlines() if line.startswith("[")] \
        == ["[1/3", "[2/3", "[3/3"]
    assert "已备份到" in result.output
    assert "已加入更新队列" in result.output
    assert result.output.rstrip().endswith("升级完成。")
    assert len(backups.complete_backups(Path(app.config["BACKUP_DIR"]))) == 1
    with app.app_context():
        assert check_index().ok


def test_upgrade_brings_an_old_schema_to_this_release(tmp_path: Path,
                                                      app_config: dict[str, Any]) -> None:
    if not app_config["DATABASE_URL"].startswith("sqlite"):
        return  # one schema history; the SQLite run shows it
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    old = create_app({**app_config, "DATABASE_URL": url})
    with old.app_context():
        migrate.upgrade(get_database().engine, "0001_initial")
        assert "mail_outbox" not in inspect(get_database().engine).get_table_names()
    result = old.test_cli_runner().invoke(main, ["upgrade"])
    assert result.exit_code == 0, result.output
    with old.app_context():
        engine = get_database().engine
        assert migrate.current_revision(engine) == migrate.head_revision()
        assert "mail_outbox" in inspect(engine).get_table_names()
        engine.dispose()


def _row(table: Table, **values: Any) -> dict[str, Any]:
    """``values`` and a plausible value for every other required column of ``table``."""
    row = dict(values)
    for column in table.columns:
        if column.name in row or column.nullable or column.primary_key \
                or column.server_default is not None:
            continue
        kind = column.type.python_type if not isinstance(column.type, Enum) else str
        if isinstance(column.type, Enum):
            row[column.name] = column.type.enums[0]
        elif kind is int:
            row[column.name] = 0
        elif kind is bool:
            row[column.name] = False
        elif kind is dt.datetime:
            row[column.name] = dt.datetime(2025, 1, 1)
        elif kind is dt.date:
            row[column.name] = dt.date(2025, 1, 1)
        else:
            row[column.name] = ""
    return row


def test_a_populated_site_upgrades_through_table_rebuilds(tmp_path: Path,
                                                          app_config: dict[str, Any]) -> None:
    """Migrations that rebuild a table (SQLite's batch mode) keep every row that points to
    it: with foreign keys enforced, dropping the old table would fail or cascade."""
    if not app_config["DATABASE_URL"].startswith("sqlite"):
        return  # batch rebuilds are SQLite's
    url = f"sqlite:///{tmp_path / 'populated.sqlite3'}"
    old = create_app({**app_config, "DATABASE_URL": url})
    with old.app_context():
        engine = get_database().engine
        migrate.upgrade(engine, "0001_initial")
        tables = MetaData()
        tables.reflect(engine)
        with write_intent(), engine.begin() as connection:
            connection.execute(tables.tables["agencies"].insert(), _row(
                tables.tables["agencies"], id=1, code="gov", name="示例市人民政府"))
            connection.execute(tables.tables["categories"].insert(), [
                # One key set for both rows: an executemany takes the first row's columns.
                _row(tables.tables["categories"], id=1, slug="policies", name="政策文件",
                     parent_id=None),
                _row(tables.tables["categories"], id=2, slug="sub", name="子栏目", parent_id=1)])
            connection.execute(tables.tables["documents"].insert(), _row(
                tables.tables["documents"], id=1, agency_id=1, category_id=1, title="通知",
                status="published", validity="有效", disclosure="主动公开"))
            connection.execute(tables.tables["document_versions"].insert(), _row(
                tables.tables["document_versions"], document_id=1, number=1, title="通知"))
    result = old.test_cli_runner().invoke(main, ["upgrade", "--no-backup"])
    assert result.exit_code == 0, result.output
    with old.app_context():
        engine = get_database().engine
        with engine.connect() as connection:
            counts = {name: connection.execute(text(f"SELECT count(*) FROM {name}")).scalar()
                      for name in ("documents", "document_versions")}
            parent = connection.execute(text("SELECT parent_id FROM categories WHERE id = 2"))
            assert parent.scalar() == 1
        assert counts == {"documents": 1, "document_versions": 1}
        assert migrate.current_revision(engine) == migrate.head_revision()
        engine.dispose()


def test_upgrade_stops_at_the_first_failure(app: Flask, make_user: Callable[..., User],
                                            runner: FlaskCliRunner, tmp_path: Path) -> None:
    populate(app, make_user)
    broken = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", broken)
    (broken / "documents" / f"{POLICY}.md").write_text("没有元数据头", encoding="utf-8")
    result = runner.invoke(main, ["upgrade", "--no-backup", "--content", str(broken)])
    assert result.exit_code == 1
    assert "导入内容失败" in result.output
    assert "[3/3] 检查搜索索引" not in result.output

    app.config.update(SEARCH_BACKEND="elasticsearch",
                      ELASTICSEARCH_URL=f"http://127.0.0.1:{free_port()}")
    app.extensions.pop("opengov.search", None)
    result = runner.invoke(main, ["upgrade", "--no-backup"])
    assert result.exit_code == 1
    assert "检查搜索索引失败" in result.output


def test_a_back_office_edit_survives_upgrade_with_content(
        app: Flask, make_user: Callable[..., User], runner: FlaskCliRunner) -> None:
    populate(app, make_user)
    reviewer = make_user("reviewer1", Role.REVIEWER)
    with app.app_context():
        policy = get_session().scalars(select(Document).where(
            Document.content_key == POLICY)).one()
        data = editorial.DocumentData.from_document(policy)
        data.title = "后台更正后的标题"
        editorial.correct_document(reviewer, policy.id, data, note="更正标题",
                                   origin=COMMAND_LINE)
    result = runner.invoke(main, ["upgrade", "--no-backup", "--content",
                                  str(PROJECT_ROOT / "content")])
    assert result.exit_code == 0, result.output
    assert f"冲突：{POLICY}" in result.output
    with app.app_context():
        assert get_session().get(Document, policy.id).title == "后台更正后的标题"  # type: ignore[union-attr]
