"""Fixtures of the request tests: an encryption key, agencies, a filed request."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from opengov.site.db import get_session
from opengov.site.domain.request_clock import Channel
from opengov.site.models import InfoRequest
from opengov.site.services import requests as request_service
from opengov.site.services.personal_data import key_from_secret
from tests.factories import make_agency

VALID_ID = "11010519491231002X"
VALID_USCC = "91350100M000100Y43"


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    app_config["PERSONAL_DATA_KEY"] = key_from_secret("test personal data key")
    app_config["REQUEST_MIN_FILL_SECONDS"] = 0
    return app_config


def application(**overrides: str) -> request_service.Application:
    values: dict[str, str] = {
        "applicant_kind": "自然人", "name": "张三", "id_type": "居民身份证",
        "id_number": VALID_ID, "phone": "13800000000", "email": "zhangsan@example.com",
        "address": "示例市人民路100号", "description": "2024年度城市绿化经费的使用情况",
        "carrier": "电子", "delivery": "电子邮件", "doc_title": "", "doc_number": "",
    }
    values.update(overrides)
    return request_service.Application(**values)


@pytest.fixture
def file_request(db_session: Session) -> Callable[..., tuple[InfoRequest, str]]:
    """File a request through the service: ``file_request(channel=..., received_on=...)``."""

    def make(channel: Channel = Channel.IN_PERSON,
             received_on: dt.date = dt.date(2025, 9, 26), agency: str = "gov",
             confirmed_on: dt.date | None = None, **fields: str) -> tuple[InfoRequest, str]:
        session: Session = get_session()
        filed, code = request_service.file_request(
            session, make_agency(session, agency), application(**fields), channel,
            received_on, confirmed_on=confirmed_on, refuse_duplicates=False)
        session.commit()
        return filed, code

    return make
