"""``opengov backup`` and ``opengov restore``: a consistent copy of a running site, and a
site brought back from one into an empty instance.

A backup is a folder ``opengov-YYYYMMDD-HHMMSS`` (北京时间) in BACKUP_DIR holding

- ``database.sqlite3`` — SQLite's online backup of one moment, taken while the site runs
  (WAL: writers go on meanwhile), or ``database.pgdump`` — ``pg_dump`` in custom format of a
  snapshot exported from the transaction that also counted the rows;
- ``uploads/`` — every attachment file, copied after the database (a file is written before
  the row that names it commits, so every file the copy names is there);
- ``settings/`` — the instance file ``opengov.toml`` and the settings in effect (no secrets);
- ``manifest.json`` — what it holds: the schema version, the row count of every table, the
  size and SHA-256 of every file, and fingerprints of the keys (not the keys).

It is written as ``….partial`` and renamed when complete, so a backup that was interrupted
is never taken for one. **The keys are not in it**: ``secret_key`` and ``personal_data_key``
are written, with ``--keys KEYDIR``, to a folder of their own that must be kept apart (another
medium, a safe): a stolen backup then does not reveal applicants' ID numbers and addresses, and
without ``personal_data_key`` they cannot be read at all, not even by the site.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import metadata as package_metadata
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import Connection, Engine, func, select, text
from sqlalchemy import table as sql_table
from sqlalchemy.engine import URL, make_url

from opengov.site import clock, migrate
from opengov.site.config import INSTANCE_FILE, SETTINGS
from opengov.site.db import get_database, make_engine
from opengov.site.exceptions import ConflictError, InvalidInputError
from opengov.site.operations.service import copying
from opengov.site.personal_data import KEY_FILE as PERSONAL_DATA_KEY_FILE

MANIFEST = "manifest.json"
FORMAT = 1
PREFIX = "opengov-"
PARTIAL = ".partial"
SQLITE_FILE = "database.sqlite3"
PGDUMP_FILE = "database.pgdump"
UPLOADS = "uploads"
SETTINGS_DIR = "settings"
SECRET_KEY_FILE = "secret_key"  # noqa: S105 — a file name, not a secret
KEY_FILES = (SECRET_KEY_FILE, PERSONAL_DATA_KEY_FILE)
#: Settings never written into a backup.
SECRET_SETTINGS = frozenset({"SECRET_KEY", "PERSONAL_DATA_KEY", "SMTP_PASSWORD"})
KEYS_WARNING = ("密钥不在备份中：请用 opengov backup --keys 目录 把 secret_key 和 personal_data_key "
                "另存到与备份分开保管的介质上。没有 personal_data_key，恢复后的申请人身份证号、"
                "联系方式无法解密。")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    #: When the backup's database copy was taken (naive UTC).
    created_at: dt.datetime


@dataclass
class BackupReport:
    path: Path
    database_bytes: int
    files: int
    file_bytes: int
    tables: dict[str, int]
    seconds: float
    keys_path: Path | None
    warnings: list[str] = field(default_factory=list)


# --- small helpers ------------------------------------------------------------------------

def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def key_fingerprint(key: str | None) -> str | None:
    """Tells two keys apart without revealing them (16 hex digits of a SHA-256)."""
    if not key:
        return None
    return hashlib.sha256(b"opengov-key-fingerprint:" + key.strip().encode()).hexdigest()[:16]


def _file_entry(root: Path, path: Path) -> dict[str, Any]:
    return {"path": path.relative_to(root).as_posix(), "size": path.stat().st_size,
            "sha256": _sha256(path)}


def _copy_hashed(source: Path, target: Path) -> dict[str, Any]:
    """Copy ``source`` to ``target`` hashing the bytes on the way (one read)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with source.open("rb") as reading, target.open("wb") as writing:
        for chunk in iter(lambda: reading.read(1 << 20), b""):
            digest.update(chunk)
            writing.write(chunk)
            size += len(chunk)
    shutil.copystat(source, target)
    return {"size": size, "sha256": digest.hexdigest()}


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise InvalidInputError("内存中的 SQLite 数据库无法备份。")
    return Path(url.database)


def libpq_environment(url: URL) -> dict[str, str]:
    """Connection settings of ``url`` for pg_dump/pg_restore, as libpq's environment
    variables: the password never appears on a command line (``ps`` shows those)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    names = {"host": "PGHOST", "port": "PGPORT", "sslmode": "PGSSLMODE",
             "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY"}
    for key, value in url.query.items():
        if key in names:
            env[names[key]] = value if isinstance(value, str) else value[0]
    if url.host:
        env["PGHOST"] = url.host
    if url.port:
        env["PGPORT"] = str(url.port)
    if url.username:
        env["PGUSER"] = url.username
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    if url.database:
        env["PGDATABASE"] = url.database
    return env


def _run(command: list[str], env: Mapping[str, str]) -> None:
    try:
        # pg_dump/pg_restore with arguments made here, never a shell.
        subprocess.run(command, env=dict(env), check=True, capture_output=True,  # noqa: S603
                       text=True)
    except FileNotFoundError as exc:
        raise ConflictError(f"找不到 {command[0]}：请安装 Debian 软件包 postgresql-client") from exc
    except subprocess.CalledProcessError as exc:
        raise ConflictError(f"{command[0]} 失败：{exc.stderr.strip()[-800:]}") from exc


def site_version() -> str:
    try:
        return package_metadata.version("opengov")
    except package_metadata.PackageNotFoundError:
        return "unknown"


# --- finding backups --------------------------------------------------------------------

def complete_backups(parent: Path) -> list[BackupInfo]:
    """The complete backups in ``parent``, oldest first."""
    found: list[BackupInfo] = []
    if not parent.is_dir():
        return found
    for path in sorted(parent.glob(PREFIX + "*")):
        if path.name.endswith(PARTIAL) or not (path / MANIFEST).is_file():
            continue
        try:
            manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
            created = dt.datetime.fromisoformat(manifest["created_at"])
        except (OSError, ValueError, KeyError):
            continue
        found.append(BackupInfo(path, clock.beijing_to_utc(created)))
    return found


def newest_backup(parent: Path) -> BackupInfo | None:
    backups = complete_backups(parent)
    return backups[-1] if backups else None


def prune_backups(parent: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest complete backups, and interrupted ones older than
    a day; returns what was deleted."""
    deleted = []
    for info in complete_backups(parent)[:-keep] if keep > 0 else []:
        shutil.rmtree(info.path)
        deleted.append(info.path)
    day_ago = time.time() - 86400
    for path in parent.glob(PREFIX + "*" + PARTIAL) if parent.is_dir() else []:
        if path.stat().st_mtime < day_ago:
            shutil.rmtree(path, ignore_errors=True)
            deleted.append(path)
    return deleted


# --- taking a backup --------------------------------------------------------------------

def _backup_sqlite(source: Path, target: Path) -> dict[str, int]:
    """SQLite's online backup of one moment (readers and writers of the site go on), made a
    self-contained file and checked; returns the row count of every table."""
    if not source.is_file():
        raise ConflictError(f"数据库文件不存在：{source}")
    reading = sqlite3.connect(source, timeout=60)
    writing = sqlite3.connect(target)
    try:
        # One step (pages=-1): the copy is of one snapshot, not restarted by writers.
        reading.backup(writing)
    finally:
        reading.close()
    try:
        writing.execute("PRAGMA journal_mode=DELETE")
        problem = writing.execute("PRAGMA quick_check").fetchone()[0]
        if problem != "ok":
            raise ConflictError(f"数据库备份校验失败：{problem}")
        return _sqlite_counts(writing)
    finally:
        writing.close()


def _sqlite_counts(connection: sqlite3.Connection) -> dict[str, int]:
    tables = [row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name")]
    # The names come from the database's own catalogue, quoted as identifiers.
    return {table: int(connection.execute(
        f"SELECT COUNT(*) FROM {_quote(table)}").fetchone()[0])  # noqa: S608
        for table in tables}


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _count(connection: Connection, table: str) -> int:
    return int(connection.execute(select(func.count()).select_from(sql_table(table)))
               .scalar_one())


def _backup_postgresql(engine: Engine, target: Path) -> dict[str, int]:
    """pg_dump of a snapshot exported from a REPEATABLE READ transaction that also counts
    the rows, so the counts are those of the dump."""
    with copying.snapshot(engine) as reading:
        snapshot_id = reading.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        tables = list(reading.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "ORDER BY tablename")).scalars())
        counts = {table: _count(reading, table) for table in tables}
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
              f"--snapshot={snapshot_id}", f"--file={target}"],
             libpq_environment(engine.url))
    return counts


def _copy_uploads(upload_dir: Path, work: Path, copied: list[dict[str, Any]]) -> None:
    """Copy the files of ``upload_dir`` not copied yet into ``work/uploads``."""
    if not upload_dir.is_dir():
        return
    done = {str(entry["path"]) for entry in copied}
    for source in sorted(upload_dir.rglob("*")):
        if not source.is_file() or source.is_symlink():
            continue
        relative = (Path(UPLOADS) / source.relative_to(upload_dir)).as_posix()
        if relative in done:
            continue
        try:
            entry = _copy_hashed(source, work / relative)
        except FileNotFoundError:  # deleted since listed: not in the database copy either
            continue
        copied.append({"path": relative, **entry})


def _referenced_files(database: Path) -> set[str]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        try:
            return {row[0] for row in connection.execute("SELECT stored_name FROM attachments")}
        except sqlite3.OperationalError:
            return set()


def _settings_in_effect() -> dict[str, Any]:
    config = current_app.config
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        if setting.name in SECRET_SETTINGS:
            continue
        value = config.get(setting.name)
        if setting.name == "DATABASE_URL":
            value = make_url(str(value)).render_as_string(hide_password=True)
        values[setting.name] = value
    return values


def _write_keys(keys_root: Path, name: str) -> Path:
    """The keys in effect into ``keys_root/name`` (folder 700, files 600)."""
    folder = keys_root / name
    folder.mkdir(parents=True, exist_ok=False, mode=0o700)
    folder.chmod(0o700)
    for file_name, setting in ((SECRET_KEY_FILE, "SECRET_KEY"),
                               (PERSONAL_DATA_KEY_FILE, "PERSONAL_DATA_KEY")):
        value = current_app.config.get(setting)
        if value:
            _write_key_file(folder / file_name, str(value))
    return folder


def _write_key_file(path: Path, key: str) -> None:
    """A new key file readable by its owner only (created so, never widened)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(key.strip())


def _new_name(parent: Path) -> str:
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    name = PREFIX + stamp
    serial = 1
    while (parent / name).exists() or (parent / (name + PARTIAL)).exists():
        serial += 1
        name = f"{PREFIX}{stamp}-{serial}"
    return name


def create_backup(parent: Path | None = None, *, keys_to: Path | None = None) -> BackupReport:
    """Back the running site up into a new folder in ``parent`` (BACKUP_DIR by default);
    with ``keys_to``, write the keys to a folder of the same name there, which must not be
    inside ``parent``."""
    started = time.perf_counter()
    config = current_app.config
    parent = (parent or Path(config["BACKUP_DIR"])).resolve()
    instance = Path(current_app.instance_path).resolve()
    upload_dir = Path(config["UPLOAD_DIR"]).resolve()
    if keys_to is not None and (_inside(keys_to, parent) or _inside(parent, keys_to)):
        raise InvalidInputError("密钥目录不能在备份目录之内（也不能包含备份目录）：密钥须与备份分开保管。")
    if _inside(parent, upload_dir):
        raise InvalidInputError("备份目录不能在上传目录之内。")
    parent.mkdir(parents=True, exist_ok=True)
    name = _new_name(parent)
    work = parent / (name + PARTIAL)
    work.mkdir()
    try:
        engine = get_database().engine
        revision = migrate.current_revision(engine)
        # Uploads are copied before the database and again after it: a stored file never
        # changes under its (random) name, so the second pass only adds the files of
        # attachments made meanwhile, and every file the database copy names is there
        # even if staff delete its attachment while the backup runs.
        uploads: list[dict[str, Any]] = []
        _copy_uploads(upload_dir, work, uploads)
        taken_at = clock.now()
        files: list[dict[str, Any]] = []
        if engine.dialect.name == "sqlite":
            database_file = work / SQLITE_FILE
            counts = _backup_sqlite(sqlite_path(engine.url), database_file)
        elif engine.dialect.name == "postgresql":
            database_file = work / PGDUMP_FILE
            counts = _backup_postgresql(engine, database_file)
        else:
            raise InvalidInputError(f"不支持备份 {engine.dialect.name} 数据库。")
        files.append(_file_entry(work, database_file))
        _copy_uploads(upload_dir, work, uploads)
        files.extend(sorted(uploads, key=lambda entry: str(entry["path"])))
        file_bytes = sum(int(entry["size"]) for entry in uploads)

        warnings: list[str] = []
        if engine.dialect.name == "sqlite":
            missing = _referenced_files(database_file) - {
                Path(entry["path"]).name for entry in files
                if entry["path"].startswith(UPLOADS + "/")}
            if missing:
                warnings.append(f"数据库中有 {len(missing)} 个附件在上传目录中找不到（备份前已缺失）："
                                + "、".join(sorted(missing)[:10]))

        settings_dir = work / SETTINGS_DIR
        settings_dir.mkdir()
        if (instance / INSTANCE_FILE).is_file():
            shutil.copy2(instance / INSTANCE_FILE, settings_dir / INSTANCE_FILE)
            files.append(_file_entry(work, settings_dir / INSTANCE_FILE))
        effective = settings_dir / "settings-in-effect.json"
        effective.write_text(json.dumps(_settings_in_effect(), ensure_ascii=False, indent=2,
                                        default=str), encoding="utf-8")
        files.append(_file_entry(work, effective))

        keys_path = _write_keys(keys_to.resolve(), name) if keys_to is not None else None
        if keys_path is None:
            warnings.append(KEYS_WARNING)
        manifest = {
            "format": FORMAT,
            "created_at": taken_at.replace(tzinfo=None).isoformat(timespec="seconds"),
            "site_version": site_version(),
            "revision": revision,
            "database": {"dialect": engine.dialect.name, "file": database_file.name},
            "tables": counts,
            "files": files,
            "keys": {"secret_key": key_fingerprint(config.get("SECRET_KEY")),
                     "personal_data_key": key_fingerprint(config.get("PERSONAL_DATA_KEY"))},
        }
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2),
                                     encoding="utf-8")
        database_bytes = database_file.stat().st_size
        _sync(work)
        final = parent / name
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return BackupReport(final, database_bytes, len(uploads), file_bytes, counts,
                        time.perf_counter() - started, keys_path, warnings)


def _sync(folder: Path) -> None:
    """Flush the backup to disk before it is declared complete."""
    for path in [*folder.rglob("*"), folder]:
        if path.is_file() or path.is_dir():
            descriptor = os.open(path, os.O_RDONLY)
            try:
                os.fsync(descriptor)
            finally:
                os.close(descriptor)


# --- checking and restoring ---------------------------------------------------------------

@dataclass(frozen=True)
class Manifest:
    path: Path
    data: dict[str, Any]

    @property
    def dialect(self) -> str:
        return str(self.data["database"]["dialect"])

    @property
    def database_file(self) -> Path:
        return self.path / str(self.data["database"]["file"])

    @property
    def tables(self) -> dict[str, int]:
        return {str(k): int(v) for k, v in self.data["tables"].items()}

    @property
    def revision(self) -> str | None:
        value = self.data.get("revision")
        return str(value) if value else None

    def key(self, name: str) -> str | None:
        value = self.data.get("keys", {}).get(name)
        return str(value) if value else None


def read_backup(path: Path) -> Manifest:
    """The backup at ``path`` with every file checked against its manifest;
    :class:`InvalidInputError` listing what is missing or damaged."""
    manifest_file = path / MANIFEST
    if not manifest_file.is_file():
        raise InvalidInputError(f"{path} 不是完整的备份（没有 {MANIFEST}）。")
    try:
        data = json.loads(manifest_file.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise InvalidInputError(f"{manifest_file} 已损坏：{exc}") from exc
    if data.get("format") != FORMAT:
        raise InvalidInputError(f"不认识的备份格式 {data.get('format')}。")
    problems = []
    for entry in data["files"]:
        file = path / entry["path"]
        if not file.is_file():
            problems.append(f"缺少 {entry['path']}")
        elif file.stat().st_size != entry["size"] or _sha256(file) != entry["sha256"]:
            problems.append(f"{entry['path']} 与清单不符（已损坏或被改动）")
    if problems:
        raise InvalidInputError("备份不完整：" + "；".join(problems[:20]))
    return Manifest(path, data)


def iter_key_files(folder: Path) -> Iterator[tuple[str, str]]:
    for name in KEY_FILES:
        file = folder / name
        if file.is_file():
            yield name, file.read_text(encoding="ascii").strip()


def place_keys(manifest: Manifest, instance: Path, keys_from: Path | None,
               configured: Mapping[str, str | None]) -> list[str]:
    """Put the backup's keys into ``instance`` before the site is started on it, from
    ``keys_from`` (a folder written by ``backup --keys``), checked against the backup's
    fingerprints. Keys given by settings (``configured``) or already in the instance are
    kept, and checked too. Returns lines for the operator; :class:`ConflictError` when the
    personal-data key that encrypted the backup is not at hand or another one is."""
    lines = []
    offered = dict(iter_key_files(keys_from)) if keys_from is not None else {}
    instance.mkdir(parents=True, exist_ok=True)
    for name, setting in ((SECRET_KEY_FILE, "SECRET_KEY"),
                          (PERSONAL_DATA_KEY_FILE, "PERSONAL_DATA_KEY")):
        expected = manifest.key(name)
        file = instance / name
        present = configured.get(setting) or (
            file.read_text(encoding="ascii").strip() if file.is_file() else None)
        if present:
            if expected and key_fingerprint(present) != expected:
                if name == PERSONAL_DATA_KEY_FILE:
                    raise ConflictError("实例已有的 personal_data_key 与备份所用的不同：用它无法解密"
                                        "备份中的个人信息，恢复已停止。")
                lines.append("secret_key 与备份时不同：工作人员需重新登录。")
            continue
        given = offered.get(name)
        if given:
            if expected and key_fingerprint(given) != expected:
                raise ConflictError(f"{keys_from} 中的 {name} 不是这份备份所用的密钥。")
            _write_key_file(file, given)
            lines.append(f"已恢复 {name}。")
        elif name == PERSONAL_DATA_KEY_FILE and expected:
            raise ConflictError(
                "没有这份备份所用的 personal_data_key：请用 --keys 指向备份时另存的密钥目录"
                "（或设置 OPENGOV_PERSONAL_DATA_KEY）。没有它，申请人的个人信息无法解密，恢复已停止。")
        elif name == SECRET_KEY_FILE:
            _write_key_file(file, secrets.token_hex(32))
            lines.append("没有备份时的 secret_key：已生成新的，工作人员需重新登录。")
    return lines


def place_settings(manifest: Manifest, instance: Path) -> list[str]:
    """The backup's instance file ``opengov.toml`` into ``instance`` unless one is there (it
    may name the database, so it is placed before the site starts on the instance)."""
    settings_file = manifest.path / SETTINGS_DIR / INSTANCE_FILE
    instance_file = instance / INSTANCE_FILE
    if not settings_file.is_file():
        return []
    if instance_file.exists():
        return [f"实例目录中已有 {INSTANCE_FILE}，未用备份中的覆盖。"]
    instance.mkdir(parents=True, exist_ok=True)
    shutil.copy2(settings_file, instance_file)
    return [f"已恢复设置文件 {INSTANCE_FILE}。"]


@dataclass
class RestoreReport:
    tables: dict[str, int]
    files: int
    seconds: float
    lines: list[str] = field(default_factory=list)


def _require_empty_instance(engine: Engine, upload_dir: Path) -> None:
    if engine.dialect.name == "sqlite":
        path = sqlite_path(engine.url)
        if path.exists() and path.stat().st_size > 0:
            raise ConflictError(f"数据库文件已存在：{path}；恢复只能在空实例中进行。")
    else:
        with engine.connect() as connection:
            tables = list(connection.execute(text(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")).scalars())
        if tables:
            raise ConflictError("目标数据库中已有表；恢复只能在空数据库中进行（请新建一个数据库）。")
    if upload_dir.is_dir() and any(upload_dir.iterdir()):
        raise ConflictError(f"上传目录不是空的：{upload_dir}；恢复只能在空实例中进行。")


def _restore_sqlite_file(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    reading = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    writing = sqlite3.connect(target)
    try:
        reading.backup(writing)
        writing.execute("PRAGMA journal_mode=WAL")
    finally:
        reading.close()
        writing.close()


def _counts(engine: Engine) -> dict[str, int]:
    with copying.snapshot(engine) as reading:
        if engine.dialect.name == "sqlite":
            tables = list(reading.execute(text(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )).scalars())
        else:
            tables = list(reading.execute(text(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"))
                .scalars())
        return {table: _count(reading, table) for table in sorted(tables)}


def restore_backup(manifest: Manifest) -> RestoreReport:
    """Restore the checked backup into the site's empty database and upload folder; the
    caller then migrates to the program's version and rebuilds the search index
    (``opengov init``). A SQLite backup may be restored into PostgreSQL (copied table by
    table); a PostgreSQL dump needs PostgreSQL."""
    started = time.perf_counter()
    config = current_app.config
    engine = get_database().engine
    upload_dir = Path(config["UPLOAD_DIR"])
    _require_empty_instance(engine, upload_dir)
    lines = []
    target = engine.dialect.name
    if manifest.dialect == "sqlite" and target == "sqlite":
        engine.dispose()
        _restore_sqlite_file(manifest.database_file, sqlite_path(engine.url))
    elif manifest.dialect == "postgresql" and target == "postgresql":
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
              "--single-transaction", f"--dbname={engine.url.database}",
              str(manifest.database_file)], libpq_environment(engine.url))
    elif manifest.dialect == "sqlite" and target == "postgresql":
        source = make_engine(f"sqlite:///{manifest.database_file}")
        try:
            copying.copy_between(source, engine)
        finally:
            source.dispose()
        lines.append("SQLite 备份已逐表复制到 PostgreSQL。")
    else:
        raise InvalidInputError("PostgreSQL 的备份只能恢复到 PostgreSQL：请先恢复到一个 PostgreSQL "
                                "数据库，再用 opengov db copy 复制到 SQLite。")
    found = _counts(engine)
    expected = manifest.tables
    wrong = [f"{table}（备份 {rows} 行，恢复后 {found.get(table, 0)} 行）"
             for table, rows in expected.items() if found.get(table, 0) != rows]
    if wrong:
        raise ConflictError("恢复后的行数与备份清单不符：" + "；".join(wrong))

    files = 0
    for entry in manifest.data["files"]:
        relative = Path(entry["path"])
        if relative.parts[0] != UPLOADS:
            continue
        destination = upload_dir.joinpath(*relative.parts[1:])
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(manifest.path / relative, destination)
        files += 1
    return RestoreReport(found, files, time.perf_counter() - started, lines)
