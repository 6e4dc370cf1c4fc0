"""Checks of the site's moving parts, for monitoring."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from opengov.site.db import get_session
from opengov.site.search.service import index as search_index


def database_answers() -> bool:
    """Whether the database answers a trivial query."""
    try:
        get_session().execute(text("SELECT 1"))
    except SQLAlchemyError:
        return False
    return True


@dataclass(frozen=True)
class Readiness:
    """Whether this node can serve everything: the database answers and the search engine
    holds the index; with the search index's queue, so that monitoring sees updates that
    keep failing (the index worker retries them with a growing delay)."""

    database: bool
    search: search_index.IndexHealth | None

    @property
    def ready(self) -> bool:
        return self.database and self.search is not None and self.search.ready


def readiness() -> Readiness:
    if not database_answers():
        return Readiness(database=False, search=None)
    return Readiness(database=True, search=search_index.index_health())
