"""Service items in the site search: the index source of kind ``service_item`` (类型 办事指南).

The entry of an item is its public version only: name as title, the materials, steps,
conditions and 常见问题 as text, the names people use for it (常用名称) and the licence it
gives as key words. A withdrawn item, or one never published, has no entry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence

from flask import url_for
from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session, selectinload

from opengov.indexer.model import IndexDocument
from opengov.site.search.service import sources
from opengov.site.service_items.models import ServiceItem, ServiceItemRevision
from opengov.site.service_items.rules.guide import ItemGuide, item_search_text
from opengov.site.service_items.rules.workflow import PublicState
from opengov.site.service_items.service.records import KIND

LABEL = "办事指南"


def public_item_clause() -> ColumnElement[bool]:
    """The condition an item must meet to be shown in public."""
    return and_(ServiceItem.state == PublicState.PUBLISHED, ServiceItem.live_number.is_not(None))


def to_entry(item: ServiceItem, revision: ServiceItemRevision) -> IndexDocument:
    guide = ItemGuide.from_dict(revision.content)
    keywords = "、".join([*guide.aliases, guide.result_name, guide.handling_unit,
                         guide.item_type.value])
    values = {"title": guide.name, "body": item_search_text(guide), "summary": guide.summary,
              "doc_number": item.code, "agency": item.agency.code,
              "agency_name": item.agency.name, "issuer": item.agency.name,
              "type": guide.item_type.value, "topic": "、".join(guide.themes),
              "keywords": keywords}
    digest = hashlib.sha256()
    for key in sorted(values):
        digest.update(f"{key}\x00{values[key]}\x01".encode())
    digest.update(f"{item.published_on}|{revision.number}".encode())
    return IndexDocument(id=item.id, kind=KIND, date=item.published_on,
                         version=digest.hexdigest()[:16], **values)


def _public(session: Session, condition: ColumnElement[bool]) -> list[IndexDocument]:
    rows = session.execute(
        select(ServiceItem, ServiceItemRevision)
        .join(ServiceItemRevision, and_(ServiceItemRevision.record_id == ServiceItem.id,
                                        ServiceItemRevision.number == ServiceItem.live_number))
        .where(public_item_clause(), condition).order_by(ServiceItem.id)
        .options(selectinload(ServiceItem.agency))
        .execution_options(populate_existing=True)).all()
    return [to_entry(item, revision) for item, revision in rows]


def entries(session: Session, ids: Sequence[int]) -> list[IndexDocument]:
    return _public(session, ServiceItem.id.in_(list(ids)))


def all_entries(session: Session) -> Iterator[IndexDocument]:
    # A site has hundreds of items, not tens of thousands: one query is enough.
    yield from _public(session, ServiceItem.id > 0)


def count(session: Session) -> int:
    return int(session.scalar(select(func.count(ServiceItem.id)).where(public_item_clause()))
               or 0)


def item_url(item_id: int) -> str:
    return url_for("public.service_item", item_id=item_id)


def register_index_source() -> None:
    """Put service items into the site search (called by the app factory)."""
    sources.register(sources.IndexSource(kind=KIND, label=LABEL, entries=entries,
                                         all_entries=all_entries, count=count, url=item_url))
