"""What ``opengov import-content`` last wrote to each document, so that a later import can
tell a document edited in the back office since then and leave it alone."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from opengov.site.clock import utcnow
from opengov.site.db import Base


class ContentImport(Base):
    """The fingerprint of a document's catalog record (metadata, text, status, attachments,
    interpreted policies) as the last import left it. A record that no longer has it was
    changed by someone else: the back office."""

    __tablename__ = "content_imports"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
