"""Staff maintain their agency's 权力清单: write a power, have it reviewed and published,
adjust it in a new version, take it off the list, compare versions (the desk of service
items, with the powers' own rules)."""

from __future__ import annotations

from dataclasses import dataclass

from opengov.site.accounts.models import User
from opengov.site.audit.service import Origin
from opengov.site.exceptions import InvalidInputError
from opengov.site.powers.models import Power, PowerEvent, PowerRevision
from opengov.site.powers.rules import PowerContent, check_power
from opengov.site.powers.service.records import POWERS
from opengov.site.service_items.rules.workflow import Action, Transition
from opengov.site.service_items.service import desk
from opengov.site.service_items.service.editorial import agency_choices

LIST_FILTERS = desk.LIST_FILTERS
Row = desk.StaffRow[Power, PowerRevision]
PowerDetail = desk.RecordDetail[Power, PowerRevision, PowerEvent, PowerContent]
VersionComparison = desk.VersionComparison[Power, PowerRevision]


def _check(content: PowerContent) -> None:
    problems = check_power(content)
    if problems:
        raise InvalidInputError("；".join(problem.message for problem in problems))


def staff_powers(actor: User, status: str = "") -> list[Row]:
    return desk.staff_rows(POWERS, actor, status)


def review_queue(actor: User) -> list[Row]:
    return desk.review_queue(POWERS, actor)


@dataclass(frozen=True)
class EditorPage:
    power: Power | None
    content: PowerContent | None
    note: str
    lock_version: int
    agencies: list[tuple[int, str]]


def open_editor(actor: User, power_id: int | None = None) -> EditorPage:
    draft = desk.open_draft(POWERS, actor, power_id)
    return EditorPage(draft.record,
                      PowerContent.from_dict(draft.source.content) if draft.source else None,
                      draft.note, draft.lock_version, agency_choices(actor))


def create_power(actor: User, *, agency_id: int, code: str, content: PowerContent, note: str,
                 origin: Origin) -> int:
    _check(content)
    return desk.create(POWERS, actor, agency_id=agency_id, code=code,
                       content=content.to_dict(), note=note, origin=origin)


def save_power(actor: User, power_id: int, *, content: PowerContent, note: str,
               expected_version: int, origin: Origin) -> int:
    _check(content)
    return desk.save(POWERS, actor, power_id, content=content.to_dict(), note=note,
                     expected_version=expected_version, origin=origin)


def power_detail(actor: User, power_id: int) -> PowerDetail:
    return desk.record_detail(POWERS, actor, power_id, PowerContent.from_dict)


def take_action(actor: User, power_id: int, action: Action | str, *, opinion: str,
                origin: Origin) -> Transition:
    return desk.take_action(POWERS, actor, power_id, action, opinion=opinion, origin=origin)


def withdraw_power(actor: User, power_id: int, *, reason: str, origin: Origin) -> None:
    desk.withdraw(POWERS, actor, power_id, reason=reason, origin=origin)


def compare_versions(actor: User, power_id: int, old_number: int | None = None,
                     new_number: int | None = None) -> VersionComparison:
    return desk.compare_versions(POWERS, actor, power_id, old_number, new_number)
