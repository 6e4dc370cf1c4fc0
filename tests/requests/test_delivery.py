"""The information reaches the applicant: the handler attaches a released file with true
redaction, the reply goes out, the applicant downloads it with the query code (logged) or gets
it by e-mail; information asked for by several applicants becomes a catalog draft (Art. 44)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pypdf
import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.audit.service import COMMAND_LINE
from opengov.site.catalog.models import Document
from opengov.site.db import unit_of_work
from opengov.site.requests.models import InfoRequest, ReleaseDownload
from opengov.site.requests.rules.clock import EventKind
from opengov.site.requests.service import proactive
from opengov.site.requests.service import staff as casework
from tests.factories import make_agency
from tests.requests.conftest import Inbox
from tests.requests.released_pdf import KEPT, SECRET_ID, SECRET_NAME, released_pdf
from tests.support.smtp import deliver

Filer = Callable[..., tuple[InfoRequest, str]]
D = dt.date


@pytest.fixture
def app_config(app_config: dict[str, Any], smtp: tuple[Inbox, int]) -> dict[str, Any]:
    app_config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp[1], REQUEST_ART44_APPLICANTS=2)
    return app_config


def _text(data: bytes) -> str:
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    return "".join(text.replace("\x00", "").split())


def test_released_file_redacted_signed_by_two_and_downloaded(
        client: FlaskClient, db_session: Session, file_request: Filer,
        make_user: Callable[..., User], login: Callable[[str], None],
        smtp: tuple[Inbox, int]) -> None:
    filed, code = file_request()  # the applicant chose 电子邮件
    make_user("handler1", Role.HANDLER)
    make_user("signer1", Role.HANDLER)
    login("handler1")
    number = filed.number
    act = f"/staff/requests/{number}/act"
    assert client.post(act, data={"kind": "decided", "on": "2025-10-20", "outcome": "2",
                                  "detail": "第三方个人信息不予公开"}).status_code == 302
    login("signer1")
    early = client.post(act, data={"kind": "signed_off", "on": "2025-10-21"})
    assert early.status_code == 409  # e-mail chosen: the files come first
    assert "请先在“提供的政府信息”中附上" in early.get_data(as_text=True)
    login("handler1")
    upload = client.post(f"/staff/requests/{number}/released", data={
        "release-file": (io.BytesIO(released_pdf()), "拨付情况.pdf"),
        "release-terms": SECRET_NAME, "release-id_numbers": "y", "release-areas": "9,1,1,1,1"},
        content_type="multipart/form-data")
    assert upload.status_code == 422  # page 9 of a one-page file
    assert "超出了文件的页数" in upload.get_data(as_text=True)
    upload = client.post(f"/staff/requests/{number}/released", data={
        "release-file": (io.BytesIO(released_pdf()), "拨付情况.pdf"),
        "release-terms": f"{SECRET_NAME}\n不存在的词", "release-id_numbers": "y"},
        content_type="multipart/form-data")
    assert upload.status_code == 302
    page = client.get(f"/staff/requests/{number}").get_data(as_text=True)
    assert "拨付情况.pdf" in page
    assert "删除文字" in page
    login("signer1")
    assert client.post(act, data={"kind": "signed_off", "on": "2025-10-21"}).status_code == 302
    login("handler1")
    assert client.post(act, data={"kind": "replied", "on": "2025-10-22"}).status_code == 302
    # By e-mail, as chosen: the reply letter and the redacted file, logged as sent.
    assert deliver() >= 1
    message = smtp[0].messages[-1]
    names = [part.get_filename() for part in message.iter_attachments()]
    assert "拨付情况.pdf" in names
    mailed = next(part for part in message.iter_attachments()
                  if part.get_filename() == "拨付情况.pdf")
    assert SECRET_NAME not in _text(mailed.get_content())
    # The applicant downloads it from the status page with the number and code.
    applicant = client.application.test_client()
    status = applicant.post("/requests/status", data={"number": number, "code": code})
    html = status.get_data(as_text=True)
    assert "提供的政府信息" in html
    assert "拨付情况.pdf" in html
    with unit_of_work() as session:
        released = session.scalars(select(InfoRequest).where(
            InfoRequest.number == number)).one().released_files[0]
        file_id = released.id
        letter = released.request.letters[-1]
        assert "附件：拨付情况.pdf" in letter.enclosures or letter.enclosures == "拨付情况.pdf"
    assert applicant.get(f"/requests/released/{file_id}").status_code == 405  # no GET writes
    download = applicant.post(f"/requests/released/{file_id}")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment")
    text = _text(download.data)
    assert SECRET_NAME not in text
    assert SECRET_ID not in text
    assert KEPT in text
    # A browser without the grant gets nothing.
    assert client.application.test_client().post(f"/requests/released/{file_id}").status_code \
        == 404
    with unit_of_work() as session:
        channels = [row.channel for row in session.scalars(select(ReleaseDownload))]
    assert sorted(channels) == ["applicant", "email"]


def test_files_cannot_change_after_sign_off(db_session: Session, file_request: Filer,
                                            make_user: Callable[..., User]) -> None:
    from opengov.site.exceptions import ConflictError
    from opengov.site.requests.service import delivery

    filed, _ = file_request(delivery="邮寄", carrier="纸质")
    handler = make_user("handler1", Role.HANDLER)
    signer = make_user("signer1", Role.HANDLER)
    casework.record_step(handler, filed.number, EventKind.DECIDED, D(2025, 10, 20),
                         {"outcome": "1", "reply": "1"})
    casework.record_step(signer, filed.number, EventKind.SIGNED_OFF, D(2025, 10, 21))
    with pytest.raises(ConflictError, match="签发后"):
        delivery.attach_release(handler, filed.number, released_pdf(), "a.pdf",
                                delivery.RedactionRequest(), origin=COMMAND_LINE)


def test_a_single_person_office_may_sign_its_own_decisions(
        client: FlaskClient, db_session: Session, file_request: Filer,
        make_user: Callable[..., User], login: Callable[[str], None]) -> None:
    filed, _ = file_request(delivery="邮寄", carrier="纸质")
    with unit_of_work() as session:
        agency_id = make_agency(session, "gov").id
    make_user("admin1", Role.ADMIN)
    handler = make_user("handler1", Role.HANDLER)
    login("admin1")
    page = client.get("/staff/requests/signing").get_data(as_text=True)
    assert "不允许（两人签发）" in page
    assert client.post("/staff/requests/signing", data={
        "agency_id": str(agency_id), "allowed": "y"}).status_code == 302
    log = client.get("/staff/audit").get_data(as_text=True)
    assert "允许作出处理决定的人签发答复书" in log
    casework.record_step(handler, filed.number, EventKind.DECIDED, D(2025, 10, 20),
                         {"outcome": "4.1", "reply": "4.1"})
    signed = casework.record_step(handler, filed.number, EventKind.SIGNED_OFF, D(2025, 10, 21))
    assert signed.letter is not None


def test_information_asked_for_by_several_becomes_a_catalog_draft(
        client: FlaskClient, db_session: Session, file_request: Filer,
        make_user: Callable[..., User], login: Callable[[str], None]) -> None:
    first, _ = file_request(doc_title="2025年老旧小区改造计划")
    second, _ = file_request(doc_title="2025年老旧小区改造计划", id_number="110101199003071233",
                             description="另一位申请人")
    make_user("handler1", Role.HANDLER)
    make_user("editor1", Role.EDITOR)
    login("handler1")
    for filed, subject in ((first, "2025年老旧小区改造计划"), (second, "《2025年 老旧小区改造计划》")):
        assert client.post(f"/staff/requests/{filed.number}/proactive",
                           data={"proactive-subject": subject}).status_code == 302
    login("editor1")
    page = client.get("/staff/requests/proactive").get_data(as_text=True)
    assert "待起草" in page
    assert first.number in page
    assert second.number in page
    [view] = proactive.candidates(make_user("reader", Role.EDITOR))
    assert view.applicants == 2
    assert view.raised
    drafted = client.post(f"/staff/requests/proactive/{view.candidate.id}/draft")
    assert drafted.status_code == 302
    with unit_of_work() as session:
        document = session.scalars(select(Document)).one()
        assert document.title == "2025年老旧小区改造计划"
        assert document.status == "draft"
        assert "第四十四条" in document.body
        assert proactive.drafted_in_year(session, document.agency_id, dt.date.today().year) == 1
    page = client.get("/staff/requests/proactive").get_data(as_text=True)
    assert f"文件 #{document.id}" in page  # the link from the requests to the draft
