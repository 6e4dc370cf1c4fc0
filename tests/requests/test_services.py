"""Request services on SQLite and PostgreSQL: numbers, codes, encryption, derived fields,
calendar changes, lapses, anonymisation, reminders."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from opengov.site.agencies.models import Agency
from opengov.site.db import get_session, unit_of_work
from opengov.site.requests.models import InfoRequest
from opengov.site.requests.rules import codes
from opengov.site.requests.rules.clock import Channel, EventKind, Stage, TransitionError
from opengov.site.requests.service import handling as request_service
from opengov.site.requests.service import letters, steps, upkeep
from opengov.site.search.service import search
from opengov.site.search.service.index import get_backend, process_outbox
from opengov.site.workdays import service as work_calendar
from tests.factories import make_agency, make_document
from tests.requests.conftest import VALID_ID, application, record

D = dt.date
Filer = Callable[..., tuple[InfoRequest, str]]


def test_number_code_and_encryption(db_session: Session, file_request: Filer) -> None:
    filed, code = file_request()
    second, _ = file_request(description="另一项")
    assert filed.number == "YSQ-2025-000001"
    assert second.number == "YSQ-2025-000002"
    groups = code.split("-")
    assert [len(group) for group in groups] == [4] * 7  # 28 × 5 = 140 random bits
    assert set("".join(groups)) <= set(codes.ALPHABET)  # no I, L, O or U to misread
    assert code not in filed.query_code_hash
    # The raw row: no column holds the name, the ID number (nor its tail) or a contact.
    row = db_session.execute(text("SELECT * FROM info_requests WHERE id = :id"),
                             {"id": filed.id}).one()
    stored = " ".join(str(value) for value in row)
    for secret in ("张三", VALID_ID, "002X", "13800000000", "zhangsan@example.com", "人民路"):
        assert secret not in stored
    personal = request_service.personal_data(filed)
    assert (personal.name, personal.id_number, personal.phone) == (
        "张三", VALID_ID, "13800000000")
    assert request_service.applicant_labels([filed])[filed.id] == request_service.ApplicantLabel(
        "张三", "002X")


def test_applicant_lookup(db_session: Session, file_request: Filer) -> None:
    filed, code = file_request()
    assert request_service.find_for_applicant(db_session, filed.number, code) is filed
    sloppy = code.lower().replace("-", " ")
    assert request_service.find_for_applicant(db_session, filed.number.lower(), sloppy) is filed
    assert request_service.find_for_applicant(db_session, filed.number, "A" * 32) is None
    assert request_service.find_for_applicant(db_session, "YSQ-2025-999999", code) is None


def test_derived_fields_stored(db_session: Session, file_request: Filer) -> None:
    filed, _ = file_request()
    assert filed.stage == Stage.REGISTERED.value
    assert filed.receipt_date == D(2025, 9, 26)
    assert filed.due_on == D(2025, 10, 30)
    assert filed.correction_notice_due_on == D(2025, 10, 13)
    assert "第20个工作日" in filed.due_explanation
    record(filed, EventKind.EXTENDED, D(2025, 10, 28),
           {"days": 10, "approver": "王主任", "notified_on": "2025-10-28"})
    assert filed.due_on == D(2025, 11, 13)
    with pytest.raises(TransitionError):
        record(filed, EventKind.EXTENDED, D(2025, 10, 29),
               {"days": 10, "approver": "王主任", "notified_on": "2025-10-29"})
    assert [event.kind for event in db_session.get(InfoRequest, filed.id).events] == [
        "received", "extended"]


def test_online_pending_until_confirmed(db_session: Session, file_request: Filer) -> None:
    filed, _ = file_request(channel=Channel.FAX)
    assert filed.stage == Stage.PENDING.value
    assert filed.due_on is None
    record(filed, EventKind.CONFIRMED, D(2025, 9, 29))
    assert filed.due_on == request_service.state_of(db_session, filed).due.date  # type: ignore[union-attr]
    assert filed.receipt_date == D(2025, 9, 29)


def test_calendar_change_recomputes_open_requests(db_session: Session,
                                                  file_request: Filer) -> None:
    filed, _ = file_request(received_on=D(2026, 12, 20))
    closed, _ = file_request(received_on=D(2026, 12, 20), description="已撤回的")
    record(closed, EventKind.WITHDRAWN, D(2026, 12, 21))
    assert (filed.due_on, filed.due_provisional) == (D(2027, 1, 15), True)
    work_calendar.set_override(D(2027, 1, 1), False, "元旦", actor=None)
    assert (filed.due_on, filed.due_provisional) == (D(2027, 1, 18), True)
    work_calendar.confirm_year(2027, "国办发明电〔2026〕N号")
    assert (filed.due_on, filed.due_provisional) == (D(2027, 1, 18), False)
    assert work_calendar.remove_override(D(2027, 1, 1))
    assert filed.due_on == D(2027, 1, 15)
    assert not work_calendar.remove_override(D(2027, 1, 1))
    assert closed.due_on == D(2027, 1, 15)  # closed: kept as it was


def test_lapses_are_recorded(db_session: Session, file_request: Filer) -> None:
    filed, _ = file_request()
    record(filed, EventKind.CORRECTION_REQUESTED, D(2025, 10, 9), {"deadline": "2025-10-20"})
    assert upkeep.remind(D(2025, 10, 20)).lapsed == []
    assert upkeep.remind(D(2025, 10, 21)).lapsed == [filed.number]
    with unit_of_work() as session:
        lapsed = session.get(InfoRequest, filed.id)
        assert lapsed is not None
        assert lapsed.stage == Stage.ABANDONED.value
        assert lapsed.outcome == "6.1"
        # The applicant is told in a letter that cites Art. 30 and no other article.
        letter = lapsed.letters[-1]
        assert letter.title == "政府信息公开申请终止处理告知书"
        assert "第三十条的规定" in letter.body


def test_anonymisation_after_retention(db_session: Session, file_request: Filer) -> None:
    old, _ = file_request()
    with unit_of_work() as session:  # through the workflow: the 补正告知书 is issued
        steps.take_step(session, session.get(InfoRequest, old.id), EventKind.CORRECTION_REQUESTED,
                        D(2025, 9, 29), {"deadline": "2025-10-13", "matters": "请写明年份"})
    record(old, EventKind.CORRECTED, D(2025, 9, 30), {"text": "张三补充：人民路1号的那份"})
    record(old, EventKind.WITHDRAWN, D(2025, 10, 9))
    still_open, _ = file_request(description="仍在办理")
    with unit_of_work() as session:
        assert request_service.anonymise_closed(session, D(2035, 10, 9), 10) == 0
        assert request_service.anonymise_closed(session, D(2035, 10, 10), 10) == 1
    row = db_session.execute(text("SELECT * FROM info_requests WHERE id = :id"),
                             {"id": old.id}).one()._mapping
    for column in ("name_enc", "id_number_enc", "id_number_tail_enc", "phone_enc",
                   "email_enc", "address_enc", "id_number_hmac", "fingerprint", "postcode"):
        assert row[column] == "", column
    [letter] = old.letters  # the 补正告知书: its addressee is erased too
    assert db_session.execute(text("SELECT addressee_enc FROM info_request_letters "
                                   "WHERE id = :id"), {"id": letter.id}).scalar() == ""
    assert letters.paragraphs(letter)[0] == "（已匿名化）："
    events = db_session.execute(text("SELECT data FROM info_request_events "
                                     "WHERE request_id = :id"), {"id": old.id}).scalars()
    texts = [(json.loads(data) if isinstance(data, str) else data).get("text", "")
             for data in events]
    assert "（已匿名化）" in texts
    assert not any("张三" in said for said in texts)
    assert request_service.personal_data(old).name == "（已匿名化）"
    assert old.outcome == "6.3"
    assert old.applicant_kind == "自然人"
    assert still_open.anonymised_at is None


def test_duplicates(db_session: Session, file_request: Filer) -> None:
    first, _ = file_request()
    agency = make_agency(db_session, "gov")
    assert request_service.find_duplicate(db_session, agency, application()) is first
    assert request_service.find_duplicate(db_session, agency,
                                          application(description="别的")) is None
    with pytest.raises(request_service.DuplicateRequestError, match=first.number), \
            unit_of_work() as session:
        request_service.file_request(session, agency, application(), Channel.ONLINE,
                                     D(2025, 9, 26))
    second, _ = file_request()
    assert second.duplicate_of_id == first.id


def test_reminders_and_colours(db_session: Session, file_request: Filer) -> None:
    filed, _ = file_request()  # due 2025-10-30
    calendar = work_calendar.load_calendar(db_session)
    assert request_service.deadline_colour(calendar, D(2025, 10, 22), filed.due_on) == "green"
    assert request_service.deadline_colour(calendar, D(2025, 10, 23), filed.due_on) == "yellow"
    assert request_service.deadline_colour(calendar, D(2025, 10, 30), filed.due_on) == "yellow"
    assert request_service.deadline_colour(calendar, D(2025, 10, 31), filed.due_on) == "red"
    assert request_service.deadline_colour(calendar, D(2025, 10, 31), None) == "none"
    assert request_service.reminders(db_session, D(2025, 10, 22)) == []
    [reminder] = request_service.reminders(db_session, D(2025, 10, 23))
    assert (reminder.days_left, reminder.what) == (5, "答复期限")
    [overdue] = request_service.reminders(db_session, D(2025, 11, 3))
    assert overdue.days_left == -2
    # The 补正-notice window: 7 working days from 2025-09-26 end 2025-10-13.
    notices = [r for r in request_service.reminders(db_session, D(2025, 10, 10))
               if r.what == "补正告知期限"]
    assert [r.days_left for r in notices] == [2]  # 10-11 is a 调休 Saturday


def test_the_handler_searches_the_sites_documents(db_session: Session,
                                                  file_request: Filer) -> None:
    get_backend().ensure_index()
    with unit_of_work() as session:
        make_document(session, title="示例市城市绿化管理办法", doc_number="示政发〔2024〕8号")
        make_document(session, title="无关文件", doc_number="示政发〔2024〕9号")
    process_outbox()  # what the index worker does beside the site
    filed, _ = file_request(doc_number="示政发[2024]8号")  # brackets as people type them
    assert request_service.document_query(filed) == "示政发[2024]8号"
    found = search.search(db_session, request_service.document_query(filed), log_query=False)
    assert [hit.title for hit in found.hits][:1] == ["示例市城市绿化管理办法"]
    described, _ = file_request(description="城市绿化管理办法的全文", received_on=dt.date(2025, 9, 29))
    assert request_service.document_query(described) == "城市绿化管理办法的全文"


def test_concurrent_submissions_get_unique_numbers(app: Flask) -> None:
    with app.app_context(), unit_of_work() as session:
        agency_id = make_agency(session, "gov").id
    numbers: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def submit(index: int) -> None:
        try:
            with app.app_context():
                barrier.wait()  # before any transaction: SQLite writers queue on BEGIN
                for round_ in range(3):
                    with unit_of_work() as session:
                        agency = session.get(Agency, agency_id)
                        assert agency is not None
                        filed, _ = request_service.file_request(
                            session, agency, application(description=f"并发{index}-{round_}"),
                            Channel.ONLINE, D(2026, 11, 23), confirmed_on=D(2026, 11, 23))
                    numbers.append(filed.number)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == [f"YSQ-2026-{n:06d}" for n in range(1, 25)]
    with app.app_context():
        count = get_session().scalar(select(text("count(*)")).select_from(InfoRequest))
        assert count == 24


def test_items_in_month_for_the_fee_counter(db_session: Session, file_request: Filer) -> None:
    first, _ = file_request(received_on=D(2025, 9, 26))
    second, _ = file_request(received_on=D(2025, 9, 29), description="第二件")
    october, _ = file_request(received_on=D(2025, 10, 9), description="十月")
    other, _ = file_request(received_on=D(2025, 9, 29), id_number="91350100M000100Y43",
                            applicant_kind="法人或其他组织", id_type="统一社会信用代码",
                            org_type="商业企业")
    assert request_service.items_in_month(db_session, first) == 1
    assert request_service.items_in_month(db_session, second) == 2
    assert request_service.items_in_month(db_session, october) == 1
    assert request_service.items_in_month(db_session, other) == 1


def test_anonymisation_erases_correction_text(db_session: Session, file_request: Filer) -> None:
    filed, _ = file_request()
    record(filed, EventKind.CORRECTION_REQUESTED, D(2025, 10, 9), {"deadline": "2025-10-20"})
    record(filed, EventKind.CORRECTED, D(2025, 10, 10), {"text": "我是张三，住人民路"})
    record(filed, EventKind.WITHDRAWN, D(2025, 10, 11))
    with unit_of_work() as session:
        assert request_service.anonymise_closed(session, D(2036, 1, 1), 10) == 1
    db_session.expire_all()
    refreshed = db_session.get(InfoRequest, filed.id)
    assert refreshed is not None
    assert refreshed.events[2].data["text"] == "（已匿名化）"
