"""The 权力清单: 行政职权 of each agency, kept in versions reviewed before publication, like
service items (the record and revision columns are the service items feature's)."""

from __future__ import annotations

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from opengov.site.db import Base
from opengov.site.service_items.models import EventColumns, RecordColumns, RevisionColumns


class Power(RecordColumns, Base):
    """A 行政职权 of an agency (编码, 名称 and the public version's type)."""

    __tablename__ = "powers"

    power_type: Mapped[str] = mapped_column(String(20), default="", index=True)
    #: The 事项编码 of the public version's 办事指南, if the power has one.
    service_item_code: Mapped[str] = mapped_column(String(60), default="")

    def __repr__(self) -> str:
        return f"<Power {self.code} {self.name[:20]}>"


class PowerRevision(RevisionColumns, Base):
    """One version of a power (:class:`~.rules.PowerContent` as JSON)."""

    __tablename__ = "power_revisions"
    __table_args__ = (UniqueConstraint("record_id", "number"),)
    record_table = "powers"

    record: Mapped[Power] = relationship()


class PowerEvent(EventColumns, Base):
    __tablename__ = "power_events"
    record_table = "powers"
