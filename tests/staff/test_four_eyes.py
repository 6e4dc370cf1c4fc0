"""四眼原则: nobody approves a version containing their own edits, and a 更正 of a published
document is reviewed like any change — or, on the urgent path, published at once, recorded
with its reason and reviewed by another reviewer afterwards."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from opengov.site.accounts.rules.roles import Role
from opengov.site.audit.models import AuditEntry
from opengov.site.catalog.models import Document, DocumentCorrection
from opengov.site.catalog.rules.metadata import PublicationStatus
from opengov.site.db import get_session
from tests.staff.conftest import document_form


def _status(app: Flask, document_id: int) -> PublicationStatus:
    with app.app_context():
        document = get_session().get(Document, document_id)
        assert document is not None
        return document.status


def _act(client: FlaskClient, document_id: int, action: str, **data: str) -> str:
    return client.post(f"/staff/documents/{document_id}/transition", follow_redirects=True,
                       data={"action": action, **data}).get_data(as_text=True)


def _draft(editor: FlaskClient, ids: dict[str, int], **fields: object) -> int:
    response = editor.post("/staff/documents/new",
                           data=document_form(ids["policies"], ids["agency"], **fields))
    assert response.status_code == 302
    return int(response.headers["Location"].split("/")[-2])


def _save(client: FlaskClient, ids: dict[str, int], document_id: int, body: str) -> None:
    page = client.get(f"/staff/documents/{document_id}/edit").get_data(as_text=True)
    version = page.split('name="lock_version" type="hidden" value="')[1].split('"')[0]
    response = client.post(f"/staff/documents/{document_id}/edit", data=document_form(
        ids["policies"], ids["agency"], body=body, lock_version=version))
    assert response.status_code == 302, response.get_data(as_text=True)


def test_a_reviewer_who_edited_a_draft_cannot_approve_it_after_the_author_saves_again(
        app: Flask, make_user: Callable[..., object], catalog_ids: dict[str, int],
        client_for: Callable[[str], FlaskClient]) -> None:
    make_user("writer", Role.EDITOR)
    make_user("checker", Role.EDITOR, Role.REVIEWER)
    make_user("other", Role.REVIEWER)
    writer, checker = client_for("writer"), client_for("checker")
    document_id = _draft(writer, catalog_ids)
    _save(checker, catalog_ids, document_id, "## 一、总体要求\n\n审核人加的一句话。")
    _save(writer, catalog_ids, document_id, "## 一、总体要求\n\n审核人加的一句话。作者再改。")
    _act(writer, document_id, "submit")
    assert "不能审核自己撰写的文件" in _act(checker, document_id, "approve", opinion="同意")
    assert _status(app, document_id) == PublicationStatus.SUBMITTED
    _act(client_for("other"), document_id, "approve", opinion="同意")
    assert _status(app, document_id) == PublicationStatus.APPROVED
    _act(writer, document_id, "publish")
    # Once published, the next round of edits starts afresh: checker may review it then.
    _act(checker, document_id, "withdraw", opinion="撤下重写")
    _act(writer, document_id, "reopen")
    _act(writer, document_id, "submit")
    _act(checker, document_id, "approve", opinion="同意")
    assert _status(app, document_id) == PublicationStatus.APPROVED


def _published(app: Flask, ids: dict[str, int], client_for: Callable[[str], FlaskClient]
               ) -> int:
    writer, approver = client_for("writer"), client_for("approver")
    document_id = _draft(writer, ids)
    _act(writer, document_id, "submit")
    _act(approver, document_id, "approve", opinion="同意")
    _act(writer, document_id, "publish")
    assert _status(app, document_id) == PublicationStatus.PUBLISHED
    return document_id


def test_a_correction_goes_public_only_after_another_reviewer_approves(
        app: Flask, make_user: Callable[..., object], catalog_ids: dict[str, int],
        client_for: Callable[[str], FlaskClient]) -> None:
    for name, roles in [("writer", [Role.EDITOR]), ("approver", [Role.REVIEWER]),
                        ("lone", [Role.REVIEWER]), ("second", [Role.REVIEWER])]:
        make_user(name, *roles)
    document_id = _published(app, catalog_ids, client_for)
    lone = client_for("lone")
    form = document_form(catalog_ids["policies"], catalog_ids["agency"],
                         body="## 一、总体要求\n\n整篇替换的内容。", correction_note="全文替换")
    assert lone.post(f"/staff/documents/{document_id}/correct", data=form).status_code == 302
    public = app.test_client()
    assert "整篇替换的内容" not in public.get(f"/documents/{document_id}").get_data(as_text=True)
    with app.app_context():
        correction = get_session().scalars(select(DocumentCorrection)).one()
        assert correction.status == "pending"
    # A second proposal waits for the first.
    again = lone.post(f"/staff/documents/{document_id}/correct", data=form)
    assert "已有一项待审核的更正" in again.get_data(as_text=True)
    # Listed for review; the proposer cannot approve; another reviewer can.
    queue = client_for("second").get("/staff/review").get_data(as_text=True)
    assert "待审核的更正" in queue
    assert "全文替换" in queue
    own = lone.post(f"/staff/corrections/{correction.id}/review", follow_redirects=True,
                    data={"opinion": "同意", "decision": "approve", "document_id": document_id})
    assert "不能审核自己提出或参与修改的更正" in own.get_data(as_text=True)
    rejected = client_for("second").post(f"/staff/corrections/{correction.id}/review", data={
        "opinion": "依据不足", "decision": "reject", "document_id": document_id})
    assert rejected.status_code == 302
    assert "整篇替换的内容" not in public.get(f"/documents/{document_id}").get_data(as_text=True)
    # Proposed again and approved: now it is public, as a new version.
    assert lone.post(f"/staff/documents/{document_id}/correct", data=form).status_code == 302
    with app.app_context():
        pending = get_session().scalars(select(DocumentCorrection).where(
            DocumentCorrection.status == "pending")).one()
    client_for("second").post(f"/staff/corrections/{pending.id}/review", data={
        "opinion": "同意", "decision": "approve", "document_id": document_id})
    page = public.get(f"/documents/{document_id}").get_data(as_text=True)
    assert "整篇替换的内容" in page
    assert "更正说明：全文替换" in page


def test_an_urgent_correction_is_public_at_once_recorded_and_reviewed_afterwards(
        app: Flask, make_user: Callable[..., object], catalog_ids: dict[str, int],
        client_for: Callable[[str], FlaskClient]) -> None:
    for name, roles in [("writer", [Role.EDITOR]), ("approver", [Role.REVIEWER]),
                        ("duty", [Role.REVIEWER]), ("second", [Role.REVIEWER])]:
        make_user(name, *roles)
    document_id = _published(app, catalog_ids, client_for)
    form = document_form(catalog_ids["policies"], catalog_ids["agency"],
                         body="## 一、总体要求\n\n改正错误的电话号码。", correction_note="改正电话号码",
                         urgent="y", urgent_reason="")
    duty = client_for("duty")
    missing = duty.post(f"/staff/documents/{document_id}/correct", data=form)
    assert "紧急更正必须说明理由" in missing.get_data(as_text=True)
    form["urgent_reason"] = "公布的咨询电话有误，群众无法拨通"
    assert duty.post(f"/staff/documents/{document_id}/correct", data=form).status_code == 302
    page = app.test_client().get(f"/documents/{document_id}").get_data(as_text=True)
    assert "改正错误的电话号码" in page
    with app.app_context():
        correction = get_session().scalars(select(DocumentCorrection)).one()
        assert (correction.status, correction.urgent_reason) == (
            "urgent", "公布的咨询电话有误，群众无法拨通")
        audited = get_session().scalars(select(AuditEntry.detail).where(
            AuditEntry.object_type == "document")).all()
    assert any(detail.startswith("紧急更正") for detail in audited)
    queue = client_for("second").get("/staff/review").get_data(as_text=True)
    assert "紧急更正，待事后审核" in queue
    own = duty.post(f"/staff/corrections/{correction.id}/review", follow_redirects=True,
                    data={"opinion": "无误", "decision": "confirm", "document_id": document_id})
    assert "不能审核自己提出" in own.get_data(as_text=True)
    client_for("second").post(f"/staff/corrections/{correction.id}/review", data={
        "opinion": "核实无误", "decision": "confirm", "document_id": document_id})
    with app.app_context():
        confirmed = get_session().get(DocumentCorrection, correction.id)
        assert confirmed is not None
        assert confirmed.status == "confirmed"
    assert "紧急更正" not in client_for("second").get("/staff/review").get_data(as_text=True)


def test_editors_propose_corrections_but_only_reviewers_take_the_urgent_path(
        app: Flask, make_user: Callable[..., object], catalog_ids: dict[str, int],
        client_for: Callable[[str], FlaskClient]) -> None:
    make_user("writer", Role.EDITOR)
    make_user("approver", Role.REVIEWER)
    document_id = _published(app, catalog_ids, client_for)
    form = document_form(catalog_ids["policies"], catalog_ids["agency"],
                         body="## 一、总体要求\n\n编辑提出的更正。", correction_note="错字",
                         urgent="y", urgent_reason="很急")
    refused = client_for("writer").post(f"/staff/documents/{document_id}/correct", data=form)
    assert "只有审核人员可以紧急更正" in refused.get_data(as_text=True)
    del form["urgent"]
    assert client_for("writer").post(f"/staff/documents/{document_id}/correct",
                                     data=form).status_code == 302
    with app.app_context():
        assert get_session().scalars(select(DocumentCorrection.status)).one() == "pending"
