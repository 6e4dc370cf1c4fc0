"""Staff sign-in: Flask-Login over :class:`User`, argon2 passwords and server-side sessions.

The signed session cookie holds only a random token; the session itself lives in the
``staff_sessions`` table (:mod:`opengov.site.accounts.service.users`), so signing out, disabling
an account or changing a password ends it everywhere, and idle or old sessions expire.

Passwords are checked before a unit of work opens, so the slow argon2 hash never holds the
database's write lock.
"""

from __future__ import annotations

from enum import StrEnum

from flask import Flask
from flask import session as cookie_session
from flask_login import LoginManager, UserMixin, login_user, logout_user
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.accounts.models import User
from opengov.site.accounts.service import second_factor
from opengov.site.accounts.service import users as accounts
from opengov.site.accounts.service.users import (
    AccountError,
    hash_password,
    login_policy,
    password_policy,
    session_policy,
    verify_password,
)
from opengov.site.audit import service as audit
from opengov.site.audit.service import AuditAction, request_origin
from opengov.site.db import get_session, unit_of_work

__all__ = ["LoginOutcome", "StaffUser", "change_own_password", "hash_password", "login_policy",
           "password_policy", "request_origin", "restart_session", "session_policy", "sign_in",
           "sign_out", "verify_password"]

login_manager = LoginManager()
login_manager.login_view = "staff.login"
login_manager.login_message = "请先登录。"

#: Key of the session token in the signed cookie.
TOKEN_KEY = "staff_token"  # noqa: S105 — a cookie key, not a secret


class StaffUser(UserMixin):  # type: ignore[misc]
    """The signed-in person as Flask-Login sees them."""

    def __init__(self, user: User) -> None:
        self.user = user

    def get_id(self) -> str:
        return str(self.user.id)


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with these credentials, or None (without saying which part was wrong)."""
    user = session.scalars(select(User).where(
        func.lower(User.username) == username.strip().lower())).one_or_none()
    if user is None:
        hash_password(password)  # spend the same time as a real check: no account enumeration
        return None
    if not verify_password(user.password_hash, password) or not user.active:
        return None
    return user


# --- sign in and out ----------------------------------------------------------------------

class LoginOutcome(StrEnum):
    OK = "ok"
    FAILED = "failed"
    LOCKED = "locked"
    #: The password was right; the TOTP or recovery code comes next.
    SECOND_FACTOR = "second_factor"


#: Key of the half-finished sign-in (password checked, second factor awaited) in the cookie.
PENDING_KEY = "staff_pending_2fa"
#: How long the second step may wait after the password.
PENDING_SECONDS = 300


def sign_in(username: str, password: str) -> LoginOutcome:
    """Check the credentials under throttling; on success start a fresh session.

    The caller shows one message per outcome, the same for accounts that exist and those that
    do not.
    """
    origin = request_origin()
    if accounts.is_locked(get_session(), username, origin.ip, login_policy()):
        hash_password(password)  # same cost whatever the name
        with unit_of_work() as session:
            audit.record(session, AuditAction.LOGIN_LOCKED, actor=None, origin=origin,
                         username=username[:60])
        return LoginOutcome.LOCKED
    user = authenticate(get_session(), username, password)
    if user is None:
        with unit_of_work() as session:
            accounts.record_failure(session, username, origin.ip)
            audit.record(session, AuditAction.LOGIN_FAILED, actor=None, origin=origin,
                         username=username[:60])
        return LoginOutcome.FAILED
    if user.has_second_factor:
        # Nothing is opened yet: the cookie only says whose password was right, and when.
        cookie_session.clear()
        cookie_session[PENDING_KEY] = {"user": user.id, "name": user.username,
                                       "at": int(clock.utcnow().timestamp())}
        return LoginOutcome.SECOND_FACTOR
    _open(user, username)
    return LoginOutcome.OK


def _open(user: User, username: str, detail: str = "") -> None:
    origin = request_origin()
    with unit_of_work() as session:
        accounts.clear_failures(session, username)
        token = accounts.open_session(session, user, ip=origin.ip, user_agent=origin.user_agent)
        audit.record(session, AuditAction.LOGIN, actor=user, origin=origin,
                     object_type="user", object_id=user.id, detail=detail)
    # A new token on every sign-in and nothing kept from the anonymous cookie: no fixation.
    cookie_session.clear()
    cookie_session[TOKEN_KEY] = token
    login_user(StaffUser(user))


def pending_second_factor() -> str | None:
    """The user name whose password was right and whose second factor is awaited, if the
    five minutes are not over."""
    pending = cookie_session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    if int(clock.utcnow().timestamp()) - int(pending.get("at", 0)) > PENDING_SECONDS:
        return None
    return str(pending.get("name", ""))


def complete_second_factor(code: str) -> LoginOutcome:
    """The second step of a sign-in: a TOTP code, or a recovery code. Wrong codes count as
    failed sign-ins of the name (the same lock-out)."""
    username = pending_second_factor()
    pending = cookie_session.get(PENDING_KEY) or {}
    if username is None:
        cookie_session.pop(PENDING_KEY, None)
        return LoginOutcome.FAILED
    origin = request_origin()
    if accounts.is_locked(get_session(), username, origin.ip, login_policy()):
        cookie_session.pop(PENDING_KEY, None)
        return LoginOutcome.LOCKED
    with unit_of_work() as session:
        user = session.get(User, int(pending["user"]))
        used = (second_factor.verify(session, user, code)
                if user is not None and user.active else None)
        if used is None:
            accounts.record_failure(session, username, origin.ip)
            audit.record(session, AuditAction.LOGIN_FAILED, actor=None, origin=origin,
                         username=username[:60], detail="双因素验证码错误")
    if used is None or user is None:
        return LoginOutcome.FAILED
    _open(user, username, "使用恢复码登录" if used == "recovery" else "")
    return LoginOutcome.OK


def sign_out(actor: User | None) -> None:
    """End this browser's session (``actor`` is None when it had already ended)."""
    token = cookie_session.get(TOKEN_KEY)
    with unit_of_work() as session:
        if token:
            accounts.revoke_session(session, token)
        if actor is not None:
            audit.record(session, AuditAction.LOGOUT, actor=actor, origin=request_origin(),
                         object_type="user", object_id=actor.id)
    logout_user()
    cookie_session.clear()


def change_own_password(actor: User, current: str, new: str) -> None:
    """The signed-in person changes their password: every session of theirs ends and this
    browser stays signed in with a new one. :class:`AccountError` when ``current`` is wrong
    (field ``current_password``) or ``new`` breaks the policy (field ``password``)."""
    if not verify_password(actor.password_hash, current):
        raise AccountError("当前密码不正确", "current_password")
    if verify_password(actor.password_hash, new):
        raise AccountError("新密码不能与当前密码相同", "password")
    origin = request_origin()
    with unit_of_work() as session:
        accounts.set_password(session, actor, new, password_policy())
        audit.record(session, AuditAction.PASSWORD_CHANGED, actor=actor, origin=origin,
                     object_type="user", object_id=actor.id)
        token = accounts.open_session(session, actor, ip=origin.ip,
                                      user_agent=origin.user_agent)
    cookie_session[TOKEN_KEY] = token


def restart_session(user: User) -> None:
    """After a change that revoked every session of ``user`` (the signed-in person), keep
    this browser signed in with a new token."""
    origin = request_origin()
    with unit_of_work() as session:
        token = accounts.open_session(session, user, ip=origin.ip, user_agent=origin.user_agent)
    cookie_session[TOKEN_KEY] = token


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(_load_user)


def _load_user(user_id: str) -> StaffUser | None:
    """The signed-in person, only while their server-side session is live."""
    token = cookie_session.get(TOKEN_KEY)
    if not token or not user_id.isdigit():
        return None
    user = accounts.resume_session(token, int(user_id), origin=request_origin())
    return StaffUser(user) if user is not None else None
