"""Columns, agencies and 索引号 allocation."""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table, case, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from opengov.site.agencies.models import Agency
from opengov.site.catalog.models import Category, IndexSerial
from opengov.site.catalog.rules.metadata import COLUMNS, Column, format_index_no, parse_index_no
from opengov.site.db import unit_of_work


def sync_categories(session: Session) -> int:
    """Create the standard columns that are missing; names and descriptions edited by staff
    are kept. Returns how many were created."""
    existing = {category.slug: category for category in session.scalars(select(Category))}
    created = 0

    def visit(columns: tuple[Column, ...], parent: Category | None) -> None:
        nonlocal created
        for position, column in enumerate(columns):
            category = existing.get(column.slug)
            if category is None:
                category = Category(slug=column.slug, name=column.name,
                                    description=column.description, parent=parent,
                                    sort_order=position)
                session.add(category)
                existing[column.slug] = category
                created += 1
            visit(column.children, category)

    visit(COLUMNS, None)
    session.flush()
    return created


def _upsert_serial(session: Session, agency_id: int, year: int, serial: int | None) -> int:
    """Atomically bump (``serial`` None) or raise to at least ``serial`` the agency's counter
    for ``year``, returning the new value. One statement, so concurrent writers cannot
    allocate the same serial on PostgreSQL or SQLite."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    table = cast(Table, IndexSerial.__table__)
    first = 1 if serial is None else serial
    statement = insert(table).values(agency_id=agency_id, year=year, last_serial=first)
    if serial is None:
        new_value = table.c.last_serial + 1
    else:
        new_value = case((table.c.last_serial < serial, serial), else_=table.c.last_serial)
    upsert = statement.on_conflict_do_update(
        index_elements=[table.c.agency_id, table.c.year],
        set_={"last_serial": new_value},
    ).returning(table.c.last_serial)
    value: int = session.execute(upsert).scalar_one()
    return value


def issue_index_no(session: Session, agency: Agency, year: int) -> str:
    """Allocate the next 索引号 of ``agency`` for ``year`` inside the caller's transaction."""
    serial = _upsert_serial(session, agency.id, year, None)
    return format_index_no(agency.org_code, year, serial, agency.index_no_template)


def register_index_no(session: Session, agency: Agency, index_no: str) -> None:
    """Record a 索引号 issued elsewhere (content files) so that new ones never collide."""
    org_code, year, serial = parse_index_no(index_no)
    if org_code != agency.org_code:
        raise ValueError(f"索引号 {index_no} 的机构代码与 {agency.name}（{agency.org_code}）不符")
    _upsert_serial(session, agency.id, year, serial)


def agency_by_code(session: Session, code: str) -> Agency | None:
    """The agency with this code in the caller's session, or None. Composable, for the
    fiscal importer; elsewhere agencies are found through the agencies service
    (:func:`opengov.site.agencies.service.find_agency`)."""
    return session.scalars(select(Agency).where(Agency.code == code)).one_or_none()


def category_by_slug(session: Session, slug: str) -> Category | None:
    return session.scalars(select(Category).where(Category.slug == slug)).one_or_none()


def ensure_standard_categories() -> int:
    """Entry point of ``opengov init``: create the missing standard columns in a unit of
    work. Returns how many were created."""
    with unit_of_work() as session:
        return sync_categories(session)
