"""Staff keep their agency's items: review before publication, versions, withdrawal, scope."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from opengov.site.accounts.models import User
from opengov.site.audit.service import COMMAND_LINE
from opengov.site.catalog.models import SearchOutbox
from opengov.site.exceptions import ConflictError, ForbiddenError, NotFoundError
from opengov.site.service_items.models import ServiceItem
from opengov.site.service_items.rules.guide import Material
from opengov.site.service_items.rules.workflow import PublicState, RevisionStatus
from opengov.site.service_items.service import editorial
from opengov.site.service_items.service import public as items
from opengov.site.service_items.service.revisions import EditConflictError
from tests.service_items.conftest import Publisher, marriage_guide


def test_nothing_is_public_before_review_and_publication(
        app: Flask, db_session: Session, agencies: dict[str, int], staff: dict[str, User]) -> None:
    editor, reviewer = staff["editor"], staff["reviewer"]
    item_id = editorial.create_item(editor, agency_id=agencies["mzj"], code="SL-MZ-001",
                                    guide=marriage_guide(), note="初稿", origin=COMMAND_LINE)
    with pytest.raises(NotFoundError):
        items.item_page(item_id)
    editorial.take_action(editor, item_id, "submit", opinion="", origin=COMMAND_LINE)
    with pytest.raises(ConflictError, match="您没有审核通过的权限"):
        editorial.take_action(editor, item_id, "approve", opinion="同意", origin=COMMAND_LINE)
    with pytest.raises(ConflictError, match="必须填写意见"):
        editorial.take_action(reviewer, item_id, "approve", opinion=" ", origin=COMMAND_LINE)
    editorial.take_action(reviewer, item_id, "return", opinion="请补充照片要求",
                          origin=COMMAND_LINE)
    detail, _files = editorial.item_detail(editor, item_id)
    assert detail.open is not None
    assert detail.open.status == RevisionStatus.DRAFT
    assert detail.open.review_opinion == "请补充照片要求"
    # Whoever last edited a version does not review it, whatever roles they hold.
    opened = editorial.open_editor(staff["site"], item_id)
    editorial.save_item(staff["site"], item_id, guide=marriage_guide(summary="已补充"), note="",
                        expected_version=opened.lock_version, origin=COMMAND_LINE)
    editorial.take_action(staff["site"], item_id, "submit", opinion="", origin=COMMAND_LINE)
    with pytest.raises(ConflictError, match="不能审核自己编写"):
        editorial.take_action(staff["site"], item_id, "approve", opinion="同意",
                              origin=COMMAND_LINE)
    editorial.take_action(reviewer, item_id, "approve", opinion="同意", origin=COMMAND_LINE)
    editorial.take_action(reviewer, item_id, "publish", opinion="", origin=COMMAND_LINE)

    page = items.item_page(item_id)
    assert (page.item.state, page.version, page.guide.name) == (PublicState.PUBLISHED, 1,
                                                                "内地居民结婚登记")
    # The search index is promised the item in the same transaction.
    queued = db_session.scalars(select(SearchOutbox).where(
        SearchOutbox.kind == "service_item", SearchOutbox.document_id == item_id)).all()
    assert queued
    detail, _files = editorial.item_detail(reviewer, item_id)
    assert [event.action for event in detail.events] == [
        "create", "submit", "return", "submit", "approve", "publish"]
    assert page.guide.summary == "已补充"


def test_a_new_version_is_reviewed_while_the_published_one_stays_public(
        app: Flask, db_session: Session, staff: dict[str, User], publish_item: Publisher) -> None:
    editor, reviewer = staff["editor"], staff["reviewer"]
    item_id = publish_item()
    page = editorial.open_editor(editor, item_id)
    assert page.lock_version == 0
    assert page.guide == marriage_guide()
    changed = marriage_guide(materials=(*marriage_guide().materials, Material("双方合影照片", 3)))
    number = editorial.save_item(editor, item_id, guide=changed, note="增加照片",
                                 expected_version=0, origin=COMMAND_LINE)
    assert number == 2
    assert len(items.item_page(item_id).guide.materials) == 2  # still version 1 in public
    with pytest.raises(EditConflictError):  # a second form opened on version 1 of the draft
        editorial.save_item(editor, item_id, guide=changed, note="", expected_version=7,
                            origin=COMMAND_LINE)
    detail, _files = editorial.item_detail(reviewer, item_id)
    assert any(line.kind == "add" and "双方合影照片" in line.text for line in detail.changes)
    editorial.take_action(editor, item_id, "submit", opinion="", origin=COMMAND_LINE)
    with pytest.raises(ConflictError, match="请先撤回修改"):
        editorial.open_editor(editor, item_id)
    editorial.take_action(reviewer, item_id, "approve", opinion="同意", origin=COMMAND_LINE)
    editorial.take_action(editor, item_id, "publish", opinion="", origin=COMMAND_LINE)
    page_now = items.item_page(item_id)
    assert page_now.version == 2
    assert len(page_now.guide.materials) == 3
    comparison = editorial.compare_versions(reviewer, item_id)
    assert (comparison.old.number, comparison.new.number) == (1, 2)  # type: ignore[union-attr]
    assert [revision.status for revision in comparison.versions] == [
        RevisionStatus.SUPERSEDED, RevisionStatus.PUBLISHED]


def test_a_draft_can_be_discarded_and_an_item_withdrawn(
        app: Flask, db_session: Session, staff: dict[str, User], publish_item: Publisher) -> None:
    editor, reviewer = staff["editor"], staff["reviewer"]
    item_id = publish_item()
    editorial.save_item(editor, item_id, guide=marriage_guide(summary="改了"), note="",
                        expected_version=0, origin=COMMAND_LINE)
    editorial.take_action(editor, item_id, "discard", opinion="", origin=COMMAND_LINE)
    detail, _files = editorial.item_detail(editor, item_id)
    assert detail.open is None
    assert detail.editable
    with pytest.raises(ConflictError, match="撤下必须说明理由"):
        editorial.withdraw_item(reviewer, item_id, reason="", origin=COMMAND_LINE)
    with pytest.raises(ConflictError, match="没有撤下的权限"):
        editorial.withdraw_item(editor, item_id, reason="事项取消", origin=COMMAND_LINE)
    editorial.withdraw_item(reviewer, item_id, reason="依国务院决定取消", origin=COMMAND_LINE)
    with pytest.raises(NotFoundError):
        items.item_page(item_id)
    item = db_session.get(ServiceItem, item_id, populate_existing=True)
    assert item is not None
    assert item.withdrawn_reason == "依国务院决定取消"


def test_staff_of_one_agency_do_not_see_another_agencys_items(
        app: Flask, db_session: Session, agencies: dict[str, int], staff: dict[str, User],
        publish_item: Publisher) -> None:
    item_id = publish_item()
    with pytest.raises(NotFoundError):
        editorial.item_detail(staff["other"], item_id)
    with pytest.raises(NotFoundError):
        editorial.open_editor(staff["other"], item_id)
    with pytest.raises(ForbiddenError, match="不能为示例市民政局维护事项"):
        editorial.create_item(staff["other"], agency_id=agencies["mzj"], code="SL-X-1",
                              guide=marriage_guide(), note="", origin=COMMAND_LINE)
    assert [row.record.id for row in editorial.staff_items(staff["site"])] == [item_id]
    assert editorial.staff_items(staff["other"]) == []
    with pytest.raises(ConflictError, match="已被另一个事项使用"):
        editorial.create_item(staff["site"], agency_id=agencies["scjgj"], code="SL-MZ-001",
                              guide=marriage_guide(), note="", origin=COMMAND_LINE)


def test_a_guide_that_breaks_a_rule_is_not_saved(
        app: Flask, db_session: Session, agencies: dict[str, int], staff: dict[str, User]) -> None:
    from opengov.site.exceptions import InvalidInputError

    with pytest.raises(InvalidInputError, match="请至少列出一项申请材料"):
        editorial.create_item(staff["editor"], agency_id=agencies["mzj"], code="SL-MZ-9",
                              guide=marriage_guide(materials=()), note="", origin=COMMAND_LINE)
    assert db_session.scalars(select(ServiceItem)).all() == []
