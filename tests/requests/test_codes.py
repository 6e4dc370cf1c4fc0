"""Query codes people can keep: grouped, forgiving when typed back, and sent again to the
contact on file; request numbers with or without hyphens."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from opengov.site.db import unit_of_work
from opengov.site.requests.models import InfoRequest
from opengov.site.requests.rules import codes
from opengov.site.requests.service import handling
from opengov.site.requests.service import public as applicants
from tests.factories import make_agency
from tests.requests.conftest import Inbox
from tests.requests.test_public_pages import form_data
from tests.support.smtp import deliver

Filer = Callable[..., tuple[InfoRequest, str]]


def test_a_code_has_128_bits_and_forgives_what_people_mistype() -> None:
    code = codes.new_code()
    assert re.fullmatch(r"([0-9A-HJKMNP-TV-Z]{4}-){6}[0-9A-HJKMNP-TV-Z]{4}", code)
    assert codes.CODE_LENGTH * 5 >= 128
    assert codes.canonical_code("ab0c-1dEF") == codes.canonical_code("ABOC 1DEF")
    assert codes.canonical_code("AB1C") == codes.canonical_code("abIc") == codes.canonical_code(
        "ABLC")
    assert codes.new_code() != codes.new_code()


def test_numbers_with_or_without_hyphens() -> None:
    assert codes.canonical_number("YSQ-2026-000123") == "YSQ-2026-000123"
    assert codes.canonical_number("ysq2026000123") == "YSQ-2026-000123"
    assert codes.canonical_number(" YSQ 2026 123 ") == "YSQ-2026-000123"
    assert codes.canonical_number("nonsense") == "NONSENSE"


def test_lookup_forgives_case_separators_and_confusable_letters(db_session: Session,
                                                                file_request: Filer) -> None:
    filed, code = file_request()
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    compact = filed.number.replace("-", "").lower()
    assert handling.find_for_applicant(db_session, compact, typed) is filed
    wrong = code[:-1] + ("Y" if code[-1] != "Y" else "Z")
    assert handling.find_for_applicant(db_session, filed.number, wrong) is None


def test_codes_issued_before_still_work(db_session: Session, file_request: Filer) -> None:
    filed, _ = file_request()
    old = "MFRG-GZDF-MZTW-Q2LO-NNRG-IZLO-ON2W-K3TF"  # RFC 4648 base32, with O, I and L
    with unit_of_work() as session:
        request = session.get(InfoRequest, filed.id)
        assert request is not None
        request.query_code_hash = hashlib.sha256(old.replace("-", "").encode()).hexdigest()
    assert handling.find_for_applicant(db_session, filed.number, old.lower()) is not None


@pytest.fixture
def app_config(app_config: dict[str, Any], smtp: tuple[Inbox, int]) -> dict[str, Any]:
    app_config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp[1])
    return app_config


def test_a_new_code_goes_to_the_email_on_file(client: FlaskClient, db_session: Session,
                                              file_request: Filer,
                                              smtp: tuple[Inbox, int]) -> None:
    filed, old = file_request()
    wrong = client.post("/requests/code", data={"number": filed.number,
                                                "contact": "someone@example.com"})
    assert wrong.status_code == 200
    assert deliver() == 0
    assert smtp[0].messages == []
    answer = client.post("/requests/code", data={"number": filed.number.replace("-", ""),
                                                 "contact": "13800000000"})
    page = answer.get_data(as_text=True)
    assert applicants.RESEND_ANSWER in page
    assert page.count(applicants.RESEND_ANSWER) == 1
    assert smtp[0].messages == []  # queued with the new code; the mail worker sends it
    assert deliver() == 1
    [message] = smtp[0].messages
    assert message["To"] == "zhangsan@example.com"
    new = re.search(r"([0-9A-Z]{4}(?:-[0-9A-Z]{4}){6})", str(message.get_content()))
    assert new is not None
    db_session.expire_all()
    assert handling.find_for_applicant(db_session, filed.number, old) is None
    assert handling.find_for_applicant(db_session, filed.number, new.group(1)) is not None
    assert old not in page
    assert new.group(1) not in page


def test_the_duplicate_notice_offers_a_new_code(client: FlaskClient, db_session: Session,
                                                smtp: tuple[Inbox, int]) -> None:
    with unit_of_work() as session:
        agency = make_agency(session, "czj").id
    data = form_data(agency, client)
    first = client.post("/requests/new", data={**data, "action": "submit"})
    assert first.status_code == 200
    again = client.post("/requests/new", data={**data, "action": "submit"})
    assert again.status_code == 409
    page = again.get_data(as_text=True)
    assert "发送新的查询码" in page
    assert 'action="/requests/code"' in page
    deliver()
    sent_before = len(smtp[0].messages)  # the filing notice
    number = re.search(r'name="number" value="([^"]+)"', page)
    assert number is not None
    resent = client.post("/requests/code", data={"number": number.group(1),
                                                 "contact": "zhangsan@example.com"})
    assert resent.status_code == 200
    deliver()
    assert len(smtp[0].messages) == sent_before + 1
