"""The catalog of 主动公开: columns, documents, their attachments, the editorial workflow
(who wrote, reviewed and published a document, and every version that was published) and the
outbox of search-index updates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from opengov.site import clock
from opengov.site.accounts.models import User
from opengov.site.agencies.models import Agency
from opengov.site.catalog.rules.metadata import (
    Disclosure,
    PublicationStatus,
    Validity,
)
from opengov.site.clock import utcnow
from opengov.site.db import Base, str_enum


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
    #: ``column`` (栏目 or 子栏目) or ``feature`` (专栏 of a 重点领域, with a banner).
    kind: Mapped[str] = mapped_column(String(20), default="column", server_default="column")
    #: The 专栏's banner image, stored like attachments under a random name.
    banner_stored_name: Mapped[str | None] = mapped_column(String(80))
    banner_content_type: Mapped[str] = mapped_column(String(40), default="", server_default="")
    banner_alt: Mapped[str] = mapped_column(String(200), default="", server_default="")
    #: A retired column leaves every list; its URLs redirect to the successor or answer 410.
    retired_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    successor_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))

    parent: Mapped[Category | None] = relationship(remote_side=[id], back_populates="children",
                                                   foreign_keys=[parent_id])
    successor: Mapped[Category | None] = relationship(remote_side=[id],
                                                      foreign_keys=[successor_id])
    children: Mapped[list[Category]] = relationship(back_populates="parent",
                                                    order_by="Category.sort_order",
                                                    foreign_keys=[parent_id])

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    @property
    def is_feature(self) -> bool:
        """A 专栏 (special column of a 重点领域) rather than an ordinary column."""
        return self.kind == "feature"

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
    __table_args__ = (
        UniqueConstraint("index_no"), UniqueConstraint("content_key"),
        # The public lists (catalog.service.public) read the newest public documents of a
        # column, of an agency or of all, and count them, from these indexes alone: the
        # equality columns of the public condition, then the date (the order), then what
        # filters test — so that a page costs the same whatever the size of the catalog.
        Index("ix_documents_public_category", "category_id", "status", "disclosure",
              "published_on", "agency_id", "validity"),
        Index("ix_documents_public_agency", "agency_id", "status", "disclosure",
              "published_on", "validity"),
        Index("ix_documents_public", "status", "disclosure", "published_on", "validity",
              "agency_id"),
    )

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
    validity: Mapped[Validity] = mapped_column(str_enum(Validity, "validity"),
                                               default=Validity.VALID)
    disclosure: Mapped[Disclosure] = mapped_column(str_enum(Disclosure, "disclosure"),
                                                   default=Disclosure.PROACTIVE)
    non_disclosure_reason: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(300), default="")  # 信息来源
    status: Mapped[PublicationStatus] = mapped_column(
        str_enum(PublicationStatus, "publication_status"),
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
                and self.published_on <= clock.today())

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
    #: "document", or the kind of another feature's record (a service item, a power …) that
    #: the search feature's index sources turn into index entries; ``document_id`` is then
    #: that record's id.
    kind: Mapped[str] = mapped_column(String(30), default="document",
                                      server_default="document")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    last_error: Mapped[str] = mapped_column(Text, default="")


class CatalogState(Base):
    """One row: a number bumped by every change that can alter what the public sees (in
    :func:`opengov.site.catalog.service.outbox.enqueue`, the one place every such change
    passes). Public lists remember their counts per generation and day, so that a page costs
    the same whatever the size of the catalog."""

    __tablename__ = "catalog_state"
    # Its row is written by the migration that creates it: a database copy replaces it.
    __table_args__ = {"info": {"seeded_by_migrations": True}}  # noqa: RUF012

    id: Mapped[int] = mapped_column(primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, default=0)


class DocumentWorkflow(Base):
    """Editorial state of a document beside its catalog record: author, optimistic version,
    the last review and the Art. 26 override."""

    __tablename__ = "document_workflow"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Bumped by every save; a form carrying an older number was edited concurrently.
    lock_version: Mapped[int] = mapped_column(Integer, default=1)
    last_editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    review_opinion: Mapped[str] = mapped_column(Text, default="")
    #: 条例 Art. 26: "法律、法规对政府信息公开的期限另有规定的，从其规定" — the cited rule.
    deadline_basis: Mapped[str] = mapped_column(String(300), default="")

    document: Mapped[Document] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    last_editor: Mapped[User | None] = relationship(foreign_keys=[last_editor_id])
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])


class WorkflowEvent(Base):
    """A transition of a document: the review trail (opinions) and the revision history."""

    __tablename__ = "workflow_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    opinion: Mapped[str] = mapped_column(Text, default="")

    actor: Mapped[User | None] = relationship()


class DocumentVersion(Base):
    """A version of a document as it was published (first publication and each correction)."""

    __tablename__ = "document_versions"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    #: 更正说明 for a correction; empty for the first publication.
    note: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    #: The catalog metadata as ``label: value`` lines, for the diff.
    metadata_text: Mapped[str] = mapped_column(Text, default="")

    created_by: Mapped[User | None] = relationship()


class DocumentAutosave(Base):
    """The latest autosaved editor content of one person for one document (or a new one)."""

    __tablename__ = "document_autosaves"
    __table_args__ = (UniqueConstraint("user_id", "document_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: The document id as text, or "new" for a document not yet saved.
    document_key: Mapped[str] = mapped_column(String(20), index=True)
    saved_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    base_version: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User] = relationship()


class DocumentContributor(Base):
    """Someone who wrote part of the document's text since it was last published (四眼原则):
    none of them may approve it, whoever saved last. Cleared when a version is published."""

    __tablename__ = "document_contributors"
    __table_args__ = (UniqueConstraint("document_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"),
                                             index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class DocumentCorrection(Base):
    """A proposed 更正 of a published document: the corrected text and catalog data, waiting
    for a reviewer who had no part in it — or applied at once on the urgent path and reviewed
    afterwards. Kept after the decision as the record of who did what."""

    __tablename__ = "document_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"),
                                             index=True)
    #: pending → approved / rejected; urgent → confirmed (after review)
    status: Mapped[str] = mapped_column(String(12), index=True)
    #: The corrected fields (DocumentData as JSON) and the 更正说明.
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text)
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    #: Why the urgent path was taken (empty for a reviewed correction).
    urgent_reason: Mapped[str] = mapped_column(Text, default="")
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    review_opinion: Mapped[str] = mapped_column(Text, default="")

    document: Mapped[Document] = relationship()
    proposed_by: Mapped[User] = relationship(foreign_keys=[proposed_by_id])
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])
