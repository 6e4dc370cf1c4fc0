"""The applicant's status page agrees with the letters: during a 补正 it shows the 补正
deadline and that the period restarts, never the old deadline; pauses and the extension are
listed with their dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.requests.models import InfoRequest
from opengov.site.requests.rules.clock import EventKind
from opengov.site.requests.service import staff as casework
from opengov.site.requests.service.letters import chinese_date

Filer = Callable[..., tuple[InfoRequest, str]]
D = dt.date


def _page(client: FlaskClient, filed: InfoRequest, code: str) -> str:
    response = client.post("/requests/status", data={"number": filed.number, "code": code})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_status_page_and_correction_letter_agree(client: FlaskClient, db_session: Session,
                                                 file_request: Filer,
                                                 make_user: Callable[..., Any]) -> None:
    filed, code = file_request()
    handler: User = make_user("handler1", Role.HANDLER)
    old_due = filed.due_on
    assert old_due is not None
    before = _page(client, filed, code)
    assert chinese_date(old_due) in before
    asked = casework.record_step(handler, filed.number, EventKind.CORRECTION_REQUESTED,
                                 D(2025, 10, 9), {"deadline": "2025-10-20",
                                                  "matters": "请写明文件年份"})
    assert asked.letter is not None
    letter = asked.letter.body
    page = _page(client, filed, code)
    # The applicant's own copy of the letter opens with their name, decrypted.
    shown = client.get(f"/requests/letters/{asked.letter.id}")
    assert '<p class="letter-addressee">张三：</p>' in shown.get_data(as_text=True)
    # The deadline the letter sets is the one the page shows, in the same words.
    assert "请于2025年10月20日前作出补正" in letter
    assert "请于2025年10月20日前补正" in page
    assert "答复期限自本机关收到补正的申请之日起计算" in letter
    assert "答复期限自收到补正材料之日起重新计算" in page
    # The old deadline is no longer shown anywhere on the page.
    assert chinese_date(old_due) not in page
    assert old_due.isoformat() not in page
    casework.record_step(handler, filed.number, EventKind.CORRECTED, D(2025, 10, 14))
    casework.record_step(handler, filed.number, EventKind.CONSULTATION_SENT, D(2025, 10, 15),
                         {"ref": "C1", "party": "某公司"})
    casework.record_step(handler, filed.number, EventKind.CONSULTATION_ANSWERED,
                         D(2025, 10, 20), {"ref": "C1"})
    extended = casework.record_step(handler, filed.number, EventKind.EXTENDED, D(2025, 10, 21),
                                    {"days": 10, "approver": "王主任",
                                     "notified_on": "2025-10-21"})
    assert extended.letter is not None
    page = _page(client, filed, code)
    assert "2025年10月14日收到补正，答复期限自该日重新计算" in page
    assert "2025年10月15日起征求意见" in page
    assert "2025年10月20日收到意见" in page
    assert "某公司" not in page  # third parties are not named to the applicant
    assert "延长10个工作日" in page
    assert "2025年10月21日告知申请人" in page
    assert extended.state.due is not None
    due = chinese_date(extended.state.due.date)
    assert due in page
    assert due in extended.letter.body  # the extension letter names the same deadline
