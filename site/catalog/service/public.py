"""What the public may see, and the queries every public page, feed, sitemap and the API use.

The one definition of "public" lives in :func:`public_clause`: published, 主动公开 and its
发布日期 reached (rules.md §3.8). No public view queries :class:`Document` any other way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from opengov.site.agencies.models import Agency
from opengov.site.catalog.models import Attachment, Category, Document
from opengov.site.catalog.rules.listing import DocumentFilters, page_count
from opengov.site.catalog.rules.metadata import TOPIC_SEPARATOR, Disclosure, PublicationStatus


class UnknownFilterError(ValueError):
    """A filter names a column or agency that does not exist."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.message = message


def public_clause(today: dt.date | None = None) -> ColumnElement[bool]:
    """The condition a document must meet to be shown anywhere in public."""
    today = today or dt.date.today()
    return and_(
        Document.status == PublicationStatus.PUBLISHED,
        Document.disclosure == Disclosure.PROACTIVE,
        Document.published_on.is_not(None),
        Document.published_on <= today,
    )


_NEWEST_FIRST = (Document.published_on.desc(), Document.id.desc())


# --- columns and agencies -----------------------------------------------------------------

@dataclass
class ColumnNode:
    """A column of the 目录 tree with its public documents counted (own and with sub-columns)."""

    category: Category
    own: int = 0
    total: int = 0
    children: list[ColumnNode] = field(default_factory=list)


def all_categories(session: Session) -> list[Category]:
    return list(session.scalars(select(Category).order_by(Category.sort_order, Category.id)))


def category_by_slug(session: Session, slug: str) -> Category | None:
    return session.scalars(select(Category).where(Category.slug == slug)).one_or_none()


def column_and_descendant_ids(session: Session, category: Category) -> list[int]:
    """``category`` and every column below it: a column's list includes its sub-columns."""
    by_parent: dict[int | None, list[int]] = {}
    for row_id, parent_id in session.execute(select(Category.id, Category.parent_id)):
        by_parent.setdefault(parent_id, []).append(row_id)
    ids = [category.id]
    position = 0
    while position < len(ids):
        ids.extend(by_parent.get(ids[position], []))
        position += 1
    return ids


def column_path(category: Category) -> list[Category]:
    """The column and its ancestors, root first (for breadcrumbs)."""
    path = [category]
    while path[0].parent is not None:
        path.insert(0, path[0].parent)
    return path


def public_agencies(session: Session) -> list[Agency]:
    """Every agency, the government first, then departments and townships in their order."""
    kind_order = {"government": 0, "department": 1, "township": 2}
    agencies = list(session.scalars(select(Agency)))
    return sorted(agencies, key=lambda a: (kind_order.get(a.kind, 3), a.sort_order, a.id))


def agency_by_code(session: Session, code: str) -> Agency | None:
    return session.scalars(select(Agency).where(Agency.code == code)).one_or_none()


def column_tree(session: Session, agency: Agency | None = None,
                today: dt.date | None = None) -> list[ColumnNode]:
    """The 政府信息公开目录: every column with its count of public documents, of one agency
    or of all; a parent's total includes its sub-columns."""
    statement = (select(Document.category_id, func.count())
                 .where(public_clause(today)).group_by(Document.category_id))
    if agency is not None:
        statement = statement.where(Document.agency_id == agency.id)
    counts: dict[int, int] = {row[0]: row[1] for row in session.execute(statement)}
    nodes = {category.id: ColumnNode(category, own=counts.get(category.id, 0))
             for category in all_categories(session)}
    roots: list[ColumnNode] = []
    for node in nodes.values():
        parent_id = node.category.parent_id
        if parent_id is not None and parent_id in nodes:
            nodes[parent_id].children.append(node)
        else:
            roots.append(node)

    def add_up(node: ColumnNode) -> int:
        node.total = node.own + sum(add_up(child) for child in node.children)
        return node.total

    for root in roots:
        add_up(root)
    return roots


def catalog_last_updated(session: Session, agency: Agency | None = None,
                         today: dt.date | None = None) -> dt.date | None:
    """The 目录's "最后更新" date (条例 Art. 12, 53): when its newest entry was published."""
    statement = select(func.max(Document.published_on)).where(public_clause(today))
    if agency is not None:
        statement = statement.where(Document.agency_id == agency.id)
    return session.scalar(statement)


# --- listing ---------------------------------------------------------------------------

@dataclass
class DocumentPage:
    """One page of a public list, newest first."""

    items: list[Document]
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        return page_count(self.total, self.size)

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _filter_conditions(session: Session, filters: DocumentFilters,
                       today: dt.date | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [public_clause(today)]
    if filters.column is not None:
        category = category_by_slug(session, filters.column)
        if category is None:
            raise UnknownFilterError("column", f"栏目“{filters.column}”不存在。")
        conditions.append(Document.category_id.in_(column_and_descendant_ids(session, category)))
    if filters.agency is not None:
        agency = agency_by_code(session, filters.agency)
        if agency is None:
            raise UnknownFilterError("agency", f"发布机构“{filters.agency}”不存在。")
        conditions.append(Document.agency_id == agency.id)
    if filters.year is not None:
        conditions.append(Document.published_on >= dt.date(filters.year, 1, 1))
        conditions.append(Document.published_on < dt.date(filters.year + 1, 1, 1))
    if filters.topic is not None:
        # A top-level class includes its children ("top\child"); autoescape keeps the
        # backslash literal on PostgreSQL, whose LIKE would treat it as an escape.
        conditions.append(or_(Document.topic == filters.topic,
                              Document.topic.startswith(filters.topic + TOPIC_SEPARATOR,
                                                        autoescape=True)))
    if filters.validity is not None:
        conditions.append(Document.validity == filters.validity)
    return conditions


def list_documents(session: Session, filters: DocumentFilters, page: int = 1, size: int = 20,
                   today: dt.date | None = None) -> DocumentPage:
    """Public documents matching ``filters``, newest first. Raises :class:`UnknownFilterError`
    when a column or agency does not exist."""
    conditions = _filter_conditions(session, filters, today)
    total = session.scalar(select(func.count()).select_from(Document).where(*conditions)) or 0
    statement = (
        select(Document).where(*conditions)
        .options(selectinload(Document.agency), selectinload(Document.category))
        .order_by(*_NEWEST_FIRST).limit(size).offset((page - 1) * size)
    )
    return DocumentPage(list(session.scalars(statement)), total, page, size)


def latest_in_column(session: Session, category: Category, limit: int = 6,
                     agency: Agency | None = None,
                     today: dt.date | None = None) -> list[Document]:
    """The newest public documents of a column and its sub-columns."""
    statement = (
        select(Document).where(
            public_clause(today),
            Document.category_id.in_(column_and_descendant_ids(session, category)))
        .order_by(*_NEWEST_FIRST).limit(limit)
    )
    if agency is not None:
        statement = statement.where(Document.agency_id == agency.id)
    return list(session.scalars(statement))


def publication_years(session: Session, today: dt.date | None = None) -> list[int]:
    """Years that have public documents, newest first (the year filter's choices)."""
    dates = session.scalars(select(Document.published_on).where(public_clause(today))
                            .distinct())
    return sorted({day.year for day in dates if day is not None}, reverse=True)


# --- one document ------------------------------------------------------------------------

def get_public_document(session: Session, document_id: int,
                        today: dt.date | None = None) -> Document | None:
    """The document if the public may see it, else None (the caller answers 404)."""
    return session.scalars(
        select(Document).where(Document.id == document_id, public_clause(today))
        .options(selectinload(Document.attachments), selectinload(Document.agency),
                 selectinload(Document.category))
    ).one_or_none()


def _public_ids(session: Session, ids: Sequence[int], today: dt.date | None) -> set[int]:
    if not ids:
        return set()
    return set(session.scalars(select(Document.id).where(Document.id.in_(ids),
                                                          public_clause(today))))


def public_interpretations(session: Session, document: Document,
                           today: dt.date | None = None) -> list[Document]:
    """The 政策解读 of a policy that the public may see."""
    visible = _public_ids(session, [d.id for d in document.interpretations], today)
    return [d for d in document.interpretations if d.id in visible]


def public_policies(session: Session, document: Document,
                    today: dt.date | None = None) -> list[Document]:
    """The policies a 政策解读 interprets that the public may see."""
    visible = _public_ids(session, [d.id for d in document.policies], today)
    return [d for d in document.policies if d.id in visible]


def get_public_attachment(session: Session, document_id: int, attachment_id: int,
                          today: dt.date | None = None) -> Attachment | None:
    """An attachment of a public document, else None."""
    return session.scalars(
        select(Attachment).join(Document)
        .where(Attachment.id == attachment_id, Attachment.document_id == document_id,
               public_clause(today))
    ).one_or_none()


# --- guides and the sitemap --------------------------------------------------------------

def guide_documents(session: Session, agency: Agency,
                    today: dt.date | None = None) -> list[Document]:
    """Public documents of the 政府信息公开指南 column of ``agency``."""
    category = category_by_slug(session, "guide")
    if category is None:
        return []
    return latest_in_column(session, category, limit=50, agency=agency, today=today)


def guide_last_updated(agency: Agency, documents: Sequence[Document]) -> dt.date | None:
    """The 指南's "最后更新" date (条例 Art. 12, 53): the later of the agency's own guide
    text and its newest guide document."""
    dates = [day for day in [agency.guide_updated_on, *(d.published_on for d in documents)]
             if day is not None]
    return max(dates) if dates else None


@dataclass(frozen=True)
class SitemapDocument:
    id: int
    lastmod: dt.date


#: The sitemap protocol's limit of URLs per file.
SITEMAP_LIMIT = 50_000


def sitemap_documents(session: Session, today: dt.date | None = None,
                      limit: int = SITEMAP_LIMIT) -> list[SitemapDocument]:
    """Every public document with the date it last changed, newest first."""
    statement = (select(Document.id, Document.updated_at, Document.published_on)
                 .where(public_clause(today))
                 .order_by(*_NEWEST_FIRST).limit(limit))
    result = []
    for document_id, updated_at, published_on in session.execute(statement):
        assert published_on is not None  # guaranteed by public_clause
        result.append(SitemapDocument(document_id, max(updated_at.date(), published_on)))
    return result
