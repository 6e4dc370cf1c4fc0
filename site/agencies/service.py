"""Agencies: finding them, and the 指南 details (条例 Art. 12) that administrators keep."""

from __future__ import annotations

from sqlalchemy import select

from opengov.site import clock
from opengov.site.agencies.models import Agency
from opengov.site.audit import service as audit
from opengov.site.audit.service import AuditAction, Origin, StaffActor
from opengov.site.db import get_session, unit_of_work
from opengov.site.exceptions import ForbiddenError, NotFoundError
from opengov.site.web.staff import ADMIN_ROLE

#: Display order of agency kinds: the government first, then departments, then townships.
KIND_ORDER = {"government": 0, "department": 1, "township": 2}

#: Agency fields an administrator edits (条例 Art. 12: 指南 and the office's contact details).
AGENCY_FIELDS = ("name", "office_name", "address", "postcode", "office_hours", "phone", "fax",
                 "email", "website", "guide_markdown")


def all_agencies() -> list[Agency]:
    """Every agency, the government first, then departments and townships in their order."""
    agencies = list(get_session().scalars(select(Agency)))
    return sorted(agencies, key=lambda a: (KIND_ORDER.get(a.kind, 3), a.sort_order, a.id))


def agencies_in_scope(agency_id: int | None) -> list[Agency]:
    """The agencies a person of ``agency_id`` acts for: their own, or all for site-wide staff."""
    return [a for a in all_agencies() if agency_id in (None, a.id)]


def get_agency(agency_id: int) -> Agency:
    """The agency with this id; :class:`NotFoundError` when there is none."""
    agency = get_session().get(Agency, agency_id) if 0 < agency_id < 2**31 else None
    if agency is None:
        raise NotFoundError("没有这个机关")
    return agency


def find_agency(code: str) -> Agency | None:
    """The agency with this code, or None."""
    return get_session().scalars(select(Agency).where(Agency.code == code)).one_or_none()


def agency_by_code(code: str) -> Agency:
    """The agency with this code; :class:`NotFoundError` when there is none."""
    agency = find_agency(code)
    if agency is None:
        raise NotFoundError("没有这个机关")
    return agency


def update_agency(agency_id: int, values: dict[str, str], *, actor: StaffActor,
                  origin: Origin) -> list[str]:
    """An administrator changes an agency's :data:`AGENCY_FIELDS`; the 指南's 最后更新 date
    moves whenever it or the contact details change (Art. 12 requires both to be kept up to
    date). Returns the changed fields."""
    if not actor.has_role(ADMIN_ROLE):
        raise ForbiddenError("只有系统管理员可以修改政府信息公开指南和联系方式。")
    with unit_of_work() as session:
        agency = get_agency(agency_id)
        changed = [name for name in AGENCY_FIELDS
                   if name in values and getattr(agency, name) != values[name]]
        for name in changed:
            setattr(agency, name, values[name])
        if changed:
            agency.guide_updated_on = clock.today()
            audit.record(session, AuditAction.SETTINGS, actor=actor, origin=origin,
                         object_type="agency", object_id=agency.id,
                         detail=f"修改{agency.name}：" + "、".join(changed))
        return changed
