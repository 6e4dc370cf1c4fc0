"""The durable outbox of search-index updates (design.md §4)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from opengov.site.db import Base
from opengov.site.models.content import utcnow


class SearchOutbox(Base):
    """A document whose index entry must be brought up to date.

    Written in the same transaction as the content change, so the change and the promise to
    index it commit together; the worker decides from the document's state at processing time
    whether to index or delete it, and retries with back-off when the engine is down.
    """

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: No foreign key: a deleted document must still be removed from the index.
    document_id: Mapped[int] = mapped_column(Integer, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
