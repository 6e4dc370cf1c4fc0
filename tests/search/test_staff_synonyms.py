"""Staff extend the synonym table through the back office."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from opengov.site.accounts.rules.roles import Role
from opengov.site.search.models import Synonym

PAGE = "/staff/search/synonyms"


def test_editor_adds_and_deletes_synonyms(client: FlaskClient, make_user: Callable[..., object],
                                          login: Callable[[str], None],
                                          db_session: Session) -> None:
    make_user("editor1", Role.EDITOR)
    login("editor1")
    added = client.post(PAGE, data={"term": "低保金", "synonym": "最低生活保障金"},
                        follow_redirects=True)
    assert "已添加同义词：低保金 → 最低生活保障金" in added.get_data(as_text=True)
    synonym = db_session.scalars(select(Synonym).where(Synonym.term == "低保金")).one()
    missing = client.post(PAGE, data={"term": "医保卡", "synonym": ""})
    html = missing.get_data(as_text=True)
    assert "请填写同时搜索的词" in html
    assert 'value="医保卡"' in html
    client.post(f"{PAGE}/{synonym.id}/delete", follow_redirects=True)
    db_session.expire_all()
    assert db_session.get(Synonym, synonym.id) is None


def test_synonyms_page_needs_an_editor(client: FlaskClient, make_user: Callable[..., object],
                                       login: Callable[[str], None]) -> None:
    assert client.get(PAGE).status_code == 302
    make_user("handler1", Role.HANDLER)
    login("handler1")
    assert client.get(PAGE).status_code == 403
