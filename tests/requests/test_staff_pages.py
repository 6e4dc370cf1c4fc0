"""Staff handling: queue, paper entry, every step through the detail page, letters as PDF."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from typing import Any

import pypdf
import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.db import unit_of_work
from opengov.site.requests.models import InfoRequest, RequestLetter
from opengov.site.requests.service import handling as request_service
from opengov.site.requests.service import letters
from opengov.site.requests.service.letters import chinese_date
from tests.factories import make_agency
from tests.requests.conftest import VALID_ID

Filer = Callable[..., tuple[InfoRequest, str]]


@pytest.fixture
def handler(db_session: Session, make_user: Callable[..., User],
            login: Callable[[str], None]) -> User:
    with unit_of_work() as session:
        make_agency(session, "gov")
    user = make_user("handler1", Role.HANDLER)
    login("handler1")
    return user


@pytest.fixture
def colleague(make_user: Callable[..., User], login: Callable[[str], None]) -> Callable[..., Any]:
    """Sign off as a second handler, then carry on as the first: two people sign."""
    make_user("signer1", Role.HANDLER)

    def sign_off(client: FlaskClient, number: str, on: dt.date) -> Any:
        login("signer1")
        response = act(client, number, "signed_off", on)
        login("handler1")
        return response

    return sign_off


def act(client: FlaskClient, number: str, kind: str, on: dt.date, **fields: Any) -> Any:
    data = {"kind": kind, "on": on.isoformat(), **fields}
    return client.post(f"/staff/requests/{number}/act", data=data)


def test_queue_colours_masking_and_reminders(client: FlaskClient, handler: User,
                                             file_request: Filer, db_session: Session) -> None:
    today = clock.today()
    overdue, _ = file_request(received_on=today - dt.timedelta(days=60))
    fresh, _ = file_request(received_on=today, description="新申请")
    page = client.get("/staff/requests").get_data(as_text=True)
    assert overdue.number in page
    assert fresh.number in page
    assert 'data-colour="red"' in page
    assert 'data-colour="green"' in page
    assert VALID_ID not in page
    assert "****002X" in page
    assert "<td>张三" in page  # the name, decrypted for the handler
    assert "13800000000" not in page
    assert "已逾期" in page  # the on-screen reminder list


def test_editor_cannot_open_the_queue(client: FlaskClient, make_user: Callable[..., User],
                                      login: Callable[[str], None]) -> None:
    make_user("editor1", Role.EDITOR)
    login("editor1")
    assert client.get("/staff/requests").status_code == 403
    assert client.get("/staff/calendar").status_code == 403


def test_paper_request_entry_with_receipt_dates(client: FlaskClient, handler: User,
                                                db_session: Session) -> None:
    agency = make_agency(db_session, "gov")
    data = {"agency": str(agency.id), "applicant_kind": "自然人", "name": "李四",
            "id_type": "居民身份证", "id_number": VALID_ID, "phone": "010-12345678",
            "email": "", "address": "示例市人民路2号", "postcode": "", "doc_title": "某文件",
            "doc_number": "", "description": "", "carrier": "纸质", "delivery": "邮寄",
            "channel": "平常信函", "received_on": "2025-09-25", "confirmed_on": "2025-09-26"}
    bad = client.post("/staff/requests/new", data={**data, "confirmed_on": "2025-09-24"})
    assert bad.status_code == 422
    assert "确认日期不能早于收到日期" in bad.get_data(as_text=True)
    response = client.post("/staff/requests/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, re.findall(r'field-error[^<]*', page)
    number = re.search(r'id="request-number">([^<]+)<', page)
    assert number is not None
    assert "查询码" in page
    filed = db_session.scalars(select(InfoRequest).where(
        InfoRequest.number == number.group(1))).one()
    assert filed.receipt_date == dt.date(2025, 9, 26)  # 确认之日 (Art. 31)
    assert filed.due_on == dt.date(2025, 10, 30)
    assert filed.entered_by_id == handler.id


def test_full_handling_and_reply_letter_pdf(client: FlaskClient, handler: User,
                                            file_request: Filer, db_session: Session,
                                            colleague: Callable[..., Any]) -> None:
    filed, _ = file_request()
    number = filed.number
    detail = client.get(f"/staff/requests/{number}").get_data(as_text=True)
    assert VALID_ID in detail  # the handler sees the full ID number
    assert "第20个工作日" in detail
    assert "2025-10-30" in detail
    assert act(client, number, "assigned", dt.date(2025, 9, 26),
               handler_id=str(handler.id)).status_code == 302
    bad = act(client, number, "extended", dt.date(2025, 10, 31), days="20", approver="王主任",
              notified_on="2025-10-31")
    assert bad.status_code == 409
    assert "届满前" in bad.get_data(as_text=True)
    assert act(client, number, "decided", dt.date(2025, 10, 20), outcome="3.4",
               detail="涉及第三方商业秘密").status_code == 302
    own = act(client, number, "signed_off", dt.date(2025, 10, 21))
    assert own.status_code == 409  # the one who decided does not sign off too
    assert "不能签发" in own.get_data(as_text=True)
    assert colleague(client, number, dt.date(2025, 10, 21)).status_code == 302
    assert act(client, number, "replied", dt.date(2025, 10, 22),
               delivery="电子邮件").status_code == 302
    db_session.expire_all()
    filed = db_session.scalars(select(InfoRequest).where(InfoRequest.number == number)).one()
    assert filed.stage == "已答复"
    assert filed.outcome == "3.4"
    assert filed.handler_id == handler.id
    [letter] = filed.letters
    assert letter.kind == "reply"
    assert letter.number == "示例市人民政府依申请公开告知〔2025〕第1号"
    assert "张三" not in letter.body  # the addressee is stored apart, encrypted
    paragraphs = letters.paragraphs(letter)
    assert paragraphs[0] == "张三："
    assert paragraphs[1].startswith("本机关于2025年9月26日收到您提出的政府信息公开申请")
    assert paragraphs[2].startswith("经审查，您申请获取的政府信息涉及商业秘密")
    assert "第十五条、第三十六条第（三）项的规定，本机关决定不予公开。" in paragraphs[2]
    assert paragraphs[-1].startswith("如对本答复不服")
    html = client.get(f"/staff/requests/letters/{letter.id}").get_data(as_text=True)
    assert "第十五条" in html
    assert '<p class="letter-addressee">张三：</p>' in html
    assert "60日内" in html
    assert "6个月内" in html
    pdf = client.get(f"/staff/requests/letters/{letter.id}.pdf")
    assert pdf.status_code == 200
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.data)).pages)
    # fpdf2 embeds its encoding as a CMap stream that pypdf reads one byte at a time, so
    # every character comes back behind a NUL; drop NULs and whitespace before searching.
    text = "".join(text.replace("\x00", "").split())
    assert "政府信息公开申请答复书" in text
    assert "张三：" in text
    assert "涉及第三方商业秘密" in text
    assert "示例省人民政府申请行政复议" in text  # the government's own 复议机关
    assert act(client, number, "archived", dt.date(2025, 10, 23)).status_code == 302


def test_correction_and_extension_letters(client: FlaskClient, handler: User,
                                          file_request: Filer, db_session: Session) -> None:
    filed, _ = file_request()
    number = filed.number
    assert act(client, number, "correction_requested", dt.date(2025, 10, 9),
               deadline="2025-10-20", detail="请写明文件年份").status_code == 302
    second = act(client, number, "correction_requested", dt.date(2025, 10, 10),
                 deadline="2025-10-21")
    assert second.status_code == 409
    assert "一次性" in second.get_data(as_text=True)
    assert act(client, number, "corrected", dt.date(2025, 10, 14)).status_code == 302
    assert act(client, number, "extended", dt.date(2025, 11, 3), days="20",
               approver="王主任", notified_on="2025-11-03").status_code == 302
    db_session.expire_all()
    letters = db_session.scalars(select(RequestLetter).order_by(RequestLetter.id)).all()
    assert [letter.kind for letter in letters] == ["correction", "extension"]
    assert "2025年10月20日前作出补正" in letters[0].body
    filed = db_session.get(InfoRequest, filed.id)
    assert filed is not None
    assert filed.due_on == request_service.state_of(db_session, filed).due.date  # type: ignore[union-attr]
    assert filed.due_on is not None
    assert chinese_date(filed.due_on) in letters[1].body


def test_transfer_to_another_agency_on_the_site(client: FlaskClient, handler: User,
                                                file_request: Filer, db_session: Session,
                                                colleague: Callable[..., Any]) -> None:
    filed, code = file_request()
    with unit_of_work() as session:
        target = make_agency(session, "czj")
    page = client.get(f"/staff/requests/{filed.number}").get_data(as_text=True)
    assert "转送本平台其他机关" in page
    response = client.post(f"/staff/requests/{filed.number}/transfer", data={
        "transfer-target": str(target.id), "transfer-on": "2025-10-09"})
    assert response.status_code == 302
    db_session.expire_all()
    original = db_session.get(InfoRequest, filed.id)
    assert original is not None
    assert (original.stage, original.outcome) == ("待签发", "4.1")
    forwarded = db_session.scalars(select(InfoRequest).where(
        InfoRequest.transferred_from_id == filed.id)).one()
    assert forwarded.agency_id == target.id
    assert forwarded.receipt_date == dt.date(2025, 10, 9)
    assert forwarded.due_on == request_service.state_of(db_session, forwarded).due.date  # type: ignore[union-attr]
    assert request_service.personal_data(forwarded).id_number == VALID_ID
    assert request_service.find_for_applicant(db_session, forwarded.number, code) is forwarded
    decision = original.events[-1].data
    assert "示例市财政局" in decision["other_body"]
    assert forwarded.number in decision["detail"]
    assert colleague(client, filed.number, dt.date(2025, 10, 10)).status_code == 302
    db_session.expire_all()
    letter = db_session.scalars(select(RequestLetter)).one()
    assert "第三十六条第（五）项" in letter.body
    assert "第三十六条第（四）项" not in letter.body
    assert "负责公开该政府信息的机关及其联系方式：示例市财政局" in letter.body
    assert forwarded.number in letter.body


def test_fee_notice_letter_and_payment(client: FlaskClient, handler: User,
                                       file_request: Filer, db_session: Session) -> None:
    filed, _ = file_request()
    assert act(client, filed.number, "fee_notice", dt.date(2025, 10, 9),
               fee_yuan="200", amount="按件计收，第35件，200元",
               received_on="2025-10-10").status_code == 302
    assert act(client, filed.number, "fee_paid", dt.date(2025, 10, 14)).status_code == 302
    db_session.expire_all()
    letter = db_session.scalars(select(RequestLetter)).one()
    assert letter.kind == "fee"
    assert "200元" in letter.body
    refreshed = db_session.get(InfoRequest, filed.id)
    assert refreshed is not None
    assert refreshed.due_on == dt.date(2025, 11, 5)  # 4 working days of the window paused
