"""Who may sign off (签发) a reply: by default never the person who decided it (two people
sign); an agency with a small office may allow one person to do both. Changing that is an
administrator's decision and goes into the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.agencies import service as agencies
from opengov.site.agencies.models import Agency
from opengov.site.audit import service as audit
from opengov.site.audit.service import AuditAction, Origin
from opengov.site.db import get_session, unit_of_work
from opengov.site.exceptions import ForbiddenError
from opengov.site.requests.models import SigningPolicy


def decider_may_sign(session: Session, agency_id: int) -> bool:
    """Whether the agency lets the person who decided a request also sign off its reply."""
    policy = session.get(SigningPolicy, agency_id)
    return bool(policy and policy.decider_may_sign)


@dataclass(frozen=True)
class AgencyPolicy:
    agency: Agency
    decider_may_sign: bool
    changed_by: str
    changed_at: object


def policies(actor: User) -> list[AgencyPolicy]:
    """Every agency's signing rule, for the administrators' settings page."""
    if not actor.has_role(Role.ADMIN):
        raise ForbiddenError("只有管理员可以修改签发规则")
    session = get_session()
    result = []
    for agency in agencies.all_agencies():
        policy = session.get(SigningPolicy, agency.id)
        changed_by = ""
        if policy is not None and policy.changed_by_id is not None:
            user = session.get(User, policy.changed_by_id)
            changed_by = user.display_name if user else ""
        result.append(AgencyPolicy(agency, bool(policy and policy.decider_may_sign), changed_by,
                                   policy.changed_at if policy else None))
    return result


def set_decider_may_sign(actor: User, agency_id: int, allowed: bool, *,
                         origin: Origin) -> None:
    """Allow or forbid one person to decide and sign off in ``agency_id``; audited."""
    if not actor.has_role(Role.ADMIN):
        raise ForbiddenError("只有管理员可以修改签发规则")
    with unit_of_work() as session:
        agency = agencies.get_agency(agency_id)
        policy = session.get(SigningPolicy, agency.id)
        if policy is None:
            policy = SigningPolicy(agency_id=agency.id)
            session.add(policy)
        if bool(policy.decider_may_sign) == allowed and policy.changed_by_id is not None:
            return
        policy.decider_may_sign = allowed
        policy.changed_by_id = actor.id
        policy.changed_at = clock.utcnow()
        audit.record(session, AuditAction.SETTINGS, actor=actor, origin=origin,
                     object_type="request_signing_policy", object_id=agency.id,
                     detail=(f"{agency.name}：{'允许' if allowed else '不允许'}"
                             "作出处理决定的人签发答复书"))
