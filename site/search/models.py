"""Search vocabulary that staff maintain and anonymous query statistics."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from opengov.site.db import Base


class Synonym(Base):
    """A query word and a word to search for as well (公车 → 公务用车); one row per pair,
    applied in the direction written."""

    __tablename__ = "search_synonyms"
    __table_args__ = (UniqueConstraint("term", "synonym"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(String(60), index=True)
    synonym: Mapped[str] = mapped_column(String(60))


class QueryStat(Base):
    """How often a normalised query was searched on a day: no person, address or time of
    day is kept, so popular searches can be shown without personal data."""

    __tablename__ = "search_query_stats"
    __table_args__ = (UniqueConstraint("query", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    query: Mapped[str] = mapped_column(String(200))
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    #: Searches of this query that found something; popular lists show only useful ones.
    found: Mapped[int] = mapped_column(Integer, default=0)
