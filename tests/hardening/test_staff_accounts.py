"""Staff accounts as 等保 2.0 expects them: an administrator's initial or reset password is
replaced at first sign-in; administrators sign in with a second factor (TOTP), others may;
recovery codes work once; the 修改密码 link is readable on every staff page."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient

from opengov.site.accounts.rules.roles import Role
from opengov.site.personal_data import key_from_secret
from tests.conftest import TEST_PASSWORD

NEW_PASSWORD = "换一个只有我知道的密码-2026"


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    app_config.update(TOTP_REQUIRED_FOR_ADMINS=True,
                      PERSONAL_DATA_KEY=key_from_secret("test personal data key"))
    return app_config


def sign_in(client: FlaskClient, username: str, password: str = TEST_PASSWORD) -> Any:
    return client.post("/staff/login", data={"username": username, "password": password})


def enrol(client: FlaskClient) -> tuple[str, list[str]]:
    page = client.get("/staff/account/second-factor").get_data(as_text=True)
    secret = re.search(r'name="secret" type="hidden" value="([A-Z2-7]+)"', page)
    assert secret is not None
    code = pyotp.TOTP(secret.group(1)).now()
    done = client.post("/staff/account/second-factor",
                       data={"secret": secret.group(1), "code": code})
    assert done.status_code == 200
    codes = re.findall(r"<code>([A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4})</code>",
                       done.get_data(as_text=True))
    assert len(codes) == 10
    return secret.group(1), codes


def test_an_administrators_initial_password_must_be_changed_first(
        client: FlaskClient, make_user: Callable[..., Any], app: Flask) -> None:
    app.config["TOTP_REQUIRED_FOR_ADMINS"] = False
    make_user("chief", Role.ADMIN)
    assert sign_in(client, "chief").status_code == 302
    created = client.post("/staff/users/new", data={
        "username": "clerk", "display_name": "王五", "password": TEST_PASSWORD,
        "roles": ["editor"], "agency": "", "active": "y"})
    assert created.status_code == 302
    clerk = app.test_client()
    assert sign_in(clerk, "clerk").status_code == 302
    for page in ["/staff/", "/staff/documents", "/staff/documents/new"]:
        response = clerk.get(page)
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/staff/account/password")
    forced = clerk.get("/staff/account/password").get_data(as_text=True)
    assert "您的密码由系统管理员设置" in forced
    same = clerk.post("/staff/account/password", data={
        "current": TEST_PASSWORD, "new": TEST_PASSWORD, "confirm": TEST_PASSWORD})
    assert "新密码不能与当前密码相同" in same.get_data(as_text=True)
    changed = clerk.post("/staff/account/password", data={
        "current": TEST_PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert changed.status_code == 302
    assert clerk.get("/staff/documents").status_code == 200
    # An administrator's reset makes it due again.
    with app.app_context():
        from opengov.site.accounts.service import users

        user_id = next(user.id for user in users.list_accounts(
            next(u for u in users.list_accounts(_admin(app)) if u.username == "chief"))
            if user.username == "clerk")
    client.post(f"/staff/users/{user_id}/password", data={"password": "管理员重置的密码-2026x"})
    again = app.test_client()
    assert sign_in(again, "clerk", "管理员重置的密码-2026x").status_code == 302
    assert again.get("/staff/").headers["Location"].endswith("/staff/account/password")


def _admin(app: Flask) -> Any:
    from sqlalchemy import select

    from opengov.site.accounts.models import User
    from opengov.site.db import get_session

    return get_session().scalars(select(User).where(User.username == "chief")).one()


def test_administrators_must_enrol_then_sign_in_with_a_code(
        client: FlaskClient, make_user: Callable[..., Any], app: Flask) -> None:
    make_user("chief", Role.ADMIN)
    assert sign_in(client, "chief").status_code == 302
    blocked = client.get("/staff/users")
    assert blocked.headers["Location"].endswith("/staff/account/second-factor")
    assert "系统管理员必须启用双因素认证" in client.get(
        "/staff/account/second-factor").get_data(as_text=True)
    wrong = client.post("/staff/account/second-factor",
                        data={"secret": pyotp.random_base32(32), "code": "000000"})
    assert wrong.status_code == 422
    secret, codes = enrol(client)
    assert client.get("/staff/users").status_code == 200
    client.post("/staff/logout")

    # Password alone is not enough now.
    second = app.test_client()
    response = sign_in(second, "chief")
    assert response.headers["Location"].startswith("/staff/login/second-factor")
    assert second.get("/staff/users").headers["Location"].startswith("/staff/login")
    assert second.post("/staff/login/second-factor",
                       data={"code": "123456"}).status_code == 422
    # The step of enrolment is used: the next one (clock drift of one step is accepted).
    code = pyotp.TOTP(secret).at(time.time() + 30)
    assert second.post("/staff/login/second-factor", data={"code": code}).status_code == 302
    assert second.get("/staff/users").status_code == 200

    # The same code twice is refused (replay); a recovery code works once.
    third = app.test_client()
    sign_in(third, "chief")
    assert third.post("/staff/login/second-factor", data={"code": code}).status_code == 422
    assert third.post("/staff/login/second-factor",
                      data={"code": codes[0].lower()}).status_code == 302
    fourth = app.test_client()
    sign_in(fourth, "chief")
    assert fourth.post("/staff/login/second-factor",
                       data={"code": codes[0]}).status_code == 422
    # Administrators cannot turn it off for themselves.
    assert "关闭双因素认证" not in third.get("/staff/account/second-factor").get_data(as_text=True)


def test_the_second_step_cannot_be_skipped_or_guessed_forever(
        client: FlaskClient, make_user: Callable[..., Any], app: Flask) -> None:
    make_user("chief", Role.ADMIN)
    sign_in(client, "chief")
    enrol(client)
    client.post("/staff/logout")
    attacker = app.test_client()
    assert attacker.post("/staff/login/second-factor",
                         data={"code": "123456"}).status_code == 302  # no password step
    sign_in(attacker, "chief")
    for _ in range(5):
        attacker.post("/staff/login/second-factor", data={"code": "000000"})
    locked = attacker.post("/staff/login/second-factor", data={"code": "000000"})
    assert locked.headers["Location"].endswith("/staff/login")


def test_other_staff_may_enrol_and_turn_it_off(
        client: FlaskClient, make_user: Callable[..., Any], app: Flask) -> None:
    make_user("editor", Role.EDITOR)
    sign_in(client, "editor")
    assert client.get("/staff/documents").status_code == 200  # not required
    secret, _codes = enrol(client)
    page = client.get("/staff/account/second-factor").get_data(as_text=True)
    assert "关闭双因素认证" in page
    assert "10 个未使用的恢复码" in page
    code = pyotp.TOTP(secret).at(time.time() + 30)  # the next step (this one was used to enrol)
    off = client.post("/staff/account/second-factor", data={"code": code, "action": "disable"})
    assert off.status_code == 302
    client.post("/staff/logout")
    assert sign_in(app.test_client(), "editor").headers["Location"].endswith("/staff/")


def test_every_staff_page_loads_the_staff_style_sheet(
        client: FlaskClient, make_user: Callable[..., Any], app: Flask) -> None:
    app.config["TOTP_REQUIRED_FOR_ADMINS"] = False
    make_user("all", *Role)
    sign_in(client, "all")
    pages = ["/staff/", "/staff/requests", "/staff/requests/new", "/staff/calendar",
             "/staff/fiscal/import", "/staff/documents", "/staff/users", "/staff/search/popular"]
    for url in pages:
        html = client.get(url).get_data(as_text=True)
        assert "/static/css/staff.css" in html, url
        assert 'class="header-link"' in html, url
