"""The workflow end to end through the staff pages and the editorial service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from opengov.site import clock
from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.audit.models import AuditEntry
from opengov.site.catalog.models import (
    Document,
    DocumentVersion,
    DocumentWorkflow,
    SearchOutbox,
    WorkflowEvent,
)
from opengov.site.catalog.rules.metadata import PublicationStatus, Validity
from opengov.site.catalog.service import editorial
from opengov.site.db import get_session, unit_of_work
from tests.staff.conftest import document_form


def _doc(app: Flask, document_id: int) -> Document:
    with app.app_context():
        document = get_session().get(Document, document_id)
        assert document is not None
        _ = document.agency, document.attachments
        return document


def _write_and_submit(app: Flask, editor: FlaskClient, ids: dict[str, int], **fields: object
                      ) -> int:
    response = editor.post("/staff/documents/new",
                           data=document_form(ids["policies"], ids["agency"], **fields))
    assert response.status_code == 302, response.get_data(as_text=True)
    document_id = int(response.headers["Location"].split("/")[-2])
    response = editor.post(f"/staff/documents/{document_id}/transition",
                           data={"action": "submit"})
    assert response.status_code == 302
    assert _doc(app, document_id).status == PublicationStatus.SUBMITTED
    return document_id


def _user(app: Flask, username: str) -> User:
    with app.app_context():
        return get_session().scalars(select(User).where(User.username == username)).one()


def _act(client: FlaskClient, document_id: int, action: str, **data: str) -> str:
    response = client.post(f"/staff/documents/{document_id}/transition",
                           data={"action": action, **data}, follow_redirects=True)
    return response.get_data(as_text=True)


def _outbox(app: Flask, document_id: int) -> list[SearchOutbox]:
    with app.app_context():
        return list(get_session().scalars(select(SearchOutbox).where(
            SearchOutbox.document_id == document_id).order_by(SearchOutbox.id)))


def test_write_review_publish_correct_repeal_withdraw(
        app: Flask, make_user: Callable[..., object], catalog_ids: dict[str, int],
        client_for: Callable[[str], FlaskClient]) -> None:
    make_user("writer", Role.EDITOR, Role.REVIEWER)  # holds both roles…
    make_user("checker", Role.REVIEWER)
    editor, reviewer = client_for("writer"), client_for("checker")
    document_id = _write_and_submit(app, editor, catalog_ids)

    # …but never reviews their own document.
    page = _act(editor, document_id, "approve", opinion="同意")
    assert "不能审核自己撰写的文件" in page
    assert _doc(app, document_id).status == PublicationStatus.SUBMITTED
    # An editor-only action by a reviewer-only person is refused too.
    assert "没有撤回修改的权限" in _act(reviewer, document_id, "recall")
    # Approval needs an opinion (保密审查意见).
    assert "必须填写意见" in _act(reviewer, document_id, "approve", opinion="")

    _act(reviewer, document_id, "approve", opinion="经保密审查，同意公开。")
    with app.app_context():
        state = get_session().get(DocumentWorkflow, document_id)
        assert state is not None
        assert state.review_opinion == "经保密审查，同意公开。"
        assert state.reviewed_at is not None
        assert state.reviewer is not None
        assert state.reviewer.username == "checker"
        reviewed_at = state.reviewed_at
    assert len(_outbox(app, document_id)) == 1  # created
    # Staff read stored timestamps (naive UTC) in 北京时间.
    page = reviewer.get(f"/staff/documents/{document_id}").get_data(as_text=True)
    assert f"checker，{clock.to_beijing(reviewed_at):%Y-%m-%d %H:%M}：经保密审查" in page
    assert "UTC" not in page

    # Illegal: correcting what is not published.
    assert "状态的文件不能" in _act(reviewer, document_id, "withdraw", opinion="x")

    _act(editor, document_id, "publish")
    published = _doc(app, document_id)
    assert published.status == PublicationStatus.PUBLISHED
    assert published.published_on == clock.today()
    assert published.is_public
    index_no = published.index_no
    assert index_no is not None
    assert index_no.startswith("007000001/")
    outbox = _outbox(app, document_id)
    assert len(outbox) == 2
    assert outbox[-1].next_attempt_at <= clock.utcnow()

    # Published documents are not edited in the editor…
    response = editor.get(f"/staff/documents/{document_id}/edit")
    assert response.status_code == 302
    # …but corrected, as a new version with a note, once another reviewer approves (四眼).
    form = document_form(catalog_ids["policies"], catalog_ids["agency"],
                         body="## 一、总体要求\n\n做好政务公开和政务服务。",
                         correction_note="补充“政务服务”。")
    response = reviewer.post(f"/staff/documents/{document_id}/correct", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        assert len(editorial.versions(get_session(), document_id)) == 1  # not public yet
        [pending] = editorial.document_corrections(_user(app, "checker"), document_id)
    make_user("checker2", Role.REVIEWER)
    own = reviewer.post(f"/staff/corrections/{pending.id}/review", follow_redirects=True,
                        data={"opinion": "同意", "decision": "approve"})
    assert "不能审核自己提出或参与修改的更正" in own.get_data(as_text=True)
    approved = client_for("checker2").post(f"/staff/corrections/{pending.id}/review",
                                           data={"opinion": "同意", "decision": "approve"})
    assert approved.status_code == 302
    with app.app_context():
        versions = editorial.versions(get_session(), document_id)
        assert [v.number for v in versions] == [1, 2]
        assert versions[1].note == "补充“政务服务”。"
        lines = editorial.diff(versions[0], versions[1])
    assert any(line.kind == "add" and "政务服务" in line.text for line in lines)
    assert any(line.kind == "del" and line.text == "-做好政务公开。" for line in lines)
    page = reviewer.get(f"/staff/documents/{document_id}/versions").get_data(as_text=True)
    assert "+做好政务公开和政务服务。" in page
    public_page = app.test_client().get(f"/documents/{document_id}").get_data(as_text=True)
    assert "修订记录" in public_page
    assert "更正说明：补充“政务服务”。" in public_page

    _act(reviewer, document_id, "repeal", opinion="已被新文件代替。")
    repealed = _doc(app, document_id)
    assert repealed.validity == Validity.REPEALED
    assert repealed.repealed_on == clock.today()
    assert "不能再标记失效" in _act(reviewer, document_id, "expire", opinion="x")

    _act(reviewer, document_id, "withdraw", opinion="内容有误，撤下。")
    withdrawn = _doc(app, document_id)
    assert withdrawn.status == PublicationStatus.WITHDRAWN
    assert not withdrawn.is_public
    assert withdrawn.index_no == index_no  # never changes
    assert len(_outbox(app, document_id)) == 5  # create, publish, correct, repeal, withdraw

    _act(editor, document_id, "reopen")
    _act(editor, document_id, "submit")
    # The reviewer proposed the correction, so now counts as a writer of it: another must
    # review.
    assert "不能审核自己撰写的文件" in _act(reviewer, document_id, "approve", opinion="同意")
    _act(client_for("checker2"), document_id, "approve", opinion="同意")
    _act(editor, document_id, "publish")
    assert _doc(app, document_id).index_no == index_no

    with app.app_context():
        session = get_session()
        actions = session.scalars(select(WorkflowEvent.action).where(
            WorkflowEvent.document_id == document_id).order_by(WorkflowEvent.id)).all()
        audited = session.scalars(select(AuditEntry.action).where(
            AuditEntry.object_type == "document")).all()
        version_count = len(session.scalars(select(DocumentVersion)).all())
    assert actions == ["submit", "approve", "publish", "correct", "repeal", "withdraw",
                       "reopen", "submit", "approve", "publish"]
    assert audited.count("transition") == 10
    assert audited.count("create") == 1
    assert version_count == 4  # publish, correct, repeal, publish again


def test_scheduled_publication_waits(app: Flask, make_user: Callable[..., object],
                                     catalog_ids: dict[str, int],
                                     client_for: Callable[[str], FlaskClient]) -> None:
    make_user("writer", Role.EDITOR)
    make_user("checker", Role.REVIEWER)
    editor, reviewer = client_for("writer"), client_for("checker")
    document_id = _write_and_submit(app, editor, catalog_ids)
    _act(reviewer, document_id, "approve", opinion="同意")
    assert "不能早于今天" in _act(editor, document_id, "publish", publish_on="2020-01-01")
    later = clock.today() + dt.timedelta(days=10)
    page = _act(editor, document_id, "publish", publish_on=later.isoformat())
    assert "已定时发布" in page
    document = _doc(app, document_id)
    assert document.status == PublicationStatus.PUBLISHED
    assert not document.is_public
    assert _outbox(app, document_id)[-1].next_attempt_at == editorial.publication_instant(later)


def test_returned_document_goes_back_to_draft_with_the_opinion(
        app: Flask, make_user: Callable[..., object], catalog_ids: dict[str, int],
        client_for: Callable[[str], FlaskClient]) -> None:
    make_user("writer", Role.EDITOR)
    make_user("checker", Role.REVIEWER)
    editor, reviewer = client_for("writer"), client_for("checker")
    document_id = _write_and_submit(app, editor, catalog_ids)
    # Submitted documents are not edited in place.
    assert editor.get(f"/staff/documents/{document_id}/edit").status_code == 302
    _act(reviewer, document_id, "return", opinion="第二段涉及个人信息，请删除。")
    assert _doc(app, document_id).status == PublicationStatus.DRAFT
    page = editor.get(f"/staff/documents/{document_id}").get_data(as_text=True)
    assert "第二段涉及个人信息，请删除。" in page


def test_handler_and_other_agencies_see_nothing(
        app: Flask, make_user: Callable[..., object], catalog_ids: dict[str, int],
        client_for: Callable[[str], FlaskClient]) -> None:
    make_user("writer", Role.EDITOR)
    make_user("outsider", Role.EDITOR, Role.REVIEWER, agency_id=catalog_ids["other_agency"])
    document_id = _write_and_submit(app, client_for("writer"), catalog_ids)
    outsider = client_for("outsider")
    assert outsider.get(f"/staff/documents/{document_id}").status_code == 404
    assert "不能" not in _act(outsider, document_id, "approve", opinion="同意")
    assert _doc(app, document_id).status == PublicationStatus.SUBMITTED


def test_correcting_an_imported_document_keeps_what_was_public(
        app: Flask, make_user: Callable[..., object], catalog_ids: dict[str, int],
        client_for: Callable[[str], FlaskClient]) -> None:
    from tests.factories import make_document

    with app.app_context(), unit_of_work() as session:
        imported = make_document(session, title="导入的政策")
        document_id = imported.id
    make_user("checker", Role.REVIEWER)
    reviewer = client_for("checker")
    page = _act(reviewer, document_id, "expire", opinion="有效期届满。")
    assert "已标记失效" in page
    with app.app_context():
        history = editorial.versions(get_session(), document_id)
        assert [(v.number, v.note) for v in history] == [(1, "导入时的版本"), (2, "有效期届满。")]
        lines = editorial.diff(history[0], history[1])
    assert [line.text for line in lines if line.kind != "hunk" and line.kind != "same"] == [
        "-废止/失效日期：", f"+废止/失效日期：{clock.today().isoformat()}",
        "-有效性：有效", "+有效性：失效"]
