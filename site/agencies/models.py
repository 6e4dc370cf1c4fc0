"""Agencies whose information the site publishes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from opengov.site.agencies.rules import DEFAULT_INDEX_TEMPLATE
from opengov.site.db import Base


class Agency(Base):
    """A body whose information the site publishes: the government, a department, a township.

    Each has its own 政府信息公开指南 (条例 Art. 12), catalog, requests and annual report.
    """

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    short_name: Mapped[str] = mapped_column(String(40), default="")
    #: 组织机构代码 (or 统一社会信用代码), the first part of every 索引号.
    org_code: Mapped[str] = mapped_column(String(40), unique=True)
    #: government / department / township
    kind: Mapped[str] = mapped_column(String(20), default="department")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    index_no_template: Mapped[str] = mapped_column(String(60), default=DEFAULT_INDEX_TEMPLATE)
    # 指南 (条例 Art. 12): the 政府信息公开工作机构 and how to reach it.
    office_name: Mapped[str] = mapped_column(String(100), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    office_hours: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    fax: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str] = mapped_column(String(100), default="")
    website: Mapped[str] = mapped_column(String(200), default="")
    guide_markdown: Mapped[str] = mapped_column(Text, default="")
    guide_updated_on: Mapped[dt.date | None] = mapped_column(Date)

    parent: Mapped[Agency | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Agency]] = relationship(back_populates="parent",
                                                  order_by="Agency.sort_order")

    def __repr__(self) -> str:
        return f"<Agency {self.code} {self.name}>"
