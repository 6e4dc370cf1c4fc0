"""Search fixtures: a Whoosh index in the test's instance folder and published documents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from opengov.site.catalog.models import Document
from opengov.site.catalog.rules.metadata import Validity
from opengov.site.db import unit_of_work
from opengov.site.search.service.index import get_backend, process_outbox
from tests.factories import make_document

#: A dead port: a real Elasticsearch backend that cannot connect (the engine is down).
DOWN_URL = "http://127.0.0.1:9"


@pytest.fixture
def indexed(app: Flask, db_session: Session) -> Callable[..., Document]:
    """Publish a document and apply the outbox, as the site and its index worker do."""
    get_backend().ensure_index()

    def publish(**fields: Any) -> Document:
        with unit_of_work() as session:
            document = make_document(session, **fields)
        process_outbox()
        return document

    return publish


@pytest.fixture
def sample(indexed: Callable[..., Document]) -> dict[str, Document]:
    return {
        "regulation": indexed(title="示例市政府信息公开实施办法", doc_number="示政发〔2023〕7号",
                              body="为了保障公民依法获取政府信息，根据《中华人民共和国政府信息公开条例》制定本办法。",
                              published_on=dt.date(2023, 5, 1)),
        "old": indexed(title="示例市政府信息公开实施办法", doc_number="示政发〔2015〕2号",
                       body="为了保障公民依法获取政府信息，制定本办法。", validity=Validity.AMENDED,
                       published_on=dt.date(2015, 3, 1)),
        "cars": indexed(title="关于规范公务用车管理的通知", doc_number="示财发〔2024〕12号",
                        body="各单位严格执行公務用車编制和配备标准，压减三公经费。",
                        agency="czj", category="sangong", published_on=dt.date(2024, 6, 1)),
        "news": indexed(title="我市召开政务公开工作推进会", doc_number="", genre="新闻动态",
                        body="会议要求进一步做好政务公开和政务服务工作。", category="news",
                        published_on=dt.date(2024, 7, 1)),
    }
