"""Fixtures of the request tests: an encryption key, agencies, a filed request, a step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from opengov.site.db import unit_of_work
from opengov.site.personal_data import key_from_secret
from opengov.site.requests.models import InfoRequest
from opengov.site.requests.rules.clock import Channel, EventKind, RequestState
from opengov.site.requests.service import handling as request_service
from tests.factories import VALID_ID, VALID_USCC, make_agency  # noqa: F401 — used by the request tests
from tests.factories import make_application as application


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    app_config["PERSONAL_DATA_KEY"] = key_from_secret("test personal data key")
    app_config["REQUEST_MIN_FILL_SECONDS"] = 0
    return app_config


@pytest.fixture
def file_request(db_session: Session) -> Callable[..., tuple[InfoRequest, str]]:
    """File a request through the service: ``file_request(channel=..., received_on=...)``."""

    def make(channel: Channel = Channel.IN_PERSON,
             received_on: dt.date = dt.date(2025, 9, 26), agency: str = "gov",
             confirmed_on: dt.date | None = None, **fields: str) -> tuple[InfoRequest, str]:
        with unit_of_work() as session:
            return request_service.file_request(
                session, make_agency(session, agency), application(**fields), channel,
                received_on, confirmed_on=confirmed_on, refuse_duplicates=False)

    return make


def record(filed: InfoRequest, kind: EventKind, on: dt.date,
           data: dict[str, Any] | None = None) -> RequestState:
    """Record a step of ``filed`` through the service, committed in a unit of work of its own."""
    with unit_of_work() as session:
        return request_service.record(session, filed, kind, on, data)

from tests.support.smtp import Inbox  # noqa: E402, F401 — request tests import it from here
