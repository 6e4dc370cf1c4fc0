"""Fixtures of the 好差评 tests: a published item, a closed request with its query code."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from opengov.site.db import unit_of_work
from opengov.site.personal_data import key_from_secret
from opengov.site.requests.models import InfoRequest
from opengov.site.requests.rules.clock import Channel, EventKind
from opengov.site.requests.service import handling as request_service
from tests.factories import make_agency, make_application
from tests.service_items.conftest import agencies, publish_item, staff  # noqa: F401 - fixtures


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    app_config["PERSONAL_DATA_KEY"] = key_from_secret("test personal data key")
    app_config["RATING_MIN_PUBLIC"] = 3
    return app_config


Filer = Callable[..., tuple[InfoRequest, str]]


@pytest.fixture
def closed_request(db_session: Session, agencies: dict[str, int]) -> Filer:  # noqa: F811
    """A request to 民政局 filed in person and answered (已答复); returns it and its code."""

    def make(answered: bool = True, received_on: dt.date = dt.date(2025, 9, 1)) -> tuple[
            InfoRequest, str]:
        with unit_of_work() as session:
            filed, code = request_service.file_request(
                session, make_agency(session, "mzj"), make_application(), Channel.IN_PERSON,
                received_on, refuse_duplicates=False)
            if answered:
                for kind, on, data in (
                        (EventKind.DECIDED, received_on + dt.timedelta(days=10),
                         {"outcome": "1", "detail": "予以公开。"}),
                        (EventKind.SIGNED_OFF, received_on + dt.timedelta(days=11),
                         {"signer": "李四"}),
                        (EventKind.REPLIED, received_on + dt.timedelta(days=12),
                         {"delivery": "电子邮件"})):
                    request_service.record(session, filed, kind, on, data)
            return filed, code

    return make
