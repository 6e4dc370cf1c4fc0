"""Checks of the site's moving parts, for monitoring."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from opengov.site.db import get_session


def database_answers() -> bool:
    """Whether the database answers a trivial query."""
    try:
        get_session().execute(text("SELECT 1"))
    except SQLAlchemyError:
        return False
    return True
