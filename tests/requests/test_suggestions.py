"""Before filing: the request form shows published documents matching what the applicant
typed, while typing (the script asks a read-only fragment) and without JavaScript on the
review page, so that information already public is found without a request."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from opengov.site.db import unit_of_work
from opengov.site.search.service.index import get_backend, process_outbox
from opengov.site.search.service.statistics import spool_path
from tests.factories import make_agency, make_document
from tests.requests.test_public_pages import form_data


def _published(db_session: Session) -> int:
    get_backend().ensure_index()
    with unit_of_work() as session:
        make_document(session, title="示例市城市绿化管理办法", doc_number="示政发〔2024〕8号")
        make_document(session, title="无关文件", doc_number="示政发〔2024〕9号")
        agency = make_agency(session, "czj").id
    process_outbox()
    return agency


def test_the_review_page_lists_what_is_already_public(client: FlaskClient,
                                                      db_session: Session) -> None:
    agency = _published(db_session)
    data = form_data(agency, client, doc_number="示政发[2024]8号", description="")
    review = client.post("/requests/new", data=data)
    assert review.status_code == 200
    page = review.get_data(as_text=True)
    assert "本站已公开的相关文件" in page
    assert "示例市城市绿化管理办法" in page
    assert "无需提交申请" in page
    assert "确认提交" in page  # the applicant may still file


def test_the_fragment_the_form_asks_while_typing(client: FlaskClient,
                                                 db_session: Session) -> None:
    _published(db_session)
    fragment = client.get("/requests/suggestions?title=城市绿化管理办法").get_data(as_text=True)
    assert "示例市城市绿化管理办法" in fragment
    assert client.get("/requests/suggestions?title=x").get_data(as_text=True).strip() == ""
    assert client.get("/requests/suggestions").status_code == 200
    # What applicants type is not counted among the site's searches (热门搜索).
    assert not spool_path().exists() or "绿化" not in spool_path().read_text("utf-8")
    form = client.get("/requests/new").get_data(as_text=True)
    assert 'id="request-suggestions"' in form
    assert "js/requests.js" in form
