"""Powers in the site search: the index source of kind ``power`` (类型 权力清单)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence

from flask import url_for
from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session, selectinload

from opengov.indexer.model import IndexDocument
from opengov.site.powers.models import Power, PowerRevision
from opengov.site.powers.rules import PowerContent, search_text
from opengov.site.powers.service.records import KIND
from opengov.site.search.service import sources
from opengov.site.service_items.rules.guide import format_basis
from opengov.site.service_items.rules.workflow import PublicState

LABEL = "权力清单"


def public_power_clause() -> ColumnElement[bool]:
    return and_(Power.state == PublicState.PUBLISHED, Power.live_number.is_not(None))


def to_entry(power: Power, revision: PowerRevision) -> IndexDocument:
    content = PowerContent.from_dict(revision.content)
    values = {"title": content.name, "body": search_text(content),
              "summary": f"{content.power_type.value}。设定依据：{format_basis(content.basis)}",
              "doc_number": power.code, "agency": power.agency.code,
              "agency_name": power.agency.name, "issuer": power.agency.name,
              "type": content.power_type.value,
              "keywords": "、".join([content.handling_unit, content.power_type.value])}
    digest = hashlib.sha256()
    for key in sorted(values):
        digest.update(f"{key}\x00{values[key]}\x01".encode())
    digest.update(f"{power.published_on}|{revision.number}".encode())
    return IndexDocument(id=power.id, kind=KIND, date=power.published_on,
                         version=digest.hexdigest()[:16], **values)


def _public(session: Session, condition: ColumnElement[bool]) -> list[IndexDocument]:
    rows = session.execute(
        select(Power, PowerRevision)
        .join(PowerRevision, and_(PowerRevision.record_id == Power.id,
                                  PowerRevision.number == Power.live_number))
        .where(public_power_clause(), condition).order_by(Power.id)
        .options(selectinload(Power.agency))
        .execution_options(populate_existing=True)).all()
    return [to_entry(power, revision) for power, revision in rows]


def entries(session: Session, ids: Sequence[int]) -> list[IndexDocument]:
    return _public(session, Power.id.in_(list(ids)))


def all_entries(session: Session) -> Iterator[IndexDocument]:
    yield from _public(session, Power.id > 0)


def count(session: Session) -> int:
    return int(session.scalar(select(func.count(Power.id)).where(public_power_clause())) or 0)


def power_url(power_id: int) -> str:
    return url_for("public.power", power_id=power_id)


def register_index_source() -> None:
    """Put powers into the site search (called by the app factory)."""
    sources.register(sources.IndexSource(kind=KIND, label=LABEL, entries=entries,
                                         all_entries=all_entries, count=count, url=power_url))
