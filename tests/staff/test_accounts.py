"""Accounts: revocable sessions, throttling without enumeration, password policy, CLI."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import event, select, update

from opengov.site import clock
from opengov.site.accounts.models import LoginFailure, StaffSession, User
from opengov.site.accounts.rules.passwords import PasswordPolicy, password_problems
from opengov.site.accounts.rules.roles import Role
from opengov.site.accounts.service import users as accounts
from opengov.site.audit.models import AuditEntry
from opengov.site.audit.service import Origin
from opengov.site.cli import main
from opengov.site.db import get_database, get_session, unit_of_work
from opengov.site.exceptions import ForbiddenError
from tests.conftest import TEST_PASSWORD
from tests.staff.conftest import sign_in


def _sessions(app: Flask) -> list[StaffSession]:
    with app.app_context():
        return list(get_session().scalars(select(StaffSession).order_by(StaffSession.created_at)))


def test_password_policy() -> None:
    policy = PasswordPolicy(min_length=12, min_classes=2)
    assert password_problems("short1A", policy)
    assert password_problems("alllowercaseletters", policy)  # one class only
    assert password_problems("zhangsan-2026-secret", policy, username="zhangsan")
    assert password_problems("aaaaaaaaaaaaaa", PasswordPolicy(12, 0))
    assert password_problems("正确的马电池订书钉-2026", policy) == []
    assert password_problems("Correct horse battery", policy) == []


def test_sign_in_opens_a_server_side_session_with_a_new_token_each_time(
        app: Flask, client: FlaskClient, make_user: Callable[..., object]) -> None:
    make_user("li", Role.EDITOR)
    sign_in(client, "li")
    with client.session_transaction() as cookie:
        first = cookie["staff_token"]
    sign_in(client, "li")
    with client.session_transaction() as cookie:
        second = cookie["staff_token"]
    assert first != second
    rows = _sessions(app)
    assert len(rows) == 2
    assert first not in {row.token_hash for row in rows}  # only the hash is stored
    assert client.get("/staff/").status_code == 200


def test_logout_revokes_the_session_even_if_the_cookie_is_replayed(
        app: Flask, client: FlaskClient, make_user: Callable[..., object]) -> None:
    make_user("li", Role.EDITOR)
    sign_in(client, "li")
    with client.session_transaction() as cookie:
        saved = dict(cookie)
    assert client.post("/staff/logout").status_code == 302
    with client.session_transaction() as cookie:
        cookie.update(saved)  # an attacker who copied the cookie before the logout
    response = client.get("/staff/")
    assert response.status_code == 302
    assert "/staff/login" in response.headers["Location"]


def test_password_change_and_disabling_end_other_sessions(
        app: Flask, make_user: Callable[..., object],
        client_for: Callable[[str], FlaskClient]) -> None:
    make_user("li", Role.EDITOR)
    make_user("boss", Role.ADMIN)
    laptop, phone = client_for("li"), client_for("li")
    response = laptop.post("/staff/account/password", data={
        "current": TEST_PASSWORD, "new": "新的长密码-Secret-2027", "confirm": "新的长密码-Secret-2027"})
    assert response.status_code == 302
    assert laptop.get("/staff/").status_code == 200  # this browser stays signed in
    assert phone.get("/staff/").status_code == 302  # the other one is out

    admin = client_for("boss")
    with app.app_context():
        li_id = get_session().scalars(select(User.id).where(User.username == "li")).one()
    response = admin.post(f"/staff/users/{li_id}", data={
        "display_name": "li", "email": "", "agency": "", "roles": ["editor"]})  # no "active"
    assert response.status_code == 302
    assert laptop.get("/staff/").status_code == 302


def test_weak_new_password_is_refused_beside_the_field(
        client: FlaskClient, make_user: Callable[..., object]) -> None:
    make_user("li", Role.EDITOR)
    sign_in(client, "li")
    response = client.post("/staff/account/password", data={
        "current": TEST_PASSWORD, "new": "short", "confirm": "short"})
    assert response.status_code == 200
    assert "密码至少需要 12 个字符" in response.get_data(as_text=True)


def test_idle_session_times_out(app: Flask, client: FlaskClient,
                                make_user: Callable[..., object],
                                audit_actions: Callable[[], list[tuple[str, str]]]) -> None:
    make_user("li", Role.EDITOR)
    sign_in(client, "li")
    with app.app_context(), unit_of_work() as session:
        session.execute(update(StaffSession).values(
            last_seen_at=dt.datetime(2020, 1, 1), created_at=dt.datetime(2020, 1, 1)))
    assert client.get("/staff/").status_code == 302
    assert ("session_expired", "li") in audit_actions()
    assert all(row.revoked_at is not None for row in _sessions(app))


def _fail(client: FlaskClient, username: str, times: int) -> None:
    for _ in range(times):
        response = client.post("/staff/login", data={"username": username, "password": "wrong"})
        assert response.status_code == 200
        assert "用户名或密码错误" in response.get_data(as_text=True)


def test_lockout_after_repeated_failures_looks_the_same_for_unknown_names(
        app: Flask, client: FlaskClient, make_user: Callable[..., object],
        audit_actions: Callable[[], list[tuple[str, str]]]) -> None:
    make_user("li", Role.EDITOR)
    _fail(client, "li", 5)
    locked = client.post("/staff/login", data={"username": "li", "password": TEST_PASSWORD})
    assert locked.status_code == 429
    _fail(client, "nobody", 5)
    unknown = client.post("/staff/login", data={"username": "nobody", "password": "x"})
    assert unknown.status_code == 429
    assert locked.get_data(as_text=True) == unknown.get_data(as_text=True).replace(
        'value="nobody"', 'value="li"')
    assert ("login_locked", "li") in audit_actions()
    assert audit_actions().count(("login_failed", "li")) == 5

    # The lock lifts once the failures are older than the lock-out period.
    with app.app_context(), unit_of_work() as session:
        session.execute(update(LoginFailure).values(at=dt.datetime(2020, 1, 1)))
    sign_in(client, "li")
    with app.app_context():
        remaining = get_session().scalars(
            select(LoginFailure).where(LoginFailure.username == "li")).all()
    assert remaining == []


def test_disabled_account_cannot_sign_in(client: FlaskClient, app: Flask,
                                         make_user: Callable[..., User]) -> None:
    make_user("li", Role.EDITOR)
    with app.app_context(), unit_of_work() as session:
        session.execute(update(User).values(active=False))
    response = client.post("/staff/login", data={"username": "li", "password": TEST_PASSWORD})
    assert "用户名或密码错误" in response.get_data(as_text=True)


def test_open_redirect_is_refused(client: FlaskClient, make_user: Callable[..., object]) -> None:
    make_user("li", Role.EDITOR)
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post("/staff/login?next=" + target,
                               data={"username": "li", "password": TEST_PASSWORD})
        assert response.headers["Location"].endswith("/staff/"), target


def test_create_admin_cli(runner: FlaskCliRunner, app: Flask,
                          client: FlaskClient) -> None:
    result = runner.invoke(main, args=["create-admin", "boss", "--password", "short"])
    assert result.exit_code != 0
    assert "至少需要 12 个字符" in result.output
    result = runner.invoke(main, args=["create-admin", "boss", "--display-name", "王主任",
                                 "--password", TEST_PASSWORD])
    assert result.exit_code == 0, result.output
    sign_in(client, "boss")
    assert client.get("/staff/users").status_code == 200
    result = runner.invoke(main, args=["create-admin", "BOSS", "--password", TEST_PASSWORD])
    assert "已被使用" in result.output


def test_admin_creates_account_with_several_roles(
        app: Flask, make_user: Callable[..., object],
        client_for: Callable[[str], FlaskClient]) -> None:
    make_user("boss", Role.ADMIN)
    admin = client_for("boss")
    response = admin.post("/staff/users/new", data={
        "username": "zhao", "display_name": "赵", "email": "zhao@example.gov.cn", "agency": "",
        "roles": ["editor", "reviewer"], "active": "y", "password": "太短"})
    assert "密码至少需要" in response.get_data(as_text=True)
    assert 'value="zhao"' in response.get_data(as_text=True)  # what was typed is kept
    response = admin.post("/staff/users/new", data={
        "username": "zhao", "display_name": "赵", "email": "zhao@example.gov.cn", "agency": "",
        "roles": ["editor", "reviewer"], "active": "y", "password": TEST_PASSWORD})
    assert response.status_code == 302
    with app.app_context():
        user = get_session().scalars(select(User).where(User.username == "zhao")).one()
        assert user.roles == {Role.EDITOR, Role.REVIEWER}


def test_admin_cannot_lock_themselves_out(app: Flask, make_user: Callable[..., User],
                                          client_for: Callable[[str], FlaskClient]) -> None:
    boss = make_user("boss", Role.ADMIN)
    admin = client_for("boss")
    response = admin.post(f"/staff/users/{boss.id}", data={
        "display_name": "boss", "agency": "", "roles": ["editor"], "active": "y"})
    assert "不能停用自己的账户" in response.get_data(as_text=True)
    # Adding a role to oneself ends the old sessions but keeps this browser signed in.
    response = admin.post(f"/staff/users/{boss.id}", data={
        "display_name": "boss", "agency": "", "roles": ["admin", "editor"], "active": "y"})
    assert response.status_code == 302
    assert admin.get("/staff/users").status_code == 200


@pytest.mark.parametrize("days", [30, 183])
def test_audit_purge_refuses_short_retention(runner: FlaskCliRunner, days: int) -> None:
    result = runner.invoke(main, args=["audit", "purge", "--days", str(days)])
    assert result.exit_code != 0
    assert "184" in result.output


def test_audit_purge_deletes_old_entries_and_old_failures_and_says_so(
        app: Flask, runner: FlaskCliRunner,
        audit_actions: Callable[[], list[tuple[str, str]]]) -> None:
    long_ago = clock.utcnow() - dt.timedelta(days=400)
    with app.app_context(), unit_of_work() as session:
        session.add(AuditEntry(action="login", username="old", at=long_ago))
        accounts.record_failure(session, "old", "10.0.0.1", now=long_ago)
        accounts.record_failure(session, "recent", "10.0.0.1")
    result = runner.invoke(main, args=["audit", "purge"])
    assert result.exit_code == 0, result.output
    assert "已删除 1 条超过 184 天的审计日志" in result.output
    assert audit_actions() == [("purge", "(命令行)")]
    with app.app_context():
        assert get_session().scalars(select(LoginFailure.username)).all() == ["recent"]


@pytest.fixture
def strict_ip(app_config: dict[str, object]) -> None:
    app_config["LOGIN_MAX_FAILURES_PER_IP"] = 3


@pytest.mark.usefixtures("strict_ip")
def test_one_address_guessing_many_names_is_blocked(client: FlaskClient,
                                                   make_user: Callable[..., object]) -> None:
    make_user("li", Role.EDITOR)
    for name in ("a", "b", "c"):
        _fail(client, name, 1)
    response = client.post("/staff/login", data={"username": "li", "password": TEST_PASSWORD})
    assert response.status_code == 429


def test_admin_resets_password_and_ends_sessions(
        app: Flask, make_user: Callable[..., User],
        client_for: Callable[[str], FlaskClient],
        audit_actions: Callable[[], list[tuple[str, str]]]) -> None:
    make_user("boss", Role.ADMIN)
    li = make_user("li", Role.EDITOR)
    admin, laptop = client_for("boss"), client_for("li")
    admin.post(f"/staff/users/{li.id}/password", data={"password": "短"})
    assert laptop.get("/staff/").status_code == 200  # refused reset changes nothing
    admin.post(f"/staff/users/{li.id}/password", data={"password": "重置后的密码-Reset-2027"})
    assert laptop.get("/staff/").status_code == 302
    sign_in(laptop, "li", "重置后的密码-Reset-2027")
    page = admin.post(f"/staff/users/{li.id}/sessions/revoke",
                      follow_redirects=True).get_data(as_text=True)
    assert "已结束 li 的 1 个登录会话" in page
    assert laptop.get("/staff/").status_code == 302
    assert ("password_changed", "boss") in audit_actions()
    assert ("account", "boss") in audit_actions()


def _writes_during(app: Flask, request: Callable[[], object]) -> list[str]:
    """The INSERT/UPDATE/DELETE statements the database received while ``request`` ran."""
    with app.app_context():
        engine = get_database().engine
    writes: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.lstrip().split(" ", 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}:
            writes.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        request()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return writes


def test_staff_pages_note_the_last_activity_at_most_once_a_minute(
        app: Flask, client: FlaskClient, make_user: Callable[..., object]) -> None:
    make_user("li", Role.EDITOR)
    sign_in(client, "li")
    [signed_in] = _sessions(app)
    assert _writes_during(app, lambda: client.get("/staff/")) == []
    [unchanged] = _sessions(app)
    assert unchanged.last_seen_at == signed_in.last_seen_at

    two_minutes_ago = signed_in.last_seen_at - dt.timedelta(minutes=2)
    with app.app_context(), unit_of_work() as session:
        session.execute(update(StaffSession).values(last_seen_at=two_minutes_ago))
    writes = _writes_during(app, lambda: client.get("/staff/"))
    assert len(writes) == 1
    assert writes[0].lstrip().startswith("UPDATE staff_sessions")
    [touched] = _sessions(app)
    assert touched.last_seen_at >= signed_in.last_seen_at


def test_account_services_refuse_everyone_but_administrators(
        app: Flask, make_user: Callable[..., User]) -> None:
    li = make_user("li", Role.EDITOR, Role.REVIEWER, Role.HANDLER)
    origin = Origin("10.0.0.1")
    calls: list[Callable[[], object]] = [
        lambda: accounts.list_accounts(li),
        lambda: accounts.get_account(li, li.id),
        lambda: accounts.create_account(
            li, username="zhao", display_name="赵", email="", password=TEST_PASSWORD,
            roles=frozenset({Role.ADMIN}), agency_id=None, active=True, origin=origin),
        lambda: accounts.update_account(
            li, li.id, display_name="li", email="", roles=frozenset({Role.ADMIN}),
            active=True, agency_id=None, origin=origin),
        lambda: accounts.reset_password(li, li.id, "新的长密码-Secret-2027", origin=origin),
        lambda: accounts.end_sessions(li, li.id, origin=origin),
    ]
    with app.app_context():
        for call in calls:
            with pytest.raises(ForbiddenError, match="系统管理员"):
                call()
        user = get_session().get(User, li.id)
        assert user is not None
        assert user.roles == {Role.EDITOR, Role.REVIEWER, Role.HANDLER}
        assert get_session().scalars(select(User.username)).all() == ["li"]


def test_unknown_account_is_a_404(make_user: Callable[..., object],
                                  client_for: Callable[[str], FlaskClient]) -> None:
    make_user("boss", Role.ADMIN)
    admin = client_for("boss")
    response = admin.get("/staff/users/999999")
    assert response.status_code == 404
    assert "没有这个账户" in response.get_data(as_text=True)
    assert admin.post("/staff/users/999999/sessions/revoke").status_code == 404


def test_dashboard_shows_sign_in_times_in_beijing_time(
        app: Flask, client: FlaskClient, make_user: Callable[..., object]) -> None:
    make_user("li", Role.EDITOR)
    sign_in(client, "li")
    [record] = _sessions(app)
    page = client.get("/staff/").get_data(as_text=True)
    assert clock.to_beijing(record.created_at).strftime("%Y-%m-%d %H:%M") in page
    assert "UTC" not in page
