"""What the public sees of service items: the directory (by life or business event, agency,
type, words), one item's 办事指南 with its laws linked to the catalog, the printable checklist,
the blank forms and samples, and the same as JSON. Everything here only reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from opengov.site.agencies import service as agencies
from opengov.site.agencies.models import Agency
from opengov.site.catalog.models import Document
from opengov.site.catalog.rules.metadata import Validity
from opengov.site.catalog.service.public import public_clause
from opengov.site.db import get_session
from opengov.site.exceptions import NotFoundError
from opengov.site.service_items.models import (
    ServiceItem,
    ServiceItemFile,
    ServiceItemRevision,
    ServiceItemTheme,
)
from opengov.site.service_items.rules.guide import (
    ORGANISATION_THEMES,
    PERSON_THEMES,
    ItemGuide,
    ItemType,
    LegalBasis,
    Target,
)
from opengov.site.service_items.rules.listing import TARGET_SLUGS, ListQuery
from opengov.site.service_items.service.files import stored_file_path
from opengov.site.service_items.service.index_source import public_item_clause


@dataclass(frozen=True)
class LawLink:
    """A law named in a 设定依据 that the site's own catalog publishes."""

    document_id: int
    title: str


def law_links(session: Session, basis: Iterable[LegalBasis]) -> dict[str, LawLink]:
    """The public catalog document of each law named in ``basis`` (by title, with or without
    the “中华人民共和国” of national laws): the text in force, newest first. A law the catalog
    holds in parts under one title (the 民法典 by 编) links to the part holding the first
    article cited."""
    prefix = "中华人民共和国"
    candidates: dict[str, str] = {}
    first_article: dict[str, str] = {}
    for item in basis:
        bare = item.law.removeprefix(prefix)
        for title in (item.law, bare, prefix + bare):
            candidates.setdefault(title, item.law)
        found = _ARTICLE.search(item.articles)
        if found and item.law not in first_article:
            first_article[item.law] = found.group(0)
    if not candidates:
        return {}
    rows = session.execute(
        select(Document.id, Document.title, Document.validity, Document.published_on)
        .where(public_clause(), Document.title.in_(list(candidates)))).all()
    by_law: dict[str, list[tuple[tuple[bool, str, int], LawLink]]] = {}
    for document_id, title, validity, published_on in rows:
        rank = (validity == Validity.VALID, published_on.isoformat() if published_on else "",
                document_id)
        by_law.setdefault(candidates[title], []).append((rank, LawLink(document_id, title)))
    links: dict[str, LawLink] = {}
    for law, found_links in by_law.items():
        found_links.sort(key=lambda entry: entry[0], reverse=True)
        best = found_links[0][1]
        parts = {link.document_id for _rank, link in found_links if link.title == best.title}
        if len(parts) > 1 and law in first_article:
            holding = set(session.scalars(select(Document.id).where(
                Document.id.in_(parts),
                Document.body.contains(first_article[law], autoescape=True))))
            best = next((link for _rank, link in found_links if link.document_id in holding),
                        best)
        links[law] = best
    return links


#: The first article a 设定依据 cites: 第一千零四十九条, 第5条.
_ARTICLE = re.compile(r"第[零一二三四五六七八九十百千0-9]+条")


# --- the directory ------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemList:
    items: list[ServiceItem]
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


class UnknownAgencyError(NotFoundError):
    """The list names an agency that does not exist."""


def _conditions(query: ListQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [public_item_clause()]
    if query.agency:
        agency = agencies.find_agency(query.agency)
        if agency is None:
            raise UnknownAgencyError(f"没有代码为“{query.agency}”的机关。")
        conditions.append(ServiceItem.agency_id == agency.id)
    if query.type:
        conditions.append(ServiceItem.item_type == query.type)
    if query.target:
        column = (ServiceItem.for_persons if TARGET_SLUGS[query.target] is Target.PERSON
                  else ServiceItem.for_organisations)
        conditions.append(column.is_(True))
    if query.theme:
        conditions.append(ServiceItem.id.in_(
            select(ServiceItemTheme.item_id).where(ServiceItemTheme.theme == query.theme)))
    for word in query.words:
        # The name, or a name people use for it (常用名称 of the public version).
        conditions.append(or_(ServiceItem.name.contains(word, autoescape=True),
                              ServiceItem.aliases.contains(word, autoescape=True)))
    return conditions


def list_items(session: Session, query: ListQuery) -> ItemList:
    """One page of the public items matching ``query``, by agency order then name."""
    conditions = _conditions(query)
    total = int(session.scalar(select(func.count(ServiceItem.id)).where(*conditions)) or 0)
    items = session.scalars(
        select(ServiceItem).join(Agency, Agency.id == ServiceItem.agency_id).where(*conditions)
        .order_by(Agency.sort_order, Agency.id, ServiceItem.code)
        .offset((query.page - 1) * query.size).limit(query.size)
        .options(selectinload(ServiceItem.agency), selectinload(ServiceItem.themes))).all()
    return ItemList(list(items), total, query.page, query.size)


@dataclass(frozen=True)
class ThemeCount:
    theme: str
    count: int


@dataclass(frozen=True)
class DirectoryPage:
    """The 办事指南 directory: the list asked for and what it can be narrowed by."""

    result: ItemList
    query: ListQuery
    person_themes: list[ThemeCount]
    organisation_themes: list[ThemeCount]
    #: (agency, number of public items) of agencies with items.
    agencies: list[tuple[Agency, int]]
    types: list[tuple[str, int]]
    agency: Agency | None


def _theme_counts(session: Session, themes: Sequence[str]) -> list[ThemeCount]:
    counts = dict(session.execute(
        select(ServiceItemTheme.theme, func.count(ServiceItemTheme.item_id))
        .join(ServiceItem, ServiceItem.id == ServiceItemTheme.item_id)
        .where(public_item_clause(), ServiceItemTheme.theme.in_(list(themes)))
        .group_by(ServiceItemTheme.theme)).all())
    return [ThemeCount(theme, int(counts.get(theme, 0))) for theme in themes]


def directory_page(query: ListQuery) -> DirectoryPage:
    """The directory narrowed by ``query``; :class:`UnknownAgencyError` for an unknown
    agency code."""
    session = get_session()
    result = list_items(session, query)
    per_agency = dict(session.execute(
        select(ServiceItem.agency_id, func.count(ServiceItem.id))
        .where(public_item_clause()).group_by(ServiceItem.agency_id)).all())
    per_type = dict(session.execute(
        select(ServiceItem.item_type, func.count(ServiceItem.id))
        .where(public_item_clause()).group_by(ServiceItem.item_type)).all())
    return DirectoryPage(
        result=result, query=query,
        person_themes=_theme_counts(session, PERSON_THEMES),
        organisation_themes=_theme_counts(session, ORGANISATION_THEMES),
        agencies=[(agency, int(per_agency[agency.id])) for agency in agencies.all_agencies()
                  if agency.id in per_agency],
        types=[(item_type.value, int(per_type.get(item_type.value, 0)))
               for item_type in ItemType if per_type.get(item_type.value)],
        agency=agencies.find_agency(query.agency) if query.agency else None)


def item_list(query: ListQuery) -> ItemList:
    """The API's list: one page of public items."""
    return list_items(get_session(), query)


# --- one item ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemPage:
    """One item's 办事指南 as the public sees it."""

    item: ServiceItem
    guide: ItemGuide
    #: The version number and the day it was published (更新日期).
    version: int
    #: The blank forms and samples offered, by id.
    files: dict[int, ServiceItemFile]
    #: Laws of the 设定依据 the site's catalog publishes, by the name the guide uses.
    laws: dict[str, LawLink]


def public_item(session: Session, item_id: int) -> tuple[ServiceItem, ServiceItemRevision]:
    """The item and its public version; :class:`NotFoundError` when it is not public."""
    row = session.execute(
        select(ServiceItem, ServiceItemRevision)
        .join(ServiceItemRevision, and_(ServiceItemRevision.record_id == ServiceItem.id,
                                        ServiceItemRevision.number == ServiceItem.live_number))
        .where(ServiceItem.id == item_id, public_item_clause())
        .options(selectinload(ServiceItem.agency))).one_or_none() \
        if 0 < item_id < 2**31 else None
    if row is None:
        raise NotFoundError("没有这个办事事项，或该事项已停止办理。")
    return row[0], row[1]


def item_page(item_id: int) -> ItemPage:
    """The public 办事指南 of an item; :class:`NotFoundError` unless it is public."""
    session = get_session()
    item, revision = public_item(session, item_id)
    guide = ItemGuide.from_dict(revision.content)
    files = {file.id: file for file in session.scalars(select(ServiceItemFile).where(
        ServiceItemFile.item_id == item.id,
        ServiceItemFile.id.in_(list(guide.file_ids))))} if guide.file_ids else {}
    return ItemPage(item, guide, revision.number, files, law_links(session, guide.basis))


@dataclass(frozen=True)
class FileToSend:
    path: Path
    name: str
    content_type: str


def item_file(item_id: int, file_id: int) -> FileToSend:
    """A blank form or sample the public version of a public item offers."""
    session = get_session()
    item, revision = public_item(session, item_id)
    guide = ItemGuide.from_dict(revision.content)
    found = session.get(ServiceItemFile, file_id) if file_id in guide.file_ids else None
    if found is None or found.item_id != item.id:
        raise NotFoundError("没有这个文件。")
    path = stored_file_path(found)
    if not path.is_file():
        raise NotFoundError("文件不存在。")
    return FileToSend(path, found.original_name, found.content_type)


def sitemap_items() -> list[ServiceItem]:
    """Every public item, for lists that link them all."""
    return list(get_session().scalars(select(ServiceItem).where(public_item_clause())
                                      .order_by(ServiceItem.id)))


def public_item_ids(session: Session, codes: Iterable[str]) -> dict[str, int]:
    """The ids of the public items with these codes (other features link to their guides)."""
    wanted = [code for code in set(codes) if code]
    if not wanted:
        return {}
    return dict(session.execute(
        select(ServiceItem.code, ServiceItem.id).where(ServiceItem.code.in_(wanted),
                                                        public_item_clause())).all())
