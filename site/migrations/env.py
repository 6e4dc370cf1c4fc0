"""Alembic environment: the connection is handed in by opengov.site.migrate."""

from typing import Any, Literal

from alembic import context
from sqlalchemy.types import TypeDecorator

import opengov.site.schema  # noqa: F401 — registers every table
from opengov.site.db import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `opengov init` or `opengov db upgrade`")



def render_item(kind: str, obj: Any, _context: Any) -> str | Literal[False]:
    """Columns of the site's own types (e.g. cents as integers) are written as the type they are
    stored as, so that a migration never imports the models it was made from."""
    if kind == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{type(obj.impl_instance).__name__}()"
    return False


context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
    compare_type=True,
    render_item=render_item,
)
with context.begin_transaction():
    context.run_migrations()
