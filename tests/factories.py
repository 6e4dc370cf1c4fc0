"""Test data made the way the services make it.

:func:`make_agency` and :func:`make_document` are composable: they take the caller's session
and never commit, so a test calls them inside ``unit_of_work()`` (reads outside a unit of work
are read-only).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from opengov.site.agencies.models import Agency
from opengov.site.agencies.service import find_agency
from opengov.site.catalog.models import Document
from opengov.site.catalog.rules.metadata import Disclosure, PublicationStatus, Validity
from opengov.site.catalog.service.columns import category_by_slug, issue_index_no
from opengov.site.catalog.service.outbox import enqueue
from opengov.site.requests.service.handling import Application

AGENCIES = {
    "gov": ("示例市人民政府", "007000001", "government"),
    "czj": ("示例市财政局", "007000002", "department"),
    "zjj": ("示例市住房和城乡建设局", "007000003", "department"),
    "qsz": ("示例市青石镇人民政府", "007000010", "township"),
}


def make_agency(session: Session, code: str = "gov", **fields: Any) -> Agency:
    """The agency ``code`` (one of :data:`AGENCIES` unless ``name``/``org_code`` given)."""
    existing = find_agency(code)
    if existing is not None:
        return existing
    name, org_code, kind = AGENCIES.get(code, (f"测试机关{code}", f"T{code}", "department"))
    values: dict[str, Any] = {"name": name, "org_code": org_code, "kind": kind,
                              "office_name": f"{name}办公室", "address": "示例市人民路1号",
                              "office_hours": "工作日 9:00-12:00，13:30-17:30",
                              "phone": "0000-12345678", "fax": "0000-12345679",
                              "email": "gk@example.gov.cn"}
    values.update(fields)
    agency = Agency(code=code, **values)
    if code != "gov" and "parent" not in fields:
        agency.parent = make_agency(session, "gov")
    session.add(agency)
    session.flush()
    return agency


def make_document(session: Session, *, agency: str = "gov", category: str = "policies",
                  published: bool = True, **fields: Any) -> Document:
    """A document with plausible catalog metadata; published and public unless told."""
    owner = make_agency(session, agency)
    column = category_by_slug(session, category)
    assert column is not None, f"unknown category {category}"
    published_on = fields.pop("published_on", dt.date(2024, 3, 1))
    values: dict[str, Any] = {
        "title": "关于进一步做好政务公开工作的通知",
        "summary": "部署政务公开重点工作。",
        "body": "## 一、总体要求\n\n各单位要按照条例要求做好政府信息公开工作。",
        "genre": "行政规范性文件",
        "issuer": owner.name,
        "doc_number": "示政办发〔2024〕3号",
        "date_written": published_on - dt.timedelta(days=3),
        "published_on": published_on,
        "topic": "综合政务\\政务公开",
        "keywords": "政务公开、政府信息公开",
        "validity": Validity.VALID,
        "disclosure": Disclosure.PROACTIVE,
        "status": PublicationStatus.PUBLISHED if published else PublicationStatus.DRAFT,
    }
    values.update(fields)
    document = Document(agency=owner, category=column, **values)
    if published and document.index_no is None:
        document.index_no = issue_index_no(session, owner, published_on.year)
    session.add(document)
    session.flush()
    enqueue(session, document.id)
    return document


VALID_ID = "11010519491231002X"
VALID_USCC = "91350100M000100Y43"


def make_application(**overrides: str) -> Application:
    """The Art. 29 fields of a request by 张三, a natural person, unless overridden."""
    values: dict[str, str] = {
        "applicant_kind": "自然人", "name": "张三", "id_type": "居民身份证",
        "id_number": VALID_ID, "phone": "13800000000", "email": "zhangsan@example.com",
        "address": "示例市人民路100号", "description": "2024年度城市绿化经费的使用情况",
        "carrier": "电子", "delivery": "电子邮件", "doc_title": "", "doc_number": "",
    }
    values.update(overrides)
    return Application(**values)
