"""政务服务事项 and their 办事指南, kept in versions (revisions) that are reviewed before the
public sees them.

A *record* (here :class:`ServiceItem`; the powers feature has its own) is the stable identity
the public links to: its code, its agency, whether it is public, and which revision is the
public one. A *revision* holds the whole content of one version as JSON (the guide of
:mod:`.rules.guide`), its place in the review workflow and who wrote and reviewed it. The
columns a list filters or sorts by (name, type, targets, themes) are copied onto the record
when a revision is published. The mixins are shared with the powers feature.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
)
from sqlalchemy.orm import Mapped, declared_attr, foreign, mapped_column, relationship

from opengov.site import clock
from opengov.site.accounts.models import User
from opengov.site.agencies.models import Agency
from opengov.site.db import Base, str_enum
from opengov.site.service_items.rules.workflow import PublicState, RevisionStatus


def _utcnow() -> dt.datetime:
    # Through the module, so that a test setting the clock sets these defaults too.
    return clock.utcnow()


class RecordColumns:
    """The public identity of a revisioned record."""

    if TYPE_CHECKING:  # the declarative constructor of the mapped classes using this mixin
        def __init__(self, **values: Any) -> None: ...

    id: Mapped[int] = mapped_column(primary_key=True)
    #: 事项编码 / 权力编码: stable, unique on the site, the key of imports.
    code: Mapped[str] = mapped_column(String(60), unique=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    #: The public version's name (copied on publication; the first draft's before that).
    name: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[PublicState] = mapped_column(str_enum(PublicState, "public_state"),
                                               default=PublicState.UNPUBLISHED, index=True)
    #: Number of the public revision; None before the first publication.
    live_number: Mapped[int | None] = mapped_column(Integer)
    first_published_on: Mapped[dt.date | None] = mapped_column(Date)
    #: The day the public version was published (更新日期).
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    withdrawn_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_utcnow,
                                                    onupdate=_utcnow)

    @declared_attr
    def agency(cls) -> Mapped[Agency]:
        return relationship(Agency)

    @property
    def is_public(self) -> bool:
        return self.state == PublicState.PUBLISHED and self.live_number is not None


class RevisionColumns:
    """One version of a record's content and its review. A table using it names the table
    of its records in ``record_table``."""

    record_table: ClassVar[str]

    if TYPE_CHECKING:  # the declarative constructor of the mapped classes using this mixin
        def __init__(self, **values: Any) -> None: ...

    id: Mapped[int] = mapped_column(primary_key=True)
    #: 1, 2, 3 … per record, in the order the revisions were started.
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[RevisionStatus] = mapped_column(
        str_enum(RevisionStatus, "revision_status"), default=RevisionStatus.DRAFT, index=True)
    #: The content (the feature's rules dataclass as a dict).
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: 修订说明: what changed and why, shown in the version history.
    note: Mapped[str] = mapped_column(Text, default="")
    #: Bumped by every save: a form carrying an older number was edited concurrently.
    lock_version: Mapped[int] = mapped_column(Integer, default=1)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    last_editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_utcnow,
                                                    onupdate=_utcnow)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    review_opinion: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @declared_attr
    def record_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey(f"{cls.record_table}.id", ondelete="CASCADE"),
                             index=True)

    @declared_attr
    def author(cls: Any) -> Mapped[User | None]:
        return relationship(User, foreign_keys=f"{cls.__name__}.author_id")

    @declared_attr
    def last_editor(cls: Any) -> Mapped[User | None]:
        return relationship(User, foreign_keys=f"{cls.__name__}.last_editor_id")

    @declared_attr
    def reviewer(cls: Any) -> Mapped[User | None]:
        return relationship(User, foreign_keys=f"{cls.__name__}.reviewer_id")

    @declared_attr
    def published_by(cls: Any) -> Mapped[User | None]:
        return relationship(User, foreign_keys=f"{cls.__name__}.published_by_id")


class EventColumns:
    """A step of the review of a record: the trail of opinions staff read."""

    record_table: ClassVar[str]

    if TYPE_CHECKING:  # the declarative constructor of the mapped classes using this mixin
        def __init__(self, **values: Any) -> None: ...

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_number: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=_utcnow)
    opinion: Mapped[str] = mapped_column(Text, default="")

    @declared_attr
    def record_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey(f"{cls.record_table}.id", ondelete="CASCADE"),
                             index=True)

    @declared_attr
    def actor(cls) -> Mapped[User | None]:
        return relationship(User)


class ServiceItem(RecordColumns, Base):
    """A 政务服务事项 of an agency."""

    __tablename__ = "service_items"

    #: The public version's 事项类型 and 服务对象, for lists and filters.
    item_type: Mapped[str] = mapped_column(String(20), default="", index=True)
    for_persons: Mapped[bool] = mapped_column(Boolean, default=False)
    for_organisations: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The public version's 承诺办结时限 and 到办事现场次数, shown in lists.
    promised_limit_days: Mapped[int] = mapped_column(Integer, default=0)
    visits: Mapped[int] = mapped_column(Integer, default=1)
    #: The public version's 常用名称, "、"-joined, for the directory's word filter.
    aliases: Mapped[str] = mapped_column(String(500), default="")

    themes: Mapped[list[ServiceItemTheme]] = relationship(
        cascade="all, delete-orphan", order_by="ServiceItemTheme.theme")
    live_revision: Mapped[ServiceItemRevision | None] = relationship(
        primaryjoin=lambda: and_(
            foreign(ServiceItemRevision.record_id) == ServiceItem.id,
            ServiceItemRevision.number == ServiceItem.live_number),
        viewonly=True, uselist=False)

    @property
    def theme_names(self) -> list[str]:
        return [theme.theme for theme in self.themes]

    def __repr__(self) -> str:
        return f"<ServiceItem {self.code} {self.name[:20]}>"


class ServiceItemTheme(Base):
    """A theme (life or business event) of an item's public version, for browsing."""

    __tablename__ = "service_item_themes"

    item_id: Mapped[int] = mapped_column(ForeignKey("service_items.id", ondelete="CASCADE"),
                                         primary_key=True)
    theme: Mapped[str] = mapped_column(String(20), primary_key=True, index=True)


class ServiceItemRevision(RevisionColumns, Base):
    """One version of an item's 办事指南 (:class:`~.rules.guide.ItemGuide` as JSON)."""

    __tablename__ = "service_item_revisions"
    __table_args__ = (UniqueConstraint("record_id", "number"),)
    record_table = "service_items"

    record: Mapped[ServiceItem] = relationship()


class ServiceItemEvent(EventColumns, Base):
    __tablename__ = "service_item_events"
    record_table = "service_items"


class ServiceItemFile(Base):
    """A blank form (空白表格) or filled sample (示例样表) offered with a material, stored
    under a random name like a document's attachment. Files are never changed: a new
    upload is a new file, so every version of a guide keeps the files it offered."""

    __tablename__ = "service_item_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("service_items.id", ondelete="CASCADE"),
                                         index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_utcnow)
