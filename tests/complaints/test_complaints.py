"""举报投诉 through its services: numbers and query codes, the clock on the working-day
calendar, warnings, handling, linked requests, access control, personal data, statistics."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from opengov.site.accounts.models import User
from opengov.site.complaints.models import Complaint
from opengov.site.complaints.rules import (
    ComplaintFacts,
    Event,
    Finding,
    Measure,
    Stage,
    Step,
    TransitionError,
    claimed_request_numbers,
    derive,
    figures_of_year,
)
from opengov.site.complaints.service import public as complainants
from opengov.site.complaints.service import staff as casework
from opengov.site.complaints.service import statistics
from opengov.site.db import get_session, unit_of_work
from opengov.site.exceptions import ConflictError, ForbiddenError, NotFoundError
from opengov.site.personal_data import get_cipher
from opengov.site.requests.rules.clock import Channel as RequestChannel
from opengov.site.requests.service import handling as requests
from opengov.site.throttle.service import RateLimitedError
from opengov.site.workdays import service as work_calendar
from opengov.site.workdays.rules import WorkingCalendar
from tests.complaints.conftest import RECEIVED, Filer, complaint_input
from tests.consultations.conftest import SetClock
from tests.factories import make_agency, make_application

CALENDAR = WorkingCalendar()


# --- the rules ----------------------------------------------------------------------------


def test_the_answer_is_due_fifteen_working_days_after_receipt_holidays_excluded() -> None:
    state = derive([Event(Step.RECEIVED, RECEIVED)], CALENDAR, 15)
    # 23–26 and 29–30 September and the 28th (a 调休 Sunday): 7 working days; 1–8 October are
    # holidays; 9, 10, 11 (a 调休 Saturday) and 13–17 October make the other 8.
    assert state.due is not None
    assert state.due.date == dt.date(2025, 10, 17)
    assert "收到之日2025-09-22的次日起算第15个工作日" in state.due.explanation
    assert not state.due.provisional


def test_steps_follow_the_rules() -> None:
    received = Event(Step.RECEIVED, RECEIVED)
    asked = Event(Step.EXPLANATION_REQUESTED, RECEIVED, {"note": "请说明未答复的原因"})
    answered = Event(Step.ANSWERED, dt.date(2025, 10, 9), {
        "finding": "属实", "measures": ["督促整改"], "answer": "经查，该局逾期未答复，已督促整改。"})
    state = derive([received, asked, answered], CALENDAR, 15)
    assert state.stage is Stage.ANSWERED
    assert state.answered_on_time
    assert state.measures == (Measure.RECTIFY,)
    with pytest.raises(TransitionError, match="查证属实"):
        derive([received, Event(Step.ANSWERED, RECEIVED, {
            "finding": "不属实", "measures": ["通报批评"], "answer": "x"})], CALENDAR, 15)
    with pytest.raises(TransitionError, match="书面答复"):
        derive([received, Event(Step.ANSWERED, RECEIVED, {"finding": "属实"})], CALENDAR, 15)
    with pytest.raises(TransitionError, match="不能撤回"):
        derive([received, answered, Event(Step.WITHDRAWN, dt.date(2025, 10, 10))], CALENDAR,
               15)
    with pytest.raises(TransitionError, match="不能早于"):
        derive([received, Event(Step.ASSIGNED, dt.date(2025, 9, 1))], CALENDAR, 15)


def test_request_numbers_are_read_from_what_was_typed() -> None:
    assert claimed_request_numbers("ysq-2025-000012， YSQ-2025-000012 YSQ-2024-000003") == [
        "YSQ-2025-000012", "YSQ-2024-000003"]


def test_figures_count_late_answers_honestly() -> None:
    facts = [ComplaintFacts(1, dt.date(2025, 3, 1), Stage.ANSWERED, dt.date(2025, 3, 10),
                            dt.date(2025, 3, 20), Finding.TRUE, (Measure.RECTIFY,)),
             ComplaintFacts(1, dt.date(2025, 4, 1), Stage.ANSWERED, dt.date(2025, 5, 1),
                            dt.date(2025, 4, 22), Finding.NOT_TRUE),
             ComplaintFacts(1, dt.date(2025, 5, 1), Stage.RECEIVED, None, dt.date(2025, 5, 22),
                            None),
             ComplaintFacts(1, dt.date(2024, 5, 1), Stage.WITHDRAWN, None, None, None)]
    figures = figures_of_year(facts, 2025)
    assert (figures.received, figures.answered, figures.answered_on_time, figures.open,
            figures.substantiated, figures.rectification) == (3, 2, 1, 1, 1, 1)


# --- filing and the complainant -----------------------------------------------------------


def test_a_complaint_gets_a_number_a_query_code_and_a_due_date(
        agencies: dict[str, int], staff: dict[str, User], today: SetClock,
        db_session: Session) -> None:
    filed = complainants.submit_complaint(complaint_input(agencies["czj"]), client="10.0.0.1")
    complaint = filed.complaint
    assert complaint.number == "TS-2025-000001"
    assert complaint.due_on == dt.date(2025, 10, 17)
    assert complaint.stage == "已受理"
    assert filed.code not in complaint.query_code_hash
    # Personal data only encrypted.
    assert "赵六" not in complaint.name_enc
    assert "zhaoliu" not in complaint.email_enc
    assert get_cipher().decrypt(complaint.phone_enc) == "13700000000"
    second = complainants.submit_complaint(complaint_input(agencies["zjj"]), client="10.0.0.1")
    assert second.complaint.number == "TS-2025-000002"
    case = complainants.look_up(complaint.number, filed.code.lower(), client="10.0.0.9")
    assert case.complaint.id == complaint.id
    assert case.state.stage is Stage.RECEIVED
    with pytest.raises(NotFoundError):
        complainants.look_up(complaint.number, second.code, client="10.0.0.9")


def test_wrong_codes_and_too_many_complaints_are_limited(
        agencies: dict[str, int], staff: dict[str, User], today: SetClock,
        app: object) -> None:
    from flask import current_app

    current_app.config["COMPLAINT_SUBMIT_LIMIT"] = 1
    current_app.config["REQUEST_STATUS_LIMIT"] = 2
    filed = complainants.submit_complaint(complaint_input(agencies["czj"]), client="10.0.0.1")
    with pytest.raises(RateLimitedError):
        complainants.submit_complaint(complaint_input(agencies["czj"]), client="10.0.0.1")
    for _ in range(2):
        with pytest.raises(NotFoundError):
            complainants.look_up(filed.complaint.number, "WRONG", client="10.0.0.5")
    with pytest.raises(RateLimitedError):
        complainants.look_up(filed.complaint.number, filed.code, client="10.0.0.5")


def test_the_complainant_withdraws_and_reads_the_answer(
        file_complaint: Filer, staff: dict[str, User], today: SetClock) -> None:
    complaint, _ = file_complaint()
    granted = [complaint.id]
    with pytest.raises(NotFoundError):
        complainants.withdraw(complaint.id, [])
    casework.record_step(staff["office"], complaint.number, Step.ANSWERED, RECEIVED, {
        "finding": "属实", "measures": ["督促整改"],
        "answer": "经查，市财政局未在法定期限内答复，已督促其于5个工作日内答复。"})
    case = complainants.complainant_case(complaint.id, granted)
    assert case.state.stage is Stage.ANSWERED
    assert "督促其于5个工作日内答复" in case.complaint.answer
    assert [event.kind for event in case.history] == ["received", "answered"]
    with pytest.raises(ConflictError):
        complainants.withdraw(complaint.id, granted)
    other, _ = file_complaint()
    assert complainants.withdraw(other.id, [other.id]).state.stage is Stage.WITHDRAWN


# --- handling and scope -------------------------------------------------------------------


def test_a_department_sees_only_complaints_about_itself(file_complaint: Filer,
                                                        staff: dict[str, User],
                                                        today: SetClock) -> None:
    about_czj, _ = file_complaint("czj")
    about_zjj, _ = file_complaint("zjj")
    office = {row.number for row in casework.queue(staff["office"]).rows}
    assert office == {about_czj.number, about_zjj.number}
    assert [row.number for row in casework.queue(staff["czj"]).rows] == [about_czj.number]
    with pytest.raises(NotFoundError):
        casework.case(staff["czj"], about_zjj.number)
    with pytest.raises(NotFoundError):
        casework.record_step(staff["czj"], about_zjj.number, Step.EXPLAINED, RECEIVED,
                             {"text": "x"})
    with pytest.raises(ForbiddenError):
        casework.queue(staff["editor"])  # not a handler
    # The agency complained about never sees who complained.
    own = casework.case(staff["czj"], about_czj.number)
    assert own.complainant is None
    assert own.allowed == []
    assert casework.case(staff["office"], about_czj.number).complainant is not None


def test_the_department_explains_when_asked_and_only_then(file_complaint: Filer,
                                                          staff: dict[str, User],
                                                          today: SetClock) -> None:
    complaint, _ = file_complaint("czj")
    with pytest.raises(ForbiddenError):
        casework.record_step(staff["czj"], complaint.number, Step.ANSWERED, RECEIVED, {
            "finding": "不属实", "answer": "我局已答复。"})
    casework.record_step(staff["office"], complaint.number, Step.ASSIGNED, RECEIVED,
                         {"handler_id": staff["office"].id})
    casework.record_step(staff["office"], complaint.number, Step.EXPLANATION_REQUESTED,
                         RECEIVED, {"note": "请说明该申请的办理情况。"})
    assert casework.case(staff["czj"], complaint.number).allowed == [Step.EXPLAINED]
    today.set(dt.date(2025, 9, 24))
    state = casework.record_step(staff["czj"], complaint.number, Step.EXPLAINED,
                                 dt.date(2025, 9, 24), {"text": "该申请已于9月10日答复，附送达回证。"})
    assert state.stage is Stage.INVESTIGATING
    case = casework.case(staff["office"], complaint.number)
    assert case.state.handler == "gov_handler"
    assert Step.ANSWERED in case.allowed


def test_the_queue_warns_before_the_due_date(file_complaint: Filer, staff: dict[str, User],
                                             today: SetClock) -> None:
    early, _ = file_complaint(received_on=dt.date(2025, 9, 1))  # due 22 September
    recent, _ = file_complaint()  # due 17 October
    today.set(dt.date(2025, 9, 16))
    listing = casework.queue(staff["office"])
    assert listing.colours[early.id] == "yellow"
    assert listing.colours[recent.id] == "green"
    assert [(w.complaint.number, w.days_left) for w in listing.warnings] == [(early.number, 4)]
    today.set(dt.date(2025, 9, 24))
    listing = casework.queue(staff["office"])
    assert listing.colours[early.id] == "red"
    assert listing.warnings[0].days_left == -2


def test_a_calendar_change_moves_open_due_dates(file_complaint: Filer, staff: dict[str, User],
                                                today: SetClock) -> None:
    complaint, _ = file_complaint()
    work_calendar.set_override(dt.date(2025, 10, 13), False, "临时停电放假", actor=None)
    moved = get_session().get(Complaint, complaint.id, populate_existing=True)
    assert moved is not None
    assert moved.due_on == dt.date(2025, 10, 20)


def test_requests_named_by_the_complainant_are_linked(agencies: dict[str, int],
                                                      staff: dict[str, User], today: SetClock,
                                                      db_session: Session) -> None:
    with unit_of_work() as session:
        request, _ = requests.file_request(session, make_agency(session, "czj"),
                                           make_application(), RequestChannel.IN_PERSON,
                                           dt.date(2025, 7, 1), refuse_duplicates=False)
        other, _ = requests.file_request(session, make_agency(session, "zjj"),
                                         make_application(), RequestChannel.IN_PERSON,
                                         dt.date(2025, 7, 2), refuse_duplicates=False)
        number, other_number = request.number, other.number
    filed = complainants.submit_complaint(complaint_input(
        agencies["czj"], request_numbers=f"{number} {other_number} YSQ-2025-999999"),
        client="10.0.0.1")
    # Only the request of the agency complained about is linked at once.
    assert [r.number for r in filed.complaint.requests] == [number]
    with pytest.raises(ForbiddenError):
        casework.link_request(staff["czj"], filed.complaint.number, other_number)
    casework.link_request(staff["office"], filed.complaint.number, other_number)
    case = casework.case(staff["office"], filed.complaint.number)
    assert sorted(r.number for r in case.complaint.requests) == sorted([number, other_number])
    casework.unlink_request(staff["office"], filed.complaint.number, case.complaint.requests[0].id)
    assert len(casework.case(staff["office"], filed.complaint.number).complaint.requests) == 1


def test_complaints_entered_by_the_office(agencies: dict[str, int], staff: dict[str, User],
                                          today: SetClock) -> None:
    from opengov.site.complaints.rules import Channel

    with pytest.raises(ForbiddenError):
        casework.enter_complaint(staff["czj"], complaint_input(agencies["czj"]), Channel.LETTER,
                                 RECEIVED)
    filed = casework.enter_complaint(staff["office"], complaint_input(agencies["czj"]),
                                     Channel.LETTER, dt.date(2025, 9, 19))
    assert filed.complaint.channel == "信函"
    assert filed.complaint.entered_by_id == \
        staff["office"].id
    assert filed.complaint.due_on == dt.date(2025, 10, 16)


def test_statistics_by_agency(file_complaint: Filer, staff: dict[str, User],
                              today: SetClock) -> None:
    complaint, _ = file_complaint("czj")
    file_complaint("czj")
    file_complaint("zjj", received_on=dt.date(2024, 12, 30))
    casework.record_step(staff["office"], complaint.number, Step.ANSWERED, RECEIVED,
                         {"finding": "不属实", "answer": "经查，该局已依法答复。"})
    by_agency = statistics.figures_by_agency(get_session(), 2025)
    czj = get_session().scalars(select(Complaint.agency_id).where(
        Complaint.number == complaint.number)).one()
    assert (by_agency[czj].received, by_agency[czj].answered,
            by_agency[czj].answered_on_time) == (2, 1, 1)
    assert len(by_agency) == 1
