"""Alembic migrations: numbered in chain order, and in agreement with the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from opengov.site import migrate, schema
from opengov.site.db import make_engine, write_intent


def test_revisions_are_numbered_in_chain_order() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    chain = list(reversed(list(script.walk_revisions())))
    assert chain, "no migrations"
    assert len(script.get_heads()) == 1, "the chain has branched: renumber the later revision"
    for number, revision in enumerate(chain, start=1):
        assert revision.revision.startswith(f"{number:04d}_"), (
            f"revision {revision.revision} is number {number} in the chain")
        assert revision.path.endswith(f"{revision.revision}.py")
        # alembic_version.version_num is VARCHAR(32): a longer id fails on PostgreSQL only.
        assert len(revision.revision) <= 32, revision.revision


def test_next_revision_id_continues_the_numbering() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    count = sum(1 for _ in script.walk_revisions())
    assert migrate.next_revision_id("Add 好差评 ratings!") == f"{count + 1:04d}_add_ratings"
    long = migrate.next_revision_id("standard catalog, managed columns and error reports")
    assert len(long) <= 32
    assert not long.endswith("_")


def test_revision_ids_fit_the_alembic_version_column() -> None:
    """alembic_version.version_num is VARCHAR(32): a longer id fails on PostgreSQL."""
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert all(len(revision.revision) <= 32 for revision in script.walk_revisions())
    assert len(migrate.next_revision_id("consultations and complaints with a long name")) <= 32


def test_models_and_migrations_agree(database_url: str) -> None:
    """A database built by the migrations (the ``database_url`` fixture's template) has
    exactly the tables, columns, types, indexes and constraints the models declare — on SQLite
    and on PostgreSQL."""
    engine = make_engine(database_url)
    try:
        with write_intent(), engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, schema.metadata)
    finally:
        engine.dispose()
    assert differences == []
