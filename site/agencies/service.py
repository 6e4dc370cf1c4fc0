"""Agencies: finding them, creating them (departments, townships, 村/社区), and the 指南 details
(条例 Art. 12) that administrators keep."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select

from opengov.site import clock
from opengov.site.agencies.models import Agency
from opengov.site.agencies.rules import (
    KIND_LABELS,
    KIND_ORDER,
    PARENT_KINDS,
    code_problem,
    org_code_problem,
)
from opengov.site.audit import service as audit
from opengov.site.audit.service import AuditAction, Origin, StaffActor
from opengov.site.db import get_session, unit_of_work
from opengov.site.exceptions import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from opengov.site.web.staff import ADMIN_ROLE

__all__ = ["KIND_LABELS", "KIND_ORDER", "NewAgency", "create_agency"]

#: Agency fields an administrator edits (条例 Art. 12: 指南 and the office's contact details).
AGENCY_FIELDS = ("name", "office_name", "address", "postcode", "office_hours", "phone", "fax",
                 "email", "website", "guide_markdown")


def all_agencies() -> list[Agency]:
    """Every agency, the government first, then departments and townships in their order."""
    agencies = list(get_session().scalars(select(Agency)))
    return sorted(agencies, key=lambda a: (KIND_ORDER.get(a.kind, len(KIND_ORDER)),
                                           a.sort_order, a.id))


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


@dataclass(frozen=True)
class NewAgency:
    """An agency as an administrator creates it."""

    code: str
    name: str
    org_code: str
    kind: str
    parent_id: int | None = None
    short_name: str = ""
    sort_order: int = 0


def create_agency(data: NewAgency, *, actor: StaffActor, origin: Origin) -> Agency:
    """A new department, township or 村/社区 (under its township), with its own 指南, 目录
    and 索引号 series; its code (URL) and 组织机构代码 must be unused."""
    if not actor.has_role(ADMIN_ROLE):
        raise ForbiddenError("只有系统管理员可以新建机构。")
    for problem in (code_problem(data.code), org_code_problem(data.org_code)):
        if problem:
            raise InvalidInputError(problem)
    if not data.name.strip():
        raise InvalidInputError("请填写机关名称。")
    if data.kind not in KIND_LABELS:
        raise InvalidInputError("机构类型不正确。")
    with unit_of_work() as session:
        taken = session.scalars(select(Agency).where(or_(
            Agency.code == data.code, Agency.org_code == data.org_code))).first()
        if taken is not None:
            raise ConflictError(f"机构代码或组织机构代码已被“{taken.name}”使用。")
        parent = None
        if data.parent_id is not None:
            parent = session.get(Agency, data.parent_id) if 0 < data.parent_id < 2**31 else None
            if parent is None:
                raise InvalidInputError("上级机构不存在。")
        allowed = PARENT_KINDS[data.kind]
        if allowed and (parent is None or parent.kind not in allowed):
            names = "、".join(KIND_LABELS[kind] for kind in allowed)
            raise InvalidInputError(f"{KIND_LABELS[data.kind]}的上级机构应为{names}。")
        agency = Agency(code=data.code, name=data.name.strip(), org_code=data.org_code,
                        kind=data.kind, parent=parent, short_name=data.short_name.strip(),
                        sort_order=data.sort_order, guide_updated_on=clock.today())
        session.add(agency)
        session.flush()
        audit.record(session, AuditAction.CREATE, actor=actor, origin=origin,
                     object_type="agency", object_id=agency.id,
                     detail=f"新建{KIND_LABELS[data.kind]}：{agency.name}（{agency.code}）")
        return agency
