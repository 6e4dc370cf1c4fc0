"""The rows of each agency's standard catalog and the documents that fulfil them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from opengov.site.agencies.models import Agency
from opengov.site.catalog.models import Document
from opengov.site.clock import utcnow
from opengov.site.db import Base


class StandardCatalogRow(Base):
    """One 公开事项 of an agency's 基层政务公开标准目录 (rules.md §10.1)."""

    __tablename__ = "standard_catalog_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    #: Slug of the pilot domain (:data:`opengov.site.standard_catalog.rules.DOMAINS`).
    domain: Mapped[str] = mapped_column(String(40), index=True)
    #: 序号 within the agency's domain.
    position: Mapped[int] = mapped_column(Integer, default=0)
    item: Mapped[str] = mapped_column(String(200))  # 公开事项（一级事项）
    sub_item: Mapped[str] = mapped_column(String(200), default="")  # 二级事项
    content: Mapped[str] = mapped_column(Text, default="")  # 公开内容（要素）
    basis: Mapped[str] = mapped_column(Text, default="")  # 公开依据
    time_limit: Mapped[str] = mapped_column(String(200), default="")  # 公开时限
    subject: Mapped[str] = mapped_column(String(200), default="")  # 公开主体
    channels: Mapped[str] = mapped_column(String(300), default="")  # 公开渠道和载体
    audience: Mapped[str] = mapped_column(String(20), default="全社会")  # 公开对象
    mode: Mapped[str] = mapped_column(String(20), default="主动")  # 公开方式
    #: Demonstration content (示例), labelled as such wherever it shows.
    is_example: Mapped[bool] = mapped_column(Boolean, default=False)
    #: For a 公开时限 counted from when information arises: the day the pending information
    #: arose, which staff record so that the row can fall due.
    formed_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    agency: Mapped[Agency] = relationship()
    links: Mapped[list[StandardCatalogLink]] = relationship(
        back_populates="row", cascade="all, delete-orphan")


class StandardCatalogLink(Base):
    """A document that fulfils a row (editors pick the row when they publish)."""

    __tablename__ = "standard_catalog_links"
    __table_args__ = (UniqueConstraint("row_id", "document_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    row_id: Mapped[int] = mapped_column(
        ForeignKey("standard_catalog_rows.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    row: Mapped[StandardCatalogRow] = relationship(back_populates="links")
    document: Mapped[Document] = relationship()
