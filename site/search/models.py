"""Search vocabulary that staff maintain and anonymous query statistics."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from opengov.site.clock import utcnow
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
    #: Distinct visitors who searched it that day (see :class:`QueryVisitor`).
    visitors: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class QueryVisitor(Base):
    """A pseudonymous visitor who searched a query on a day, so 热门搜索 counts *distinct*
    visitors. The token is a keyed hash of the address with a salt of that day that the index
    worker deletes the next day: afterwards nobody can tell whose it was. Rows of past days
    are deleted with their salt."""

    __tablename__ = "search_query_visitors"
    __table_args__ = (UniqueConstraint("query", "day", "visitor"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    query: Mapped[str] = mapped_column(String(200))
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    visitor: Mapped[str] = mapped_column(String(24))


class PopularSearchDecision(Base):
    """Staff's decision on a query for 热门搜索: shown (approved, when review is on) or never
    shown (blocked)."""

    __tablename__ = "search_popular_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    query: Mapped[str] = mapped_column(String(200), unique=True)
    #: "approved" or "blocked"
    decision: Mapped[str] = mapped_column(String(10))
    decided_by: Mapped[str] = mapped_column(String(60), default="")
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class BlockedSearchTerm(Base):
    """A word that keeps every query containing it out of 热门搜索 (advertising, abuse,
    names)."""

    __tablename__ = "search_blocked_terms"

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(String(60), unique=True)
    added_by: Mapped[str] = mapped_column(String(60), default="")
    added_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
