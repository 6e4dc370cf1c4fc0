"""Staff maintain their agency's items: write a guide, have it reviewed, publish it; correct a
published guide in a new version while the old one stays public; withdraw an item; compare
versions; upload blank forms and samples. (The desk of :mod:`.desk`, plus the guide's rules
and files.)"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.agencies import service as agencies
from opengov.site.audit.service import Origin
from opengov.site.db import get_session, unit_of_work
from opengov.site.exceptions import ForbiddenError, InvalidInputError, NotFoundError
from opengov.site.service_items.models import (
    ServiceItem,
    ServiceItemEvent,
    ServiceItemFile,
    ServiceItemRevision,
)
from opengov.site.service_items.rules.guide import ItemGuide, check_guide
from opengov.site.service_items.rules.workflow import Action, Transition
from opengov.site.service_items.service import desk, revisions
from opengov.site.service_items.service.files import save_file
from opengov.site.service_items.service.records import ITEMS

LIST_FILTERS = desk.LIST_FILTERS
Row = desk.StaffRow[ServiceItem, ServiceItemRevision]
ItemDetail = desk.RecordDetail[ServiceItem, ServiceItemRevision, ServiceItemEvent, ItemGuide]
VersionComparison = desk.VersionComparison[ServiceItem, ServiceItemRevision]


def _check(guide: ItemGuide) -> None:
    problems = check_guide(guide)
    if problems:
        raise InvalidInputError("；".join(problem.message for problem in problems))


def staff_items(actor: User, status: str = "") -> list[Row]:
    return desk.staff_rows(ITEMS, actor, status)


def review_queue(actor: User) -> list[Row]:
    return desk.review_queue(ITEMS, actor)


@dataclass(frozen=True)
class EditorPage:
    """What the editor shows for a new item (``item`` None) or the next version of one."""

    item: ServiceItem | None
    #: The guide to fill the form with: the draft's, else the public version's.
    guide: ItemGuide | None
    note: str
    #: The draft's optimistic version; 0 when saving starts a new draft.
    lock_version: int
    #: (id, name) of the agencies the person may write for.
    agencies: list[tuple[int, str]]
    #: The item's blank forms and samples, for the materials' selects.
    files: list[ServiceItemFile]


def agency_choices(actor: User) -> list[tuple[int, str]]:
    """(id, name) of the agencies ``actor`` maintains records for."""
    return [(agency.id, agency.name) for agency in agencies.all_agencies()
            if revisions.in_scope(actor, agency.id)]


def _files(session: Session, item: ServiceItem) -> list[ServiceItemFile]:
    return list(session.scalars(select(ServiceItemFile).where(
        ServiceItemFile.item_id == item.id).order_by(ServiceItemFile.id)))


def open_editor(actor: User, item_id: int | None = None) -> EditorPage:
    """The editor of a new item, or of the next version of an item of ``actor``'s agency;
    :class:`~opengov.site.exceptions.ConflictError` while a version of it is in review."""
    draft = desk.open_draft(ITEMS, actor, item_id)
    item = draft.record
    return EditorPage(
        item, ItemGuide.from_dict(draft.source.content) if draft.source else None,
        draft.note, draft.lock_version, agency_choices(actor),
        _files(get_session(), item) if item is not None else [])


def create_item(actor: User, *, agency_id: int, code: str, guide: ItemGuide, note: str,
                origin: Origin) -> int:
    """A new item of ``agency_id`` with ``guide`` as its first draft; returns its id."""
    _check(guide)
    return desk.create(ITEMS, actor, agency_id=agency_id, code=code, content=guide.to_dict(),
                       note=note, origin=origin)


def save_item(actor: User, item_id: int, *, guide: ItemGuide, note: str,
              expected_version: int, origin: Origin) -> int:
    """Save the next version of an item as a draft; returns its version number.
    :class:`~.revisions.EditConflictError` when someone saved the draft meanwhile."""
    _check(guide)

    def own_files(session: Session, item: ServiceItem) -> None:
        if not guide.file_ids <= {found.id for found in _files(session, item)}:
            raise InvalidInputError("所选的空白表格或示例样表不属于该事项。")

    return desk.save(ITEMS, actor, item_id, content=guide.to_dict(), note=note,
                     expected_version=expected_version, origin=origin, check=own_files)


def item_detail(actor: User, item_id: int) -> tuple[ItemDetail, list[ServiceItemFile]]:
    """An item's back-office page and its files."""
    detail = desk.record_detail(ITEMS, actor, item_id, ItemGuide.from_dict)
    return detail, _files(get_session(), detail.record)


def take_action(actor: User, item_id: int, action: Action | str, *, opinion: str,
                origin: Origin) -> Transition:
    return desk.take_action(ITEMS, actor, item_id, action, opinion=opinion, origin=origin)


def withdraw_item(actor: User, item_id: int, *, reason: str, origin: Origin) -> None:
    desk.withdraw(ITEMS, actor, item_id, reason=reason, origin=origin)


def compare_versions(actor: User, item_id: int, old_number: int | None = None,
                     new_number: int | None = None) -> VersionComparison:
    return desk.compare_versions(ITEMS, actor, item_id, old_number, new_number)


# --- files -------------------------------------------------------------------------------------


def item_files(actor: User, item_id: int) -> tuple[ServiceItem, list[ServiceItemFile]]:
    revisions.require_staff(actor, ITEMS.noun)
    session = get_session()
    item = revisions.scoped_record(session, ITEMS, actor, item_id)
    return item, _files(session, item)


def upload_item_file(actor: User, item_id: int, data: bytes, filename: str, *,
                     origin: Origin) -> ServiceItemFile:
    """A blank form or sample for the materials of an item of ``actor``'s agency;
    :class:`~opengov.site.catalog.service.attachments.UploadError` when refused."""
    if not actor.has_role(Role.EDITOR):
        raise ForbiddenError("您没有编写事项的权限。")
    with unit_of_work() as session:
        item = revisions.scoped_record(session, ITEMS, actor, item_id)
        return save_file(session, item, data, filename, actor=actor, origin=origin)


def staff_file(actor: User, item_id: int, file_id: int) -> ServiceItemFile:
    """A file of an item of ``actor``'s agency, for staff to check what they uploaded."""
    _item, files = item_files(actor, item_id)
    found = next((candidate for candidate in files if candidate.id == file_id), None)
    if found is None:
        raise NotFoundError("没有这个文件。")
    return found

