"""Fixtures of the consultation tests: a set clock, agencies, drafting and reviewing staff,
and consultations made through the services (drafted, reviewed, published)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.audit.service import COMMAND_LINE
from opengov.site.consultations.service import drafting
from opengov.site.consultations.service.drafting import ConsultationData
from opengov.site.db import unit_of_work
from opengov.site.personal_data import key_from_secret
from tests.factories import make_agency

#: A Monday; 2025's holidays are in the pinned calendar data.
MONDAY = dt.date(2025, 9, 1)

DRAFT = """## 第一条 目的

为规范政务服务中心运行管理，制定本办法。

## 第二条 适用范围

本办法适用于本市各级政务服务中心。"""


class SetClock:
    """``clock.today()`` is whatever the test says (and moves when it says so)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, day: dt.date) -> None:
        self.day = day
        monkeypatch.setattr(clock, "today", lambda: self.day)

    def set(self, day: dt.date) -> None:
        self.day = day


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    app_config["PERSONAL_DATA_KEY"] = key_from_secret("test personal data key")
    app_config["REQUEST_MIN_FILL_SECONDS"] = 0
    return app_config


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> SetClock:
    return SetClock(monkeypatch, MONDAY)


@pytest.fixture
def agencies(db_session: Session) -> dict[str, int]:
    with unit_of_work() as session:
        return {code: make_agency(session, code).id for code in ("gov", "czj", "zjj")}


@pytest.fixture
def staff(agencies: dict[str, int], make_user: Callable[..., User]) -> dict[str, User]:
    """Drafting and reviewing staff of 财政局, a reviewer of 住建局, and a handler."""
    return {
        "editor": make_user("czj_editor", Role.EDITOR, agency_id=agencies["czj"]),
        "reviewer": make_user("czj_reviewer", Role.REVIEWER, agency_id=agencies["czj"]),
        "other": make_user("zjj_reviewer", Role.EDITOR, Role.REVIEWER,
                           agency_id=agencies["zjj"]),
        "handler": make_user("czj_handler", Role.HANDLER, agency_id=agencies["czj"]),
    }


def consultation_data(agency_id: int, **overrides: Any) -> ConsultationData:
    values: dict[str, Any] = {
        "agency_id": agency_id, "kind": "normative",
        "title": "示例市政务服务中心运行管理办法（征求意见稿）",
        "draft_text": DRAFT, "explanation": "为落实政务公开要求，起草了本办法。",
        "contact": "市财政局办公室，0000-12345611", "opens_on": MONDAY,
        "closes_on": MONDAY + dt.timedelta(days=14),
        "legal_basis": "《中华人民共和国政府信息公开条例》",
        "how_to_comment": "来信请寄示例市建设路18号。",
    }
    values.update(overrides)
    return ConsultationData(**values)


Publisher = Callable[..., int]


@pytest.fixture
def publish(staff: dict[str, User], agencies: dict[str, int], today: SetClock) -> Publisher:
    """Draft, submit and approve a consultation through the services; returns its id."""

    def make(**overrides: Any) -> int:
        data = consultation_data(agencies["czj"], **overrides)
        consultation_id = drafting.create(staff["editor"], data, origin=COMMAND_LINE)
        drafting.submit(staff["editor"], consultation_id, origin=COMMAND_LINE)
        drafting.review(staff["reviewer"], consultation_id, approve=True,
                        opinion="经保密审查，同意发布。", origin=COMMAND_LINE)
        return consultation_id

    return make
