"""The column descriptions (栏目说明) that administrators edit; the 指南 and the agencies'
contact details are the agencies feature's (:mod:`opengov.site.agencies.service`)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.audit import service as audit
from opengov.site.audit.service import AuditAction, Origin
from opengov.site.catalog.models import Category
from opengov.site.db import get_session, unit_of_work
from opengov.site.exceptions import ForbiddenError, NotFoundError


def update_category(session: Session, category: Category, description: str, *, actor: User,
                    origin: Origin) -> bool:
    """Set a column's description; audited when it changed. Returns whether it did."""
    description = description.strip()
    if category.description == description:
        return False
    category.description = description
    audit.record(session, AuditAction.SETTINGS, actor=actor, origin=origin,
                 object_type="category", object_id=category.id,
                 detail=f"修改栏目说明：{category.name}")
    return True


def _require_admin(actor: User) -> None:
    if Role.ADMIN not in actor.roles:
        raise ForbiddenError("只有管理员可以修改栏目说明。")


def column_outline(actor: User) -> list[tuple[int, Category]]:
    """(depth, column) of every column in display order, for editing their descriptions."""
    _require_admin(actor)
    items = get_session().scalars(select(Category).order_by(Category.parent_id.is_not(None),
                                                            Category.sort_order)).all()
    result: list[tuple[int, Category]] = []

    def visit(category: Category, depth: int) -> None:
        result.append((depth, category))
        for child in category.children:
            visit(child, depth + 1)

    for root in (category for category in items if category.parent_id is None):
        visit(root, 0)
    return result


def describe_column(actor: User, category_id: int, description: str, *,
                    origin: Origin) -> Category:
    """Set the description of column ``category_id``; returns the column."""
    _require_admin(actor)
    with unit_of_work() as session:
        category = session.get(Category, category_id) if 0 < category_id < 2**31 else None
        if category is None:
            raise NotFoundError("没有这个栏目。")
        update_category(session, category, description, actor=actor, origin=origin)
        return category
