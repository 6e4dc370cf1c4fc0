"""What the public may see, and the queries every public page, feed, sitemap and the API use.

The one definition of "public" lives in :func:`public_clause`: published, 主动公开 and its
发布日期 reached (rules.md §3.8). No public view queries :class:`Document` any other way.

Lists cost the same at 50,000 documents as at 2,000 (issue 18): the newest entries of a column
are read from the composite indexes of :class:`Document` (``ix_documents_public_*``) column by
column, each read stopping after the entries the page needs, and only the rows shown are then
loaded, bodies and all; counts are counted in those indexes, never over whole rows.

Composable functions take the caller's ``session`` (other services use them inside their
own transactions); the entry functions at the end are what the public pages, feeds and the
API call. Every one of them only reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from opengov.site import clock
from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.agencies import service as agencies
from opengov.site.agencies.models import Agency
from opengov.site.catalog.models import Attachment, Category, Document, DocumentVersion
from opengov.site.catalog.rules.listing import DocumentFilters, ListingQuery, page_count
from opengov.site.catalog.rules.metadata import TOPIC_SEPARATOR, Disclosure, PublicationStatus
from opengov.site.catalog.service.attachments import stored_path, upload_dir
from opengov.site.catalog.service.columns import category_by_slug
from opengov.site.catalog.service.editorial import in_scope, versions
from opengov.site.catalog.service.outbox import catalog_generation
from opengov.site.catalog.service.structure import live_column
from opengov.site.db import get_session
from opengov.site.exceptions import InvalidInputError, NotFoundError


class UnknownFilterError(InvalidInputError):
    """A filter names a column or agency that does not exist; ``name`` is the parameter."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


def public_clause(today: dt.date | None = None) -> ColumnElement[bool]:
    """The condition a document must meet to be shown anywhere in public."""
    today = today or clock.today()
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
    """The columns in use (retired ones leave every list), in display order."""
    return list(session.scalars(select(Category).where(Category.retired_at.is_(None))
                                .order_by(Category.sort_order, Category.id)))


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
    """Every agency in display order. Kept for callers in other features that hold a
    session; the agencies service owns the order (:func:`agencies.all_agencies`)."""
    return agencies.all_agencies()


def column_tree(session: Session, agency: Agency | None = None,
                today: dt.date | None = None) -> list[ColumnNode]:
    """The 政府信息公开目录: every column with its count of public documents, of one agency
    or of all; a parent's total includes its sub-columns."""
    counts = _column_counts(session, agency.id if agency is not None else None, today)
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


#: Public documents per column, by (database, catalog generation, day, agency, date).
_COLUMN_COUNTS: dict[tuple[object, ...], dict[int, int]] = {}


def _column_counts(session: Session, agency_id: int | None,
                   today: dt.date | None) -> dict[int, int]:
    """Public documents per column (of one agency), counted once per catalog generation and
    day, like the lists' counts."""
    remembered = (str(session.get_bind().engine.url), catalog_generation(session),
                  clock.today(), agency_id, today)
    found = _COLUMN_COUNTS.get(remembered)
    if found is None:
        statement = (select(Document.category_id, func.count())
                     .where(public_clause(today)).group_by(Document.category_id))
        if agency_id is not None:
            statement = statement.where(Document.agency_id == agency_id)
        found = {row[0]: row[1] for row in session.execute(statement)}
        if len(_COLUMN_COUNTS) >= _COUNTS_KEPT:
            _COLUMN_COUNTS.clear()
        _COLUMN_COUNTS[remembered] = found
    return dict(found)


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


def _newest_first(rows: Sequence[tuple[int, dt.date | None]]) -> list[tuple[int, dt.date | None]]:
    return sorted(rows, key=lambda row: (row[1] or dt.date.min, row[0]), reverse=True)


def _public_index_conditions(filters: DocumentFilters, agency_id: int | None,
                             today: dt.date | None) -> list[ColumnElement[bool]]:
    """The conditions the public indexes answer without reading a row."""
    conditions: list[ColumnElement[bool]] = [public_clause(today)]
    if agency_id is not None:
        conditions.append(Document.agency_id == agency_id)
    if filters.year is not None:
        conditions.append(Document.published_on >= dt.date(filters.year, 1, 1))
        conditions.append(Document.published_on < dt.date(filters.year + 1, 1, 1))
    if filters.validity is not None:
        conditions.append(Document.validity == filters.validity)
    if filters.topic is not None:
        # A top-level class includes its children ("top\child"); autoescape keeps the
        # backslash literal on PostgreSQL, whose LIKE would treat it as an escape.
        conditions.append(or_(Document.topic == filters.topic,
                              Document.topic.startswith(filters.topic + TOPIC_SEPARATOR,
                                                        autoescape=True)))
    return conditions


def _newest_ids(session: Session, conditions: Sequence[ColumnElement[bool]],
                category_ids: Sequence[int] | None, first: int) -> list[int]:
    """The ids of the ``first`` newest documents meeting ``conditions`` (in the columns
    ``category_ids``, if given). Each column is read on its own from its index, in order,
    stopping after ``first`` entries, and the columns are merged: reading a large column
    family costs the entries shown, not the entries it holds."""
    def newest(extra: Sequence[ColumnElement[bool]]) -> list[tuple[int, dt.date | None]]:
        rows = session.execute(select(Document.id, Document.published_on)
                               .where(*conditions, *extra)
                               .order_by(*_NEWEST_FIRST).limit(first))
        return [(row[0], row[1]) for row in rows]

    if category_ids is None:
        return [row_id for row_id, _day in newest([])]
    rows: list[tuple[int, dt.date | None]] = []
    for category_id in category_ids:
        rows.extend(newest([Document.category_id == category_id]))
    return [row_id for row_id, _day in _newest_first(rows)[:first]]


#: Counts of public lists by (database, catalog generation, day, filters): recounted only
#: after the catalog changed (or the day did: scheduled documents become public at midnight).
_COUNTS: dict[tuple[object, ...], int] = {}
_COUNTS_KEPT = 2000


def _count(session: Session, conditions: Sequence[ColumnElement[bool]],
           category_ids: Sequence[int] | None, key: tuple[object, ...]) -> int:
    """How many documents meet ``conditions``: counted in the public indexes once per
    catalog generation and day, remembered under ``key`` (what the conditions depend on)."""
    remembered = (str(session.get_bind().engine.url), catalog_generation(session),
                  clock.today(), key)
    found = _COUNTS.get(remembered)
    if found is not None:
        return found
    if category_ids is not None:
        conditions = [*conditions, Document.category_id.in_(category_ids)]
    count = int(session.scalar(select(func.count(Document.id)).where(*conditions)) or 0)
    if len(_COUNTS) >= _COUNTS_KEPT:
        _COUNTS.clear()
    _COUNTS[remembered] = count
    return count


def _rows(session: Session, ids: Sequence[int], *options: Any) -> list[Document]:
    """The documents ``ids``, in that order."""
    if not ids:
        return []
    found = {document.id: document for document in session.scalars(
        select(Document).where(Document.id.in_(ids)).options(*options))}
    return [found[row_id] for row_id in ids if row_id in found]


def _filter_scope(session: Session, filters: DocumentFilters
                  ) -> tuple[list[int] | None, int | None]:
    """The column family and the agency a list is narrowed to; raises
    :class:`UnknownFilterError` for a column or agency that does not exist."""
    category_ids = None
    if filters.column is not None:
        category = category_by_slug(session, filters.column)
        if category is None:
            raise UnknownFilterError("column", f"栏目“{filters.column}”不存在。")
        category_ids = column_and_descendant_ids(session, category)
    agency_id = None
    if filters.agency is not None:
        agency = agencies.find_agency(filters.agency)
        if agency is None:
            raise UnknownFilterError("agency", f"发布机构“{filters.agency}”不存在。")
        agency_id = agency.id
    return category_ids, agency_id


def list_documents(session: Session, filters: DocumentFilters, page: int = 1, size: int = 20,
                   today: dt.date | None = None) -> DocumentPage:
    """Public documents matching ``filters``, newest first. Raises :class:`UnknownFilterError`
    when a column or agency does not exist."""
    category_ids, agency_id = _filter_scope(session, filters)
    conditions = _public_index_conditions(filters, agency_id, today)
    total = _count(session, conditions, category_ids,
                   (filters, today, tuple(category_ids or ()), agency_id))
    ids = _newest_ids(session, conditions, category_ids, page * size)[(page - 1) * size:]
    items = _rows(session, ids, selectinload(Document.agency), selectinload(Document.category))
    return DocumentPage(items, total, page, size)


def latest_in_column(session: Session, category: Category, limit: int = 6,
                     agency: Agency | None = None,
                     today: dt.date | None = None) -> list[Document]:
    """The newest public documents of a column and its sub-columns."""
    conditions: list[ColumnElement[bool]] = [public_clause(today)]
    if agency is not None:
        conditions.append(Document.agency_id == agency.id)
    ids = _newest_ids(session, conditions, column_and_descendant_ids(session, category), limit)
    return _rows(session, ids)


def publication_years(session: Session, today: dt.date | None = None) -> list[int]:
    """Years that have public documents, newest first (the year filter's choices): the
    first and last dates and, for each year between, whether one exists, all read from the
    public index."""
    public = public_clause(today)
    first, last = session.execute(select(func.min(Document.published_on),
                                         func.max(Document.published_on)).where(public)).one()
    if first is None or last is None:
        return []
    return [year for year in range(last.year, first.year - 1, -1)
            if session.scalar(select(Document.id).where(
                public, Document.published_on >= dt.date(year, 1, 1),
                Document.published_on < dt.date(year + 1, 1, 1)).limit(1)) is not None]


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


# --- entry functions: the public pages, feeds, the sitemap and the API ------------------

@dataclass(frozen=True)
class HomePage:
    sections: list[tuple[Category, list[Document]]]
    agencies: list[Agency]


def home_page(columns: Sequence[str], items: int) -> HomePage:
    """The newest ``items`` public documents of each of ``columns`` that exists, in that
    order, and the agencies."""
    session = get_session()
    sections = []
    for slug in columns:
        category = category_by_slug(session, slug)
        if category is not None and category.retired_at is None:
            sections.append((category, latest_in_column(session, category, items)))
    return HomePage(sections, agencies.all_agencies())


@dataclass(frozen=True)
class GuidePage:
    """An agency's 政府信息公开指南 (条例 Art. 12) with its guide documents."""

    agency: Agency
    documents: list[Document]
    last_updated: dt.date | None
    other_agencies: list[Agency]


def guide_page(code: str) -> GuidePage:
    """The 指南 of the agency ``code``; :class:`NotFoundError` when there is none."""
    agency = agencies.agency_by_code(code)
    documents = guide_documents(get_session(), agency)
    others = [other for other in agencies.all_agencies() if other.id != agency.id]
    return GuidePage(agency, documents, guide_last_updated(agency, documents), others)


@dataclass(frozen=True)
class CatalogPage:
    """The 政府信息公开目录 of one agency, or of all when ``agency`` is None."""

    agency: Agency | None
    tree: list[ColumnNode]
    last_updated: dt.date | None
    agencies: list[Agency]


def catalog_page(code: str | None = None) -> CatalogPage:
    """The 目录 of the agency ``code``, or of all agencies when None."""
    agency = agencies.agency_by_code(code) if code is not None else None
    session = get_session()
    return CatalogPage(agency, column_tree(session, agency),
                       catalog_last_updated(session, agency), agencies.all_agencies())


@dataclass(frozen=True)
class AgencyPage:
    """One agency's own 政府信息公开 home: its 目录 with counts and its newest documents."""

    agency: Agency
    tree: list[ColumnNode]
    latest: list[Document]


def agency_page(code: str, latest: int = 10) -> AgencyPage:
    agency = agencies.agency_by_code(code)
    session = get_session()
    newest = list_documents(session, DocumentFilters(agency=agency.code), size=latest).items
    return AgencyPage(agency, column_tree(session, agency), newest)


@dataclass(frozen=True)
class ColumnPage:
    """A column's list; ``result`` is None when a filter is wrong (``errors`` says which)."""

    category: Category
    path: list[Category]
    filters: DocumentFilters
    result: DocumentPage | None
    errors: dict[str, str]
    agencies: list[Agency]
    years: list[int]


def column_page(slug: str, query: ListingQuery) -> ColumnPage:
    """The public documents of column ``slug`` and its sub-columns narrowed by ``query``
    (whose own column parameter is ignored: the column comes from the path).
    :class:`NotFoundError` for an unknown column or a page beyond the last,
    :class:`~opengov.site.catalog.service.structure.ColumnRetiredError` for a retired one."""
    session = get_session()
    category = live_column(session, slug)
    errors = {name: message for name, message in query.errors.items() if name != "column"}
    filters = replace(query.filters, column=slug)
    result = None
    if not errors:
        try:
            result = list_documents(session, filters, query.page, query.size)
        except UnknownFilterError as exc:
            errors[exc.name] = exc.message
    if result is not None and query.page > result.pages:
        raise NotFoundError("没有这一页。")
    return ColumnPage(category, column_path(category), filters, result, errors,
                      agencies.all_agencies(), publication_years(session))


def document_listing(query: ListingQuery) -> DocumentPage:
    """Public documents matching ``query`` (the API's list); :class:`UnknownFilterError`
    names a column or agency that does not exist."""
    return list_documents(get_session(), query.filters, query.page, query.size)


def column_tree_of(code: str | None) -> tuple[Agency | None, list[ColumnNode]]:
    """The column tree with counts, of the agency ``code`` or of all when None;
    :class:`UnknownFilterError` when ``code`` names no agency."""
    agency = None
    if code is not None:
        agency = agencies.find_agency(code)
        if agency is None:
            raise UnknownFilterError("agency", f"发布机构“{code[:20]}”不存在。")
    return agency, column_tree(get_session(), agency)


@dataclass(frozen=True)
class DocumentView:
    """A public document with what its page shows beside it."""

    document: Document
    path: list[Category]
    interpretations: list[Document]
    policies: list[Document]
    versions: Sequence[DocumentVersion]


def document_view(document_id: int) -> DocumentView:
    """The public document ``document_id``; :class:`NotFoundError` when there is none or the
    public may not see it (the answer does not tell which)."""
    session = get_session()
    document = get_public_document(session, document_id)
    if document is None:
        raise NotFoundError("没有这个文件。")
    return DocumentView(document, column_path(document.category),
                        public_interpretations(session, document),
                        public_policies(session, document), versions(session, document.id))


@dataclass(frozen=True)
class AttachmentFile:
    """A stored attachment to send: where its bytes are, the name and type to send them
    under, and whether its document is public (only then may caches keep it)."""

    path: Path
    name: str
    content_type: str
    public: bool


def _file(attachment: Attachment) -> AttachmentFile:
    path = stored_path(upload_dir(), attachment)
    if not path.is_file():
        raise NotFoundError("附件文件不存在。")
    return AttachmentFile(path, attachment.original_name, attachment.content_type,
                          attachment.document.is_public)


def public_attachment(document_id: int, attachment_id: int) -> AttachmentFile:
    """An attachment of a public document (条例 Art. 24: 下载); else :class:`NotFoundError`."""
    attachment = get_public_attachment(get_session(), document_id, attachment_id)
    if attachment is None:
        raise NotFoundError("没有这个附件。")
    return _file(attachment)


def embedded_attachment(attachment_id: int, viewer: User | None) -> AttachmentFile:
    """An attachment as a body embeds it: of a public document, or — for editors and
    reviewers of its agency (or site-wide), so that the editor's preview shows it — of one
    not yet public. Anyone else gets :class:`NotFoundError`."""
    attachment = get_session().get(Attachment, attachment_id)
    if attachment is None or not (attachment.document.is_public
                                  or _may_preview(viewer, attachment.document)):
        raise NotFoundError("没有这个附件。")
    return _file(attachment)


def _may_preview(viewer: User | None, document: Document) -> bool:
    return (viewer is not None and viewer.has_role(Role.EDITOR, Role.REVIEWER)
            and in_scope(viewer, document.agency_id))


@dataclass(frozen=True)
class Feed:
    """The newest public documents, of one column or of all."""

    category: Category | None
    items: list[Document]
    updated: dt.datetime


#: When an empty feed says it was last updated.
_EMPTY_FEED_UPDATED = dt.datetime(2000, 1, 1)


def feed(slug: str | None, size: int) -> Feed:
    """The ``size`` newest public documents of column ``slug`` (with its sub-columns), or of
    every column when None; :class:`NotFoundError` for an unknown column (retired:
    :class:`~opengov.site.catalog.service.structure.ColumnRetiredError`)."""
    session = get_session()
    category = None
    if slug is not None:
        category = live_column(session, slug)
    items = list_documents(session, DocumentFilters(column=slug), size=size).items
    updated = max((document.updated_at for document in items), default=_EMPTY_FEED_UPDATED)
    return Feed(category, items, updated)


@dataclass(frozen=True)
class Sitemap:
    documents: list[SitemapDocument]
    categories: list[Category]
    agencies: list[Agency]


def sitemap() -> Sitemap:
    """Public documents, columns and agencies for sitemap.xml."""
    session = get_session()
    return Sitemap(sitemap_documents(session), all_categories(session), agencies.all_agencies())
