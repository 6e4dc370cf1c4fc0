"""Time the 征求意见 and 投诉举报 pages against a plain document page (SQLite), with one
consultation holding many comments and many consultations and complaints besides.

Run: .venv/bin/python -m bench.participation_pages [COMMENTS] [CONSULTATIONS] [COMPLAINTS]
(defaults 2000, 200, 500). Prints each page's median time as a ratio to the median of the
reference page (a catalog document) measured in the same run; asserts nothing.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from opengov.site import clock, create_app
from opengov.site.accounts.rules.roles import Role
from opengov.site.accounts.service import users as accounts
from opengov.site.audit.service import COMMAND_LINE
from opengov.site.bootstrap import initialise
from opengov.site.complaints.rules import Channel as ComplaintChannel
from opengov.site.complaints.service import filing
from opengov.site.complaints.service.filing import ComplaintInput
from opengov.site.consultations.models import Consultation, ConsultationComment
from opengov.site.consultations.rules import Channel, CommentStatus
from opengov.site.consultations.service import drafting
from opengov.site.consultations.service.drafting import ConsultationData
from opengov.site.consultations.service.moderation import CommentInput, add_comment
from opengov.site.db import get_session, unit_of_work
from opengov.site.personal_data import key_from_secret
from tests.factories import make_agency, make_document

PASSWORD = "正确的马电池订书钉-2026"
REFERENCE = "/documents/1"


def _data(agency_id: int, number: int, today: dt.date) -> ConsultationData:
    return ConsultationData(
        agency_id=agency_id, kind="other", title=f"测试办法第{number}号（征求意见稿）",
        draft_text="## 第一条\n\n" + "条文内容。" * 200, explanation="起草说明。" * 50,
        contact="办公室 0000-1", opens_on=today, closes_on=today + dt.timedelta(days=30))


def populate(comments: int, consultations: int, complaints: int) -> tuple[int, Any]:
    """The consultations (the first with ``comments`` published comments) and complaints;
    returns the big consultation's id and a reviewer's name."""
    today = clock.today()
    with unit_of_work() as session:
        agency = make_agency(session, "czj")
        make_agency(session, "gov")
        make_document(session, agency="czj")
        agency_id = agency.id
        editor = accounts.create_user(session, username="editor", display_name="撰稿人",
                                      password=PASSWORD, roles=frozenset({Role.EDITOR}),
                                      policy=accounts.password_policy(), agency_id=agency_id)
        reviewer = accounts.create_user(session, username="reviewer", display_name="审核人",
                                        password=PASSWORD,
                                        roles=frozenset({Role.REVIEWER, Role.HANDLER}),
                                        policy=accounts.password_policy(), agency_id=None)
    ids = []
    for number in range(consultations):
        consultation_id = drafting.create(editor, _data(agency_id, number, today),
                                          origin=COMMAND_LINE)
        drafting.submit(editor, consultation_id, origin=COMMAND_LINE)
        drafting.review(reviewer, consultation_id, approve=True, opinion="同意",
                        origin=COMMAND_LINE)
        ids.append(consultation_id)
    big = ids[0]
    for first in range(0, comments, 500):
        with unit_of_work() as session:
            consultation = session.get(Consultation, big)
            assert consultation is not None
            for number in range(first, min(first + 500, comments)):
                row = add_comment(session, consultation, CommentInput(
                    text=f"第{number}条意见：" + "建议内容。" * 20, name=f"张{number}",
                    phone="13800000000", email=f"u{number}@example.com"), Channel.WEBSITE)
                row.status = CommentStatus.PUBLISHED.value
                row.public_text = row.text
    with unit_of_work() as session:
        agency_row = make_agency(session, "czj")
        for number in range(complaints):
            filing.file_complaint(session, agency_row, ComplaintInput(
                agency_id=agency_row.id, kind="其他不依法履行政府信息公开职责的情形",
                description=f"投诉{number}", name="赵六", phone="13700000000"),
                ComplaintChannel.ONLINE, today - dt.timedelta(days=number % 60))
    return big, reviewer.username


def _median_ms(client: Any, url: str) -> tuple[float, int]:
    timings = []
    size = 0
    for _ in range(7):
        began = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - began) * 1000)
        size = len(response.data)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings), size


def main() -> None:
    defaults = ["2000", "200", "500"]
    arguments = [*sys.argv[1:4], *defaults[len(sys.argv[1:4]):]]
    comments, consultations, complaints = (int(argument) for argument in arguments)
    with tempfile.TemporaryDirectory() as directory:
        app = create_app({"INSTANCE_PATH": Path(directory), "SECRET_KEY": "bench",
                          "PERSONAL_DATA_KEY": key_from_secret("bench"), "WTF_CSRF_ENABLED": False,
                          "DATABASE_URL": f"sqlite:///{directory}/bench.sqlite3"})
        with app.app_context():
            initialise()
            began = time.perf_counter()
            big, reviewer = populate(comments, consultations, complaints)
            print(f"{consultations} consultations, {comments} comments on one, {complaints} "
                  f"complaints created in {time.perf_counter() - began:.1f} s")
            assert get_session().query(ConsultationComment).count() == comments
        client = app.test_client()
        staff = app.test_client()
        staff.post("/staff/login", data={"username": reviewer, "password": PASSWORD})
        reference, _ = _median_ms(client, REFERENCE)
        print(f"reference {REFERENCE}: {reference:.1f} ms (median of 7)")
        print(f"{'page':48} {'× reference':>12} {'KB':>8}")
        for label, who, url in (
                ("home page (open consultations panel)", client, "/"),
                ("consultation list", client, "/consultations"),
                ("consultation, first page of its comments", client,
                 f"/consultations/{big}"),
                ("its JSON, with every comment", client, f"/api/v1/consultations/{big}"),
                ("consultations feed", client, "/consultations/feed.atom"),
                ("participation statistics", client, "/participation/statistics"),
                ("staff: case page (a page of comments, contacts decrypted)", staff,
                 f"/staff/consultations/{big}"),
                ("staff: complaint queue", staff, "/staff/complaints")):
            median, size = _median_ms(who, url)
            print(f"{label:48} {median / reference:12.1f} {size / 1024:8.1f}")


if __name__ == "__main__":
    main()
