"""Database engine, the per-request session and the unit of work.

Reading and writing are told apart. A transaction is read-only unless it was opened by
:func:`unit_of_work` (services) or inside :func:`write_intent` (migrations, set-up):

- on SQLite (WAL, busy timeout), a read transaction is a plain deferred ``BEGIN`` with
  ``PRAGMA query_only`` on, so readers in every worker run side by side and never take the
  write lock; a writing transaction starts with ``BEGIN IMMEDIATE``, so concurrent writers
  queue for the lock instead of failing with "database is locked" halfway through;
- on PostgreSQL, a read transaction is ``SET TRANSACTION READ ONLY``.

A write outside a unit of work therefore fails at once on both databases: a GET cannot
write by accident.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from flask import Flask, g
from sqlalchemy import Engine, Enum, MetaData, create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from opengov.site.exceptions import StorageUnavailableError

EXTENSION_KEY = "opengov.db"

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every table; constraint names are stable for Alembic."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def str_enum(enum_class: type[Any], name: str) -> Enum:
    """A column of ``enum_class``, stored as the enum's values."""
    # Stored as the enum's value (Chinese labels), as VARCHAR with a CHECK; readable in SQL.
    return Enum(enum_class, name=name, native_enum=False, create_constraint=True, length=20,
                values_callable=lambda members: [member.value for member in members])


#: Whether transactions begun now may write (set by :func:`write_intent`).
_WRITING: ContextVar[bool] = ContextVar("opengov_db_writing", default=False)


@contextmanager
def write_intent() -> Iterator[None]:
    """Transactions begun inside this block may write (SQLite: ``BEGIN IMMEDIATE``)."""
    token = _WRITING.set(True)
    try:
        yield
    finally:
        _WRITING.reset(token)


#: How long a writer waits for SQLite's write lock before giving up with a 503; below the
#: web worker's time-out, so a long lock answers "暂时无法提交" instead of killing the worker.
DEFAULT_BUSY_TIMEOUT_SECONDS = 10


def _configure_sqlite(engine: Engine, busy_timeout: float) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself (below) instead of pysqlite's deferred BEGIN.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        if _WRITING.get():
            connection.exec_driver_sql("PRAGMA query_only=OFF")
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("PRAGMA query_only=ON")
            connection.exec_driver_sql("BEGIN")


def _configure_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        if not _WRITING.get():
            connection.exec_driver_sql("SET TRANSACTION READ ONLY")


def make_engine(url: str, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT_SECONDS,
                **kwargs: Any) -> Engine:
    """An engine for ``url`` with the SQLite tuning applied where it applies."""
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, busy_timeout)
    elif engine.dialect.name == "postgresql":
        _configure_postgresql(engine)
    return engine


class Database:
    """The engine and session factory of one application."""

    def __init__(self, url: str, busy_timeout: float = DEFAULT_BUSY_TIMEOUT_SECONDS) -> None:
        self.engine = make_engine(url, busy_timeout=busy_timeout)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION_KEY] = Database(
        app.config["DATABASE_URL"],
        app.config.get("DATABASE_BUSY_TIMEOUT_SECONDS", DEFAULT_BUSY_TIMEOUT_SECONDS))
    app.teardown_appcontext(_close_session)


def get_database() -> Database:
    from flask import current_app

    database: Database = current_app.extensions[EXTENSION_KEY]
    return database


def get_session() -> Session:
    """The session of the current request or CLI command, opened on first use."""
    if "db_session" not in g:
        g.db_session = get_database().sessionmaker()
    session: Session = g.db_session
    return session


def _close_session(_exc: BaseException | None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        session.close()


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """The session of the current request or command, in a transaction that may write.

    Commits when the block ends, rolls back when it raises. A unit of work opened inside
    another joins it (the outer one commits). A read transaction still open on the session is
    ended first, so the write transaction sees the latest committed data.
    """
    session = get_session()
    if session.info.get("writing"):
        yield session
        return
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("changes made outside a unit of work")
    if session.in_transaction():
        session.commit()  # ends the read transaction; expire_on_commit is off
    session.info["writing"] = True
    token = _WRITING.set(True)
    try:
        session.connection()  # begins now, while the write intent is set
        yield session
        session.commit()
    except DBAPIError as exc:
        session.rollback()
        if storage_unavailable(exc):
            raise StorageUnavailableError() from exc
        raise
    except BaseException:
        session.rollback()
        raise
    finally:
        _WRITING.reset(token)
        session.info["writing"] = False


#: What the databases say when they cannot take a write now, as opposed to a bug in a
#: statement: SQLite's locked, read-only, full or unreachable file; PostgreSQL's read-only
#: server (a standby, ``default_transaction_read_only``), lock and statement time-outs, and a
#: server shutting down or unreachable (SQLSTATE classes 08, 53, 57 and 25006, 55P03).
_SQLITE_UNAVAILABLE = ("database is locked", "readonly database", "unable to open database",
                       "disk i/o error", "database or disk is full", "database table is locked")
_POSTGRES_UNAVAILABLE = ("08", "53", "57", "25006", "55P03")


def storage_unavailable(exc: DBAPIError) -> bool:
    """Whether ``exc`` means "the database cannot write now" rather than a bad statement."""
    if exc.connection_invalidated:
        return True
    original = exc.orig
    sqlstate = str(getattr(original, "sqlstate", "") or getattr(original, "pgcode", "") or "")
    if sqlstate:
        return sqlstate.startswith(_POSTGRES_UNAVAILABLE)
    text = str(original).lower()
    return any(marker in text for marker in _SQLITE_UNAVAILABLE)


def advisory_lock(session: Session, name: str) -> None:
    """Hold a lock named ``name`` until the caller's transaction ends, so that a check
    followed by an insert (a duplicate, a rate limit) cannot interleave with the same check
    of another transaction. PostgreSQL: ``pg_advisory_xact_lock``; SQLite serialises every
    writing transaction already (``BEGIN IMMEDIATE``), so nothing more is needed there."""
    if session.get_bind().dialect.name != "postgresql":
        return
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    key = int.from_bytes(digest[:8], "big", signed=True)
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
