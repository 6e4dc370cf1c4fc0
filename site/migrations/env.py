"""Alembic environment: the connection is handed in by opengov.site.migrate."""

from alembic import context

import opengov.site.schema  # noqa: F401 — registers every table
from opengov.site.db import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `opengov init` or `opengov db upgrade`")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
