"""The catalog of 主动公开: agencies, columns, documents and their attachments."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from opengov.site.db import Base
from opengov.site.domain.catalog import (
    DEFAULT_INDEX_TEMPLATE,
    Disclosure,
    PublicationStatus,
    Validity,
)


def _str_enum(enum_class: type[Any], name: str) -> Enum:
    # Stored as the enum's value (Chinese labels), as VARCHAR with a CHECK; readable in SQL.
    return Enum(enum_class, name=name, native_enum=False, create_constraint=True, length=20,
                values_callable=lambda members: [member.value for member in members])


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


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


class IndexSerial(Base):
    """The last 索引号 serial issued per agency and year; bumped inside the issuing transaction."""

    __tablename__ = "index_serials"

    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_serial: Mapped[int] = mapped_column(Integer, default=0)


class Category(Base):
    """A column (栏目) of the catalog."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(Text, default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    parent: Mapped[Category | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Category]] = relationship(back_populates="parent",
                                                    order_by="Category.sort_order")

    def __repr__(self) -> str:
        return f"<Category {self.slug}>"


#: 政策解读 ↔ the policy it interprets, navigable both ways.
interpretation_links = Table(
    "interpretation_links",
    Base.metadata,
    Column("policy_id", ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("interpretation_id", ForeignKey("documents.id", ondelete="CASCADE"),
           primary_key=True),
)


class Document(Base):
    """A piece of government information with its catalog metadata (rules.md §3.5)."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("index_no"), UniqueConstraint("content_key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable key of the document in ``content/`` (its file name without ``.md``).
    content_key: Mapped[str | None] = mapped_column(String(120))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")  # 内容概述
    body: Mapped[str] = mapped_column(Text, default="")  # Markdown
    genre: Mapped[str] = mapped_column(String(40), default="其他")  # 体裁 / 公文种类
    issuer: Mapped[str] = mapped_column(String(200), default="")  # 发文机关
    doc_number: Mapped[str] = mapped_column(String(100), default="", index=True)  # 发文字号
    index_no: Mapped[str | None] = mapped_column(String(60))  # 索引号, immutable once issued
    date_written: Mapped[dt.date | None] = mapped_column(Date)  # 成文日期
    changed_on: Mapped[dt.date | None] = mapped_column(Date)  # 形成/变更日期 (Art. 26)
    published_on: Mapped[dt.date | None] = mapped_column(Date, index=True)  # 发布日期
    effective_on: Mapped[dt.date | None] = mapped_column(Date)  # 实施日期
    repealed_on: Mapped[dt.date | None] = mapped_column(Date)  # 废止/失效日期
    topic: Mapped[str] = mapped_column(String(80), default="")  # 主题分类 top\child
    keywords: Mapped[str] = mapped_column(String(300), default="")  # 主题词, "、"-joined
    validity: Mapped[Validity] = mapped_column(_str_enum(Validity, "validity"),
                                               default=Validity.VALID)
    disclosure: Mapped[Disclosure] = mapped_column(_str_enum(Disclosure, "disclosure"),
                                                   default=Disclosure.PROACTIVE)
    non_disclosure_reason: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(300), default="")  # 信息来源
    status: Mapped[PublicationStatus] = mapped_column(
        _str_enum(PublicationStatus, "publication_status"),
        default=PublicationStatus.DRAFT, index=True)
    #: SHA-256 of the normalised body, for duplicate detection on import.
    body_hash: Mapped[str] = mapped_column(String(64), default="", index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow,
                                                    server_default=func.current_timestamp())
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow,
                                                    server_default=func.current_timestamp())

    agency: Mapped[Agency] = relationship()
    category: Mapped[Category] = relationship()
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="Attachment.id")
    interpretations: Mapped[list[Document]] = relationship(
        secondary=interpretation_links,
        primaryjoin=lambda: Document.id == interpretation_links.c.policy_id,
        secondaryjoin=lambda: Document.id == interpretation_links.c.interpretation_id,
        back_populates="policies", order_by="Document.published_on")
    policies: Mapped[list[Document]] = relationship(
        secondary=interpretation_links,
        primaryjoin=lambda: Document.id == interpretation_links.c.interpretation_id,
        secondaryjoin=lambda: Document.id == interpretation_links.c.policy_id,
        back_populates="interpretations", order_by="Document.published_on")

    @property
    def keyword_list(self) -> list[str]:
        return [word for word in self.keywords.split("、") if word]

    @property
    def is_public(self) -> bool:
        """Shown on public pages: published, 主动公开, and its publication date reached."""
        return (self.status == PublicationStatus.PUBLISHED
                and self.disclosure == Disclosure.PROACTIVE
                and self.published_on is not None
                and self.published_on <= dt.date.today())

    def __repr__(self) -> str:
        return f"<Document {self.id} {self.title[:20]}>"


class Attachment(Base):
    """A file attached to a document, stored under a random name; the original name is kept."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"),
                                             index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    #: Text extracted for search, where the format allows.
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    document: Mapped[Document] = relationship(back_populates="attachments")
