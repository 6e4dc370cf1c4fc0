"""The agency's 指南 and contact details and the column descriptions, edited by staff."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from opengov.site.accounts.models import User
from opengov.site.agencies.models import Agency
from opengov.site.audit import service as audit
from opengov.site.audit.service import AuditAction, Origin
from opengov.site.catalog.models import Category

#: Agency fields an administrator edits (条例 Art. 12: 指南 and the office's contact details).
AGENCY_FIELDS = ("name", "office_name", "address", "postcode", "office_hours", "phone", "fax",
                 "email", "website", "guide_markdown")


def update_agency(session: Session, agency: Agency, values: dict[str, str], *, actor: User,
                  origin: Origin) -> list[str]:
    """Apply changed fields; the 指南's 最后更新 date moves whenever it or the contact
    details change (Art. 12 requires both to be kept up to date). Returns changed fields."""
    changed = [name for name in AGENCY_FIELDS
               if name in values and getattr(agency, name) != values[name]]
    for name in changed:
        setattr(agency, name, values[name])
    if changed:
        agency.guide_updated_on = dt.date.today()  # the server's local date, as elsewhere
        audit.record(session, AuditAction.SETTINGS, actor=actor, origin=origin,
                     object_type="agency", object_id=agency.id,
                     detail=f"修改{agency.name}：" + "、".join(changed))
    return changed


def update_category(session: Session, category: Category, description: str, *, actor: User,
                    origin: Origin) -> bool:
    description = description.strip()
    if category.description == description:
        return False
    category.description = description
    audit.record(session, AuditAction.SETTINGS, actor=actor, origin=origin,
                 object_type="category", object_id=category.id,
                 detail=f"修改栏目说明：{category.name}")
    return True
