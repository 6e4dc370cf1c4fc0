"""Request handling through the staff service: the agency scope, and the workflow policy that
decides which step issues which letter and notice whoever records it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.db import unit_of_work
from opengov.site.exceptions import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from opengov.site.requests.models import InfoRequest
from opengov.site.requests.rules.clock import Channel, EventKind, Stage
from opengov.site.requests.service import public as applicants
from opengov.site.requests.service import staff as casework
from opengov.site.throttle import service as throttle
from tests.factories import make_agency
from tests.requests.conftest import application

D = dt.date
Filer = Callable[..., tuple[InfoRequest, str]]


@pytest.fixture
def agencies(db_session: Session) -> dict[str, int]:
    with unit_of_work() as session:
        return {code: make_agency(session, code).id for code in ("gov", "czj")}


def test_a_departments_handler_sees_only_its_agencys_requests(
        agencies: dict[str, int], file_request: Filer,
        make_user: Callable[..., User]) -> None:
    governments, _ = file_request(agency="gov")
    finance, _ = file_request(agency="czj", description="财政局的申请")
    department = make_user("czj1", Role.HANDLER, agency_id=agencies["czj"])
    site_wide = make_user("site1", Role.HANDLER)
    assert [row.number for row in casework.queue(department).rows] == [finance.number]
    assert {row.number for row in casework.queue(site_wide).rows} == {
        governments.number, finance.number}
    with pytest.raises(NotFoundError):
        casework.case(department, governments.number)
    with pytest.raises(NotFoundError):
        casework.record_step(department, governments.number, EventKind.WITHDRAWN, D(2025, 10, 9))
    with pytest.raises(NotFoundError):
        casework.transfer(department, governments.number, agencies["czj"], D(2025, 10, 9))
    with pytest.raises(ForbiddenError):
        casework.enter_request(department, agencies["gov"], application(description="别处"),
                               Channel.IN_PERSON, D(2025, 9, 26))
    assert governments.stage == Stage.REGISTERED.value
    assert casework.case(department, finance.number).request is finance


def test_each_step_issues_its_letter_and_notice(agencies: dict[str, int], file_request: Filer,
                                                make_user: Callable[..., User]) -> None:
    filed, _ = file_request()
    handler = make_user("handler1", Role.HANDLER)
    asked = casework.record_step(handler, filed.number, EventKind.CORRECTION_REQUESTED,
                                 D(2025, 10, 9), {"deadline": "2025-10-20",
                                                  "matters": "请写明文件年份"})
    assert asked.letter is not None
    assert (asked.letter.kind, asked.notice) == ("correction", "correction_requested")
    assert "请写明文件年份" in asked.letter.body
    answered = casework.record_step(handler, filed.number, EventKind.CORRECTED, D(2025, 10, 14))
    assert (answered.letter, answered.notice) == (None, None)
    casework.record_step(handler, filed.number, EventKind.DECIDED, D(2025, 10, 20),
                         {"outcome": "1", "reply": "1-published",
                          "detail": "本机关网站“政策文件”栏目"})
    with pytest.raises(ConflictError, match="不能签发"):  # two people sign
        casework.record_step(handler, filed.number, EventKind.SIGNED_OFF, D(2025, 10, 21))
    signer = make_user("signer1", Role.HANDLER)
    signed = casework.record_step(signer, filed.number, EventKind.SIGNED_OFF, D(2025, 10, 21))
    assert signed.letter is not None
    assert signed.letter.kind == "reply"
    assert "第三十六条第（一）项" in signed.letter.body
    assert filed.events[-1].data["signer"] == signer.display_name  # the actor signs
    replied = casework.record_step(handler, filed.number, EventKind.REPLIED, D(2025, 10, 22),
                                   {"delivery": "电子邮件"})
    assert (replied.letter, replied.notice) == (None, "replied")
    assert [letter.kind for letter in filed.letters] == ["correction", "reply"]


def test_steps_the_law_refuses_and_handlers_of_other_agencies(
        agencies: dict[str, int], file_request: Filer,
        make_user: Callable[..., User]) -> None:
    filed, _ = file_request()
    handler = make_user("handler1", Role.HANDLER)
    elsewhere = make_user("czj1", Role.HANDLER, agency_id=agencies["czj"])
    with pytest.raises(ConflictError, match="届满前"):
        casework.record_step(handler, filed.number, EventKind.EXTENDED, D(2025, 10, 31),
                             {"days": 20, "approver": "王主任", "notified_on": "2025-10-31"})
    with pytest.raises(InvalidInputError):
        casework.record_step(handler, filed.number, EventKind.ASSIGNED, D(2025, 9, 26),
                             {"handler_id": elsewhere.id})
    assigned = casework.record_step(handler, filed.number, EventKind.ASSIGNED, D(2025, 9, 26),
                                    {"handler_id": handler.id})
    assert assigned.request.handler_id == handler.id
    with pytest.raises(InvalidInputError):
        casework.transfer(handler, filed.number, 10**6, D(2025, 10, 9))
    with pytest.raises(ConflictError, match="本机关"):
        casework.transfer(handler, filed.number, agencies["gov"], D(2025, 10, 9))
    assert [event.kind for event in filed.events] == ["received", "assigned"]


def test_applicants_reach_only_the_requests_they_opened(agencies: dict[str, int],
                                                        file_request: Filer) -> None:
    filed, code = file_request()
    with pytest.raises(NotFoundError):
        applicants.applicant_case(filed.id, granted=[])
    with pytest.raises(NotFoundError):
        applicants.withdraw(filed.id, granted=[filed.id + 1])
    with pytest.raises(NotFoundError, match="申请编号或查询码不正确"):
        applicants.look_up(filed.number, "WRONG", client="10.0.0.1")
    assert applicants.look_up(filed.number, code, client="10.0.0.1").request is filed
    assert applicants.withdraw(filed.id, granted=[filed.id]).state.stage is Stage.WITHDRAWN
    with pytest.raises(ConflictError):
        applicants.withdraw(filed.id, granted=[filed.id])


def test_hits_are_counted_per_client_in_their_window(db_session: Session) -> None:
    window = dt.timedelta(minutes=15)
    for _ in range(2):
        throttle.record_hit("request_status", "10.0.0.1")
    assert throttle.limited("request_status", "10.0.0.1", 2, window)
    assert not throttle.limited("request_status", "10.0.0.1", 3, window)
    assert not throttle.limited("request_status", "10.0.0.2", 2, window)
    assert not throttle.limited("request_submit", "10.0.0.1", 2, window)
    assert not throttle.limited("request_status", "10.0.0.1", 2, dt.timedelta(0))
