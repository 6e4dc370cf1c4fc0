"""The audit log: entries for staff actions, append-only, filters, CSV, retention."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from opengov.site.accounts.rules.roles import Role
from opengov.site.audit import service as audit
from opengov.site.audit.models import AuditEntry, AuditLogAppendOnlyError
from opengov.site.audit.service import AuditAction, Origin
from opengov.site.db import get_session, unit_of_work
from opengov.site.exceptions import ForbiddenError, InvalidInputError


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


def test_entries_cannot_be_changed_or_deleted(app: Flask) -> None:
    with app.app_context():
        with unit_of_work() as session:
            entry = audit.record(session, AuditAction.SETTINGS, actor=None,
                                 origin=Origin("1.2.3.4"), detail="x")
        with pytest.raises(AuditLogAppendOnlyError), unit_of_work():
            entry.detail = "tampered"
        with pytest.raises(AuditLogAppendOnlyError), unit_of_work() as session:
            session.delete(entry)


def test_purge_never_deletes_entries_younger_than_retention(app: Flask) -> None:
    now = dt.datetime(2026, 11, 23, 12, 0)
    with app.app_context():
        # Entries are written "now" by audit.record; aged ones can only be inserted as rows.
        with unit_of_work() as session:
            for age in (183, 184, 185, 400):
                session.add(AuditEntry(action="login", username=f"age{age}",
                                       at=now - dt.timedelta(days=age, seconds=1)))
        with pytest.raises(InvalidInputError, match="184"), unit_of_work() as session:
            audit.purge(session, 183, now=now)
        with unit_of_work() as session:
            assert audit.purge(session, 184, now=now) == 3
        left = get_session().scalars(select(AuditEntry.username)).all()
    assert left == ["age183"]


def test_admin_filters_and_exports(app: Flask, make_user: Callable[..., object],
                                   client_for: Callable[[str], FlaskClient]) -> None:
    make_user("boss", Role.ADMIN)
    make_user("li", Role.EDITOR)
    client_for("li")
    admin = client_for("boss")
    with app.app_context(), unit_of_work() as session:
        audit.record(session, AuditAction.EDIT, actor=None, origin=Origin("10.0.0.9", "=cmd"),
                     username="li", object_type="document", object_id=7, detail="=HYPERLINK()")
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


def test_the_log_reads_in_beijing_time_days_included(
        app: Flask, make_user: Callable[..., object],
        client_for: Callable[[str], FlaskClient]) -> None:
    make_user("boss", Role.ADMIN)
    admin = client_for("boss")
    # 2026-11-22 17:00:05 UTC is 2026-11-23 01:00:05 in Beijing.
    with app.app_context(), unit_of_work() as session:
        session.add(AuditEntry(action="edit", username="night-shift",
                               at=dt.datetime(2026, 11, 22, 17, 0, 5)))
    page = admin.get("/staff/audit?date_from=2026-11-23&date_to=2026-11-23").get_data(
        as_text=True)
    assert "night-shift" in page
    assert "2026-11-23 01:00:05" in page
    assert "UTC" not in page
    page = admin.get("/staff/audit?date_to=2026-11-22").get_data(as_text=True)
    assert "night-shift" not in page


def test_only_administrators_read_the_log(app: Flask,
                                          make_user: Callable[..., object]) -> None:
    li = make_user("li", Role.EDITOR, Role.REVIEWER, Role.HANDLER)
    with app.app_context():
        with pytest.raises(ForbiddenError):
            audit.entries_page(li, audit.AuditFilter())
        with pytest.raises(ForbiddenError):
            audit.export_csv(li, audit.AuditFilter())
