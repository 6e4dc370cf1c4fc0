"""The audit log: entries for staff actions, append-only, filters, CSV, retention."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from opengov.site.accounts.rules.roles import Role
from opengov.site.audit import service as audit
from opengov.site.audit.models import AuditEntry, AuditLogAppendOnlyError
from opengov.site.audit.service import AuditAction, Origin
from opengov.site.db import get_session


def test_sign_in_and_out_are_recorded_with_origin(
        app: Flask, make_user: Callable[..., object], client: FlaskClient) -> None:
    make_user("li", Role.EDITOR)
    client.post("/staff/login", data={"username": "li", "password": "wrong"},
                headers={"User-Agent": "TestBrowser/1.0"})
    client.post("/staff/login", data={"username": "li", "password": "正确的马电池订书钉-2026"},
                headers={"User-Agent": "TestBrowser/1.0"})
    client.post("/staff/logout")
    with app.app_context():
        entries = get_session().scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.username) for e in entries] == [
        ("login_failed", "li"), ("login", "li"), ("logout", "li")]
    assert entries[1].ip == "127.0.0.1"
    assert entries[1].user_agent == "TestBrowser/1.0"
    assert entries[1].user_id is not None


def test_entries_cannot_be_changed_or_deleted(db_session: Session) -> None:
    entry = audit.record(db_session, AuditAction.SETTINGS, actor=None, origin=Origin("1.2.3.4"),
                         detail="x")
    db_session.commit()
    entry.detail = "tampered"
    with pytest.raises(AuditLogAppendOnlyError):
        db_session.commit()
    db_session.rollback()
    db_session.delete(entry)
    with pytest.raises(AuditLogAppendOnlyError):
        db_session.commit()


def test_purge_never_deletes_entries_younger_than_retention(db_session: Session) -> None:
    now = dt.datetime(2026, 11, 23, 12, 0)
    for age in (183, 184, 185, 400):
        db_session.add(AuditEntry(action="login", username=f"age{age}",
                                  at=now - dt.timedelta(days=age, seconds=1)))
    db_session.commit()
    with pytest.raises(ValueError, match="184"):
        audit.purge(db_session, 183, now=now)
    assert audit.purge(db_session, 184, now=now) == 3
    db_session.commit()
    left = db_session.scalars(select(AuditEntry.username)).all()
    assert left == ["age183"]


def test_admin_filters_and_exports(app: Flask, make_user: Callable[..., object],
                                   client_for: Callable[[str], FlaskClient]) -> None:
    make_user("boss", Role.ADMIN)
    make_user("li", Role.EDITOR)
    client_for("li")
    admin = client_for("boss")
    with app.app_context():
        session = get_session()
        audit.record(session, AuditAction.EDIT, actor=None, origin=Origin("10.0.0.9", "=cmd"),
                     username="li", object_type="document", object_id=7, detail="=HYPERLINK()")
        session.commit()
    page = admin.get("/staff/audit?username=li&action=login").get_data(as_text=True)
    assert "登录" in page
    assert "10.0.0.9" not in page
    page = admin.get("/staff/audit?ip=10.0.0.9").get_data(as_text=True)
    assert "document #7" in page
    response = admin.get("/staff/audit.csv?username=li")
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff时间(UTC),用户,操作")
    assert "'=HYPERLINK()" in text
    assert "'=cmd" in text
    assert "boss" not in text
