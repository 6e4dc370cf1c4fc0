"""Fixtures of the complaint tests: a set clock, agencies, the 主管部门's handler and a
department's handler, and a way to file a complaint through the service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.complaints.models import Complaint
from opengov.site.complaints.rules import Channel
from opengov.site.complaints.service import filing
from opengov.site.complaints.service.filing import ComplaintInput
from opengov.site.db import unit_of_work
from opengov.site.personal_data import key_from_secret
from tests.consultations.conftest import SetClock
from tests.factories import make_agency

#: Monday 22 September 2025: 15 working days later runs across the National Day holiday.
RECEIVED = dt.date(2025, 9, 22)


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    app_config["PERSONAL_DATA_KEY"] = key_from_secret("test personal data key")
    app_config["REQUEST_MIN_FILL_SECONDS"] = 0
    return app_config


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> SetClock:
    return SetClock(monkeypatch, RECEIVED)


@pytest.fixture
def agencies(db_session: Session) -> dict[str, int]:
    with unit_of_work() as session:
        return {code: make_agency(session, code).id for code in ("gov", "czj", "zjj")}


@pytest.fixture
def staff(agencies: dict[str, int], make_user: Callable[..., User]) -> dict[str, User]:
    """The 主管部门 (the government's 公开办, ROOT_AGENCY ``gov``) and two departments."""
    return {
        "office": make_user("gov_handler", Role.HANDLER, agency_id=agencies["gov"]),
        "czj": make_user("czj_handler", Role.HANDLER, agency_id=agencies["czj"]),
        "zjj": make_user("zjj_handler", Role.HANDLER, agency_id=agencies["zjj"]),
        "editor": make_user("gov_editor", Role.EDITOR, agency_id=agencies["gov"]),
    }


def complaint_input(agency_id: int, **overrides: Any) -> ComplaintInput:
    values: dict[str, Any] = {
        "agency_id": agency_id, "kind": "未在法定期限内答复政府信息公开申请",
        "description": "本人于2025年7月提交的申请至今未获答复。", "name": "赵六",
        "phone": "13700000000", "email": "zhaoliu@example.com",
    }
    values.update(overrides)
    return ComplaintInput(**values)


Filer = Callable[..., tuple[Complaint, str]]


@pytest.fixture
def file_complaint(agencies: dict[str, int], today: SetClock) -> Filer:
    def make(agency: str = "czj", received_on: dt.date = RECEIVED,
             channel: Channel = Channel.ONLINE, **overrides: Any) -> tuple[Complaint, str]:
        with unit_of_work() as session:
            agency_row = make_agency(session, agency)
            return filing.file_complaint(session, agency_row,
                                         complaint_input(agency_row.id, **overrides), channel,
                                         received_on)

    return make
