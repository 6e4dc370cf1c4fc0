"""Schema migrations with Alembic, run against the site's engine."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app, has_app_context
from sqlalchemy import Engine

from opengov.site.db import write_intent

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class MigrationRefusedError(RuntimeError):
    """A migration cannot convert the data it finds (e.g. no personal-data key to encrypt
    it with); it stopped before changing anything, and the message tells the operator why."""


def alembic_config() -> Config:
    config = Config(str(MIGRATIONS_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision``; a no-op when it is there already.

    On SQLite, foreign keys are not enforced while migrating: a batch migration rebuilds a
    table (create, copy, drop, rename), and dropping a table that other rows point to fails
    with them on — or, where they cascade, deletes those rows. They are checked once the
    migration is done, inside its transaction, which is rolled back if one is broken.

    Migrations that convert personal data (0014 encrypts applicants' names) get the site's
    personal-data key from the app, when there is one, as ``personal_data_key``; they
    refuse to convert rows without it (:class:`MigrationRefusedError`)."""
    _migrate(engine, lambda config: command.upgrade(config, revision))


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to ``revision`` (developers; as :func:`upgrade` does it)."""
    _migrate(engine, lambda config: command.downgrade(config, revision))


def _migrate(engine: Engine, run: Callable[[Config], None]) -> None:
    config = alembic_config()
    if has_app_context():
        config.attributes["personal_data_key"] = current_app.config.get("PERSONAL_DATA_KEY")
    with write_intent(), engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Outside any transaction: SQLite ignores this pragma inside one.
            connection.connection.driver_connection.execute(  # type: ignore[union-attr]
                "PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                run(config)
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"migration left broken references: {broken[:5]}")
        finally:
            if sqlite:
                connection.connection.driver_connection.execute(  # type: ignore[union-attr]
                    "PRAGMA foreign_keys=ON")


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def next_revision_id(message: str) -> str:
    """``NNNN_slug``: revisions are numbered in chain order (0001, 0002 …), so the file list
    reads as the history; a test checks that the numbers follow the chain."""
    script = ScriptDirectory.from_config(alembic_config())
    number = sum(1 for _ in script.walk_revisions()) + 1
    # alembic_version.version_num is VARCHAR(32): "NNNN_" leaves 27 characters for the slug
    # (a longer id migrates SQLite but fails on PostgreSQL).
    slug = re.sub(r"[^0-9a-z]+", "_", message.lower()).strip("_")[:27].rstrip("_") or "change"
    return f"{number:04d}_{slug}"


def autogenerate(engine: Engine, message: str) -> None:
    """Write a new revision from the difference between the models and the database."""
    config = alembic_config()
    with write_intent(), engine.begin() as connection:
        config.attributes["connection"] = connection
        command.revision(config, message=message, autogenerate=True,
                         rev_id=next_revision_id(message))
