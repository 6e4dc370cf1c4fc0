"""The column structure that administrators manage: columns, sub-columns and 专栏.

Standard columns come from :data:`~opengov.site.catalog.rules.metadata.COLUMNS` at ``opengov
init``; everything else — new columns and sub-columns, 专栏 for a 重点领域 with a banner, names,
order, retirement — is data that administrators change here without touching code. A column's
slug (its URL) never changes; a retired column leaves every list, and its old URLs redirect to
the column that took over or answer 410 Gone (:func:`live_column`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.audit import service as audit
from opengov.site.audit.service import AuditAction, Origin
from opengov.site.catalog.models import Category, Document
from opengov.site.catalog.rules.metadata import COLUMN_KINDS, PROTECTED_COLUMNS, slug_problem
from opengov.site.catalog.service import outbox as search_outbox
from opengov.site.catalog.service.attachments import UploadError, check, upload_dir
from opengov.site.db import get_session, unit_of_work
from opengov.site.exceptions import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    ServiceError,
)

#: Largest banner image accepted.
BANNER_MAX_BYTES = 2 * 1024 * 1024


class ColumnRetiredError(ServiceError):
    """The column was retired: 410 Gone, unless ``successor`` took over (then a redirect)."""

    status = 410

    def __init__(self, category: Category) -> None:
        super().__init__(f"栏目“{category.name}”已于 {clock.to_beijing(category.retired_at):%Y-%m-%d}"
                         "撤销。" if category.retired_at else f"栏目“{category.name}”已撤销。")
        successor = category.successor
        while successor is not None and successor.retired_at is not None:
            successor = successor.successor
        self.successor_slug = successor.slug if successor is not None else None


def live_column(session: Session, slug: str) -> Category:
    """The column ``slug`` if it is in use; :class:`NotFoundError` when there never was one,
    :class:`ColumnRetiredError` when it was retired."""
    category = session.scalars(select(Category).where(Category.slug == slug)).one_or_none()
    if category is None:
        raise NotFoundError("没有这个栏目。")
    if category.retired_at is not None:
        raise ColumnRetiredError(category)
    return category


@dataclass(frozen=True)
class ColumnData:
    """What an administrator sets on a column."""

    name: str
    description: str = ""
    kind: str = "column"
    sort_order: int = 0
    banner_alt: str = ""


@dataclass(frozen=True)
class BannerUpload:
    data: bytes
    filename: str


def _require_admin(actor: User) -> None:
    if Role.ADMIN not in actor.roles:
        raise ForbiddenError("只有系统管理员可以管理栏目和专栏。")


def _check(data: ColumnData) -> None:
    if not data.name.strip():
        raise InvalidInputError("请填写栏目名称。")
    if len(data.name.strip()) > 60:
        raise InvalidInputError("栏目名称不能超过 60 个字。")
    if data.kind not in COLUMN_KINDS:
        raise InvalidInputError("栏目类型只能是栏目或专栏。")


def _store_banner(category: Category, banner: BannerUpload) -> Path | None:
    """Write the banner under a random name; returns the file it replaces (removed after the
    commit by the caller)."""
    kind, _name = check(banner.data, banner.filename, BANNER_MAX_BYTES)
    if not kind.is_image:
        raise UploadError("横幅只接受图片（PNG、JPEG、GIF、WebP）。")
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stored = "banner-" + secrets.token_hex(16) + sorted(kind.extensions)[0]
    with (folder / stored).open("xb") as handle:
        handle.write(banner.data)
    old = folder / category.banner_stored_name if category.banner_stored_name else None
    category.banner_stored_name = stored
    category.banner_content_type = kind.content_type
    return old


def _apply(category: Category, data: ColumnData) -> None:
    category.name = data.name.strip()
    category.description = data.description.strip()
    category.kind = data.kind
    category.sort_order = data.sort_order
    category.banner_alt = data.banner_alt.strip()[:200]


def _record(session: Session, actor: User, origin: Origin, category: Category,
            detail: str) -> None:
    audit.record(session, AuditAction.SETTINGS, actor=actor, origin=origin,
                 object_type="category", object_id=category.id, detail=detail[:300])


@dataclass(frozen=True)
class StructurePage:
    """Every column in tree order with its depth and document count, retired ones included."""

    rows: list[tuple[int, Category, int]]

    @property
    def live(self) -> list[tuple[int, Category, int]]:
        return [row for row in self.rows if row[1].retired_at is None]


def structure_page(actor: User) -> StructurePage:
    _require_admin(actor)
    session = get_session()
    categories = list(session.scalars(select(Category).order_by(Category.sort_order,
                                                                  Category.id)))
    counts: dict[int, int] = dict(session.execute(
        select(Document.category_id, func.count()).group_by(Document.category_id)).all())
    by_parent: dict[int | None, list[Category]] = {}
    for category in categories:
        by_parent.setdefault(category.parent_id, []).append(category)
    rows: list[tuple[int, Category, int]] = []

    def visit(parent_id: int | None, depth: int) -> None:
        for category in by_parent.get(parent_id, []):
            rows.append((depth, category, counts.get(category.id, 0)))
            visit(category.id, depth + 1)

    visit(None, 0)
    return StructurePage(rows)


def get_column(actor: User, category_id: int) -> Category:
    _require_admin(actor)
    category = get_session().get(Category, category_id) if 0 < category_id < 2**31 else None
    if category is None:
        raise NotFoundError("没有这个栏目。")
    return category


def create_column(actor: User, slug: str, data: ColumnData, *, parent_id: int | None,
                  banner: BannerUpload | None, origin: Origin) -> Category:
    """A new column, sub-column (``parent_id``) or 专栏; its slug becomes its URL for good."""
    _require_admin(actor)
    _check(data)
    slug = slug.strip()
    problem = slug_problem(slug)
    if problem:
        raise InvalidInputError(problem)
    with unit_of_work() as session:
        if session.scalar(select(Category.id).where(Category.slug == slug)) is not None:
            raise ConflictError(f"网址名“{slug}”已被其他栏目（含已撤销的栏目）使用。")
        parent = None
        if parent_id is not None:
            parent = session.get(Category, parent_id) if 0 < parent_id < 2**31 else None
            if parent is None or parent.retired_at is not None:
                raise InvalidInputError("上级栏目不存在或已撤销。")
        category = Category(slug=slug, parent=parent)
        _apply(category, data)
        if banner is not None:
            _store_banner(category, banner)
        session.add(category)
        session.flush()
        _record(session, actor, origin, category,
                f"新建{COLUMN_KINDS[data.kind]}：{category.name}（{slug}）")
        return category


def update_column(actor: User, category_id: int, data: ColumnData, *,
                  banner: BannerUpload | None, remove_banner: bool, origin: Origin) -> Category:
    """Rename, describe, reorder a column, or change its banner."""
    _require_admin(actor)
    _check(data)
    replaced: Path | None = None
    with unit_of_work() as session:
        category = session.get(Category, category_id) if 0 < category_id < 2**31 else None
        if category is None:
            raise NotFoundError("没有这个栏目。")
        before = category.name
        _apply(category, data)
        if banner is not None:
            replaced = _store_banner(category, banner)
        elif remove_banner and category.banner_stored_name:
            replaced = upload_dir() / category.banner_stored_name
            category.banner_stored_name = None
            category.banner_content_type = ""
        renamed = f"，原名“{before}”" if before != category.name else ""
        _record(session, actor, origin, category, f"修改栏目：{category.name}{renamed}")
    if replaced is not None:
        replaced.unlink(missing_ok=True)
    return category


def retire_column(actor: User, category_id: int, *, successor_id: int | None,
                  origin: Origin) -> Category:
    """Retire a column. With a successor its documents move there and its URLs redirect to
    it; without one, its documents keep their own pages and the column's URLs answer 410."""
    _require_admin(actor)
    with unit_of_work() as session:
        category = session.get(Category, category_id) if 0 < category_id < 2**31 else None
        if category is None:
            raise NotFoundError("没有这个栏目。")
        if category.retired_at is not None:
            raise ConflictError("该栏目已经撤销。")
        if category.slug in PROTECTED_COLUMNS:
            raise ConflictError(f"“{category.name}”是政府信息公开平台的规范栏目，"
                                "只能改名或修改说明，不能撤销。")
        if any(child.retired_at is None for child in category.children):
            raise ConflictError("请先撤销该栏目下的子栏目。")
        successor = None
        if successor_id is not None:
            successor = session.get(Category, successor_id) if 0 < successor_id < 2**31 else None
            if successor is None or successor.retired_at is not None \
                    or successor.id == category.id:
                raise InvalidInputError("接替栏目不存在、已撤销或就是本栏目。")
            moved = list(session.scalars(select(Document.id).where(
                Document.category_id == category.id)))
            session.execute(update(Document).where(Document.id.in_(moved))
                            .values(category_id=successor.id))
            for document_id in moved:  # the column is a search facet: re-index them
                search_outbox.enqueue(session, document_id)
        category.retired_at = clock.utcnow()
        category.successor = successor
        _record(session, actor, origin, category,
                f"撤销栏目：{category.name}" + (f"，由“{successor.name}”接替" if successor else ""))
        return category


def restore_column(actor: User, category_id: int, *, origin: Origin) -> Category:
    """Bring a retired column back into use (its documents stay where they are now)."""
    _require_admin(actor)
    with unit_of_work() as session:
        category = session.get(Category, category_id) if 0 < category_id < 2**31 else None
        if category is None:
            raise NotFoundError("没有这个栏目。")
        if category.retired_at is None:
            raise ConflictError("该栏目没有撤销。")
        if category.parent is not None and category.parent.retired_at is not None:
            raise ConflictError("上级栏目已撤销，请先恢复上级栏目。")
        category.retired_at = None
        category.successor = None
        _record(session, actor, origin, category, f"恢复栏目：{category.name}")
        return category


@dataclass(frozen=True)
class BannerFile:
    path: Path
    content_type: str


def banner_file(slug: str) -> BannerFile:
    """The banner image of the live column ``slug``; :class:`NotFoundError` when it has none."""
    category = live_column(get_session(), slug)
    if not category.banner_stored_name:
        raise NotFoundError("该栏目没有横幅图片。")
    folder = upload_dir().resolve()
    path = (folder / category.banner_stored_name).resolve()
    if path.parent != folder or not path.is_file():
        raise NotFoundError("横幅图片不存在。")
    return BannerFile(path, category.banner_content_type)
