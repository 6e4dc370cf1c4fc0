"""``opengov db copy --to URL``: move a whole site — every table — from one database to
another (SQLite to PostgreSQL as a county's site grows, and back), verified by row counts and
content checksums.

The target is migrated to the source's schema version and must be empty. The source is read
in one snapshot (SQLite: one read transaction; PostgreSQL: REPEATABLE READ), so the copy is
consistent even if the site runs; stop it first all the same, or the changes made after the
snapshot stay behind. The copy is one transaction on the target: it lands whole or not at
all. Rows keep their ids (links, 索引号 counters, personal-data pseudonyms stay valid), and on
PostgreSQL the id sequences are moved past them.

Foreign keys that point to a table not yet copied, or to the same table (a column's parent,
an agency's parent), are filled in after every table is there, so any order of rows works
with the constraints on.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Table,
    bindparam,
    func,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import make_url

from opengov.site import migrate
from opengov.site.db import get_database, make_engine, write_intent
from opengov.site.exceptions import ConflictError, InvalidInputError
from opengov.site.schema import metadata as site_metadata

#: Rows read and written per round trip.
BATCH = 1000
#: Alembic's own table: the target gets it from migrating, not from the copy.
VERSION_TABLE = "alembic_version"


@dataclass(frozen=True)
class TableCopy:
    name: str
    rows: int
    checksum: str


@dataclass
class CopyReport:
    source: str
    target: str
    revision: str | None
    tables: list[TableCopy] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(table.rows for table in self.tables)


def _normalise(value: Any) -> Any:
    """One spelling of a value whichever database it came from, for the checksum."""
    if isinstance(value, enum.Enum):
        return _normalise(value.value)
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return value


def _digest_rows(digest: Any, rows: list[Any]) -> None:
    for row in rows:
        digest.update(json.dumps([_normalise(value) for value in row], ensure_ascii=False,
                                 default=str).encode())
        digest.update(b"\n")


def _ordered(table: Table) -> Any:
    return select(table).order_by(*table.primary_key.columns)


def _stream(connection: Connection, table: Table) -> Iterator[list[Any]]:
    result = connection.execution_options(yield_per=BATCH).execute(_ordered(table))
    for partition in result.partitions(BATCH):
        yield list(partition)


def table_fingerprint(connection: Connection, table: Table) -> TableCopy:
    """Row count and checksum of ``table`` as read through ``connection``."""
    digest = hashlib.sha256()
    rows = 0
    for batch in _stream(connection, table):
        _digest_rows(digest, batch)
        rows += len(batch)
    return TableCopy(table.name, rows, digest.hexdigest())


@contextmanager
def snapshot(engine: Engine) -> Iterator[Connection]:
    """A read-only connection that sees one moment of the whole database."""
    connection = engine.connect()
    try:
        if engine.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            yield connection
    finally:
        connection.close()


def site_tables() -> list[Table]:
    """Every table of the site in an order that respects most foreign keys."""
    return list(site_metadata.sorted_tables)


def _check_same_tables(engine: Engine) -> None:
    """Every table the database holds is one the site knows: nothing is left behind."""
    present = set(inspect(engine).get_table_names()) - {VERSION_TABLE}
    known = {table.name for table in site_tables()}
    if present - known:
        raise ConflictError("数据库中有程序不认识的表，无法保证完整复制："
                            + "、".join(sorted(present - known)))
    if known - present:
        raise ConflictError("数据库缺少以下表，请先运行 opengov upgrade："
                            + "、".join(sorted(known - present)))


def _deferred_columns(table: Table, copied: set[str]) -> list[str]:
    """Foreign-key columns of ``table`` that point to itself or to a table not yet copied."""
    columns = []
    for key in table.foreign_keys:
        target = key.column.table.name
        if target == table.name or target not in copied:
            columns.append(key.parent.name)
    return sorted(set(columns))


def _reset_sequences(connection: Connection) -> None:
    """PostgreSQL: move each id sequence past the ids copied in."""
    for table in site_tables():
        for column in table.primary_key.columns:
            sequence = connection.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                          {"t": table.name, "c": column.name}).scalar()
            if sequence:
                highest = connection.execute(select(func.max(column))).scalar()
                connection.execute(text("SELECT setval(:s, :next, false)"),
                                   {"s": sequence, "next": (highest or 0) + 1})


def _seeded_by_migrations(table: Table) -> bool:
    """Tables whose rows the migrations write (a state row): they hold data in a freshly
    migrated, empty database, and the copy replaces them."""
    return bool(table.info.get("seeded_by_migrations"))


def _require_empty(connection: Connection) -> None:
    filled = [table.name for table in site_tables() if not _seeded_by_migrations(table)
              and connection.execute(select(func.count()).select_from(table)).scalar()]
    if filled:
        raise ConflictError("目标数据库不是空的（" + "、".join(filled[:10])
                            + (" 等" if len(filled) > 10 else "") + " 表中已有数据）；"
                            "请复制到新建的空数据库。")


def copy_between(source: Engine, target: Engine,
                 progress: Callable[[str, int], None] | None = None) -> CopyReport:
    """Copy every table from ``source`` to the empty ``target`` (migrated here to the
    source's version) and verify them; :class:`ConflictError` if they differ."""
    _check_same_tables(source)
    revision = migrate.current_revision(source)
    if revision is None:
        raise ConflictError("源数据库没有迁移版本，不是本网站的数据库。")
    migrate.upgrade(target, revision)
    report = CopyReport(source.url.render_as_string(hide_password=True),
                        target.url.render_as_string(hide_password=True), revision)
    copied: set[str] = set()
    fixes: list[tuple[Table, list[str], list[dict[str, Any]]]] = []
    with snapshot(source) as reading, write_intent(), target.begin() as writing:
        _require_empty(writing)
        for table in site_tables():
            if _seeded_by_migrations(table):
                writing.execute(table.delete())
            deferred = _deferred_columns(table, copied)
            keys = [column.name for column in table.primary_key.columns]
            digest = hashlib.sha256()
            rows = 0
            later: list[dict[str, Any]] = []
            for batch in _stream(reading, table):
                _digest_rows(digest, batch)
                records = [dict(row._mapping) for row in batch]
                if deferred:
                    for record in records:
                        values = {name: record[name] for name in deferred}
                        if any(value is not None for value in values.values()):
                            later.append({**{f"k_{k}": record[k] for k in keys},
                                          **{f"v_{name}": value
                                             for name, value in values.items()}})
                        for name in deferred:
                            record[name] = None
                writing.execute(table.insert(), records)
                rows += len(records)
                if progress is not None:
                    progress(table.name, len(records))
            if later:
                fixes.append((table, deferred, later))
            copied.add(table.name)
            report.tables.append(TableCopy(table.name, rows, digest.hexdigest()))
        for table, deferred, later in fixes:
            statement = update(table).where(
                *[table.c[k] == bindparam(f"k_{k}") for k in
                  (column.name for column in table.primary_key.columns)]
            ).values({name: bindparam(f"v_{name}") for name in deferred})
            writing.execute(statement, later)
        if target.dialect.name == "postgresql":
            _reset_sequences(writing)
    _verify(target, report)
    return report


def _verify(target: Engine, report: CopyReport) -> None:
    """Read the copy back: every table must have the source's rows, value for value."""
    with snapshot(target) as reading:
        differences = []
        for expected in report.tables:
            found = table_fingerprint(reading, site_metadata.tables[expected.name])
            if found != expected:
                differences.append(f"{expected.name}（源 {expected.rows} 行，目标 {found.rows} 行"
                                   + ("，内容不一致" if found.rows == expected.rows else "") + "）")
    if differences:
        raise ConflictError("复制后核对不一致：" + "；".join(differences))


def copy_database(target_url: str,
                  progress: Callable[[str, int], None] | None = None) -> CopyReport:
    """``opengov db copy --to URL``: the site's database into the empty database at
    ``target_url``. The site's own database is only read."""
    source = get_database().engine
    try:
        parsed = make_url(target_url)
    except Exception as exc:  # SQLAlchemy raises several kinds
        raise InvalidInputError(f"无法识别的数据库地址：{exc}") from exc
    if parsed.render_as_string(hide_password=False) == source.url.render_as_string(
            hide_password=False):
        raise InvalidInputError("目标数据库就是当前网站使用的数据库。")
    if parsed.get_backend_name() not in {"sqlite", "postgresql"}:
        raise InvalidInputError("只支持复制到 SQLite（sqlite:///路径）或 PostgreSQL"
                                "（postgresql+psycopg://…）。")
    target = make_engine(target_url)
    try:
        return copy_between(source, target, progress)
    finally:
        target.dispose()


def fingerprints(engine: Engine) -> dict[str, TableCopy]:
    """Row count and checksum of every table of the site in ``engine``'s database."""
    with snapshot(engine) as reading:
        return {table.name: table_fingerprint(reading, table) for table in site_tables()}
