"""`opengov backup` under write load, and `opengov restore` into an empty instance: every row
and every file comes back; the keys travel apart and are checked; a damaged backup is refused."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import Engine, create_engine, select, text

from opengov.site import create_app
from opengov.site.accounts.models import User
from opengov.site.audit.service import COMMAND_LINE, AuditAction
from opengov.site.audit.service import record as audit_record
from opengov.site.catalog.models import Attachment, Document
from opengov.site.catalog.service import attachments
from opengov.site.cli import main
from opengov.site.db import get_database, get_session, make_engine, unit_of_work
from opengov.site.operations.service import backup as backups
from opengov.site.operations.service.copying import _normalise, site_tables, snapshot
from opengov.site.requests.models import InfoRequest
from opengov.site.requests.rules.clock import Channel
from opengov.site.requests.service import handling
from tests.factories import make_agency, make_application
from tests.operations.conftest import PDF, populate
from tests.support.postgres import PostgresServer

_names = itertools.count()

Rows = dict[str, dict[tuple[Any, ...], tuple[Any, ...]]]


def all_rows(engine: Engine) -> Rows:
    """Every row of every table of the site, by primary key, values normalised."""
    found: Rows = {}
    with snapshot(engine) as reading:
        for table in site_tables():
            keys = [column.name for column in table.primary_key.columns]
            found[table.name] = {
                tuple(row._mapping[key] for key in keys):
                    tuple(_normalise(value) for value in row)
                for row in reading.execute(select(table))}
    return found


def empty_database_url(request: pytest.FixtureRequest, source_url: str, folder: Path) -> str:
    """A new empty database of the same kind as ``source_url``."""
    if source_url.startswith("sqlite"):
        return f"sqlite:///{folder / 'opengov.sqlite3'}"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = f"opengov_restore_{next(_names)}"
    admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server.url(name)


class WriteLoad:
    """Files requests, records audit entries and uploads attachments in a thread of its
    own, as a busy site does, until stopped."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.stop = threading.Event()
        self.writes = 0
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self.run)

    def run(self) -> None:
        try:
            with self.app.app_context():
                while not self.stop.is_set():
                    with unit_of_work() as session:
                        agency = make_agency(session, "gov")
                        handling.file_request(session, agency, make_application(
                            description=f"负载申请 {self.writes}"), Channel.IN_PERSON,
                            dt.date(2025, 9, 26), refuse_duplicates=False)
                        audit_record(session, AuditAction.EDIT, actor=None, origin=COMMAND_LINE,
                                     object_type="load", object_id=self.writes)
                        if self.writes % 5 == 0:
                            document = session.scalars(select(Document)).first()
                            user = session.scalars(select(User)).first()
                            assert document is not None
                            assert user is not None
                            attachments.save(session, document, PDF, f"负载{self.writes}.pdf",
                                             upload_dir=attachments.upload_dir(),
                                             max_bytes=1 << 20, actor=user,
                                             origin=COMMAND_LINE)
                    self.writes += 1
        except BaseException as exc:  # reported by the test
            self.error = exc

    def __enter__(self) -> WriteLoad:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        self.thread.join()


@pytest.fixture
def populated(app: Flask, make_user: Callable[..., User]) -> str:
    return populate(app, make_user)


def test_backup_under_load_and_restore_elsewhere(
        app: Flask, populated: str, tmp_path: Path, request: pytest.FixtureRequest,
        app_config: dict[str, Any]) -> None:
    source = get_engine(app)
    before = all_rows(source)
    keys = tmp_path / "keys"
    with WriteLoad(app) as load:
        while load.writes < 3:  # the load is under way before the backup starts
            threading.Event().wait(0.01)
        with app.app_context():
            report = backups.create_backup(keys_to=keys)
        during = load.writes
    assert load.error is None, load.error
    assert load.writes > during or during > 3  # writes went on around the backup
    after = all_rows(source)
    assert report.path.parent == Path(app.config["BACKUP_DIR"]).resolve()
    assert (report.path / backups.MANIFEST).is_file()
    assert not list(report.path.rglob("*key*")), "keys must not be in the backup"
    assert sorted(path.name for path in (keys / report.path.name).iterdir()) == [
        "personal_data_key", "secret_key"]

    restored = tmp_path / "restored"
    url = empty_database_url(request, app_config["DATABASE_URL"], restored)
    env = {"OPENGOV_INSTANCE_PATH": str(restored / "instance"), "OPENGOV_DATABASE_URL": url}
    cli = CliRunner()
    refused = cli.invoke(main, ["restore", str(report.path)], env=env)
    assert refused.exit_code == 1
    assert "personal_data_key" in refused.output
    result = cli.invoke(main, ["restore", str(report.path), "--keys",
                               str(keys / report.path.name)], env=env)
    assert result.exit_code == 0, result.output
    assert "各表行数与备份清单一致" in result.output

    copy = create_app({"INSTANCE_PATH": restored / "instance", "DATABASE_URL": url})
    target = get_engine(copy)
    try:
        back = all_rows(target)
        for table, rows in before.items():
            if table == "search_outbox":
                continue  # consumed by the rebuild of the new instance's index, as it should
            # Every row there before the backup came back, and one the load did not touch
            # (it adds rows and moves the serial counters on) came back unchanged …
            assert set(rows) <= set(back[table]), table
            changed = {key for key, value in rows.items()
                       if after[table][key] == value and back[table][key] != value}
            assert not changed, (table, sorted(changed)[:5])
            # … and nothing came back that the site never held; a row the load added came
            # back as it is now.
            assert set(back[table]) <= set(after[table]), table
            added = {key for key, value in back[table].items()
                     if key not in rows and after[table][key] != value}
            assert not added, (table, sorted(added)[:5])
        with copy.app_context():
            session = get_session()
            # The restore is one moment of the site: as many requests as audit entries of
            # the load (both written in the load's every transaction).
            filed = session.scalar(select(text("count(*)")).select_from(InfoRequest))
            load_entries = session.execute(text(
                "SELECT count(*) FROM audit_entries WHERE object_type = 'load'")).scalar()
            assert filed == load_entries + 1  # + the request of `populate`
            folder = Path(copy.config["UPLOAD_DIR"])
            for attachment in session.scalars(select(Attachment)):
                data = (folder / attachment.stored_name).read_bytes()
                assert hashlib.sha256(data).hexdigest() == attachment.sha256
            applicant = session.scalars(select(InfoRequest).where(
                InfoRequest.number == populated)).one()
            assert handling.personal_data(applicant).email == "zhangsan@example.com"
        # The search index was rebuilt in the new instance.
        assert (restored / "instance" / "whoosh").is_dir()
        again = cli.invoke(main, ["restore", str(report.path), "--keys",
                                  str(keys / report.path.name)], env=env)
        assert again.exit_code == 1
        assert "空实例" in again.output or "空数据库" in again.output
    finally:
        target.dispose()


def get_engine(app: Flask) -> Engine:
    with app.app_context():
        return get_database().engine


def test_a_damaged_backup_is_refused(app: Flask, populated: str, tmp_path: Path) -> None:
    with app.app_context():
        report = backups.create_backup()
    manifest = json.loads((report.path / backups.MANIFEST).read_text(encoding="utf-8"))
    [upload] = [entry["path"] for entry in manifest["files"]
                if entry["path"].startswith("uploads/")]
    damaged = report.path / upload
    damaged.write_bytes(damaged.read_bytes() + b"x")
    result = CliRunner().invoke(main, ["restore", str(report.path)],
                                env={"OPENGOV_INSTANCE_PATH": str(tmp_path / "other")})
    assert result.exit_code == 1
    assert f"{upload} 与清单不符" in result.output
    assert not (tmp_path / "other").exists()  # nothing was written


def test_backup_command_prunes_and_warns_about_keys(app: Flask, populated: str,
                                                    tmp_path: Path) -> None:
    app.config["BACKUP_KEEP"] = 2
    runner = app.test_cli_runner()
    for _ in range(3):
        result = runner.invoke(main, ["backup", "--prune"])
        assert result.exit_code == 0, result.output
    assert "密钥不在备份中" in result.output
    assert "已删除旧备份" in result.output
    kept = backups.complete_backups(Path(app.config["BACKUP_DIR"]))
    assert len(kept) == 2
    inside = runner.invoke(main, ["backup", "--keys", str(Path(app.config["BACKUP_DIR"]) / "k")])
    assert inside.exit_code == 1
    assert "密钥目录不能在备份目录之内" in inside.output


def test_an_interrupted_backup_is_not_taken_for_one(app: Flask, populated: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(backups, "_sync", fail)
    with app.app_context(), pytest.raises(OSError, match="disk full"):
        backups.create_backup()
    parent = Path(app.config["BACKUP_DIR"])
    assert list(parent.iterdir()) == []
    assert backups.newest_backup(parent) is None


@pytest.mark.slow
@pytest.mark.postgres
def test_restore_a_sqlite_backup_into_postgresql(
        app: Flask, populated: str, tmp_path: Path, request: pytest.FixtureRequest,
        app_config: dict[str, Any]) -> None:
    if not app_config["DATABASE_URL"].startswith("sqlite"):
        pytest.skip("the SQLite → PostgreSQL case starts from SQLite")
    with app.app_context():
        report = backups.create_backup(keys_to=tmp_path / "keys")
    server: PostgresServer = request.getfixturevalue("postgres_server")
    admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text('CREATE DATABASE "opengov_from_sqlite"'))
    admin.dispose()
    url = server.url("opengov_from_sqlite")
    result = CliRunner().invoke(
        main, ["restore", str(report.path), "--keys", str(tmp_path / "keys" / report.path.name)],
        env={"OPENGOV_INSTANCE_PATH": str(tmp_path / "pg"), "OPENGOV_DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    assert "逐表复制到 PostgreSQL" in result.output
    target = make_engine(url)
    try:
        restored, original = all_rows(target), all_rows(get_engine(app))
        del restored["search_outbox"], original["search_outbox"]  # consumed by the rebuild
        assert restored == original
    finally:
        target.dispose()


@pytest.fixture(autouse=True)
def _no_leftover(tmp_path: Path) -> Iterator[None]:
    yield
    shutil.rmtree(tmp_path / "restored", ignore_errors=True)
