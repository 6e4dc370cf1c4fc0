"""`opengov upgrade`: backup, migrate, (content,) index check — stopping at the first step
that fails; a back-office edit survives it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import inspect, select

from opengov.site import create_app, migrate
from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.audit.service import COMMAND_LINE
from opengov.site.catalog.models import Document
from opengov.site.catalog.service import editorial
from opengov.site.cli import main
from opengov.site.config import PROJECT_ROOT
from opengov.site.db import get_database, get_session
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
