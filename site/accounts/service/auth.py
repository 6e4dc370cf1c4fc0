"""Staff sign-in: Flask-Login over :class:`User`, argon2 passwords and server-side sessions.

The signed session cookie holds only a random token; the session itself lives in the
``staff_sessions`` table (:mod:`opengov.site.accounts.service.users`), so signing out, disabling
an account or changing a password ends it everywhere, and idle or old sessions expire.
"""

from __future__ import annotations

import datetime as dt

from flask import Flask, current_app, request
from flask import session as cookie_session
from flask_login import LoginManager, UserMixin, login_user, logout_user
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from opengov.site.accounts.models import User
from opengov.site.accounts.rules.passwords import PasswordPolicy
from opengov.site.accounts.service import users as accounts
from opengov.site.accounts.service.users import hash_password, verify_password
from opengov.site.audit import service as audit
from opengov.site.audit.service import AuditAction, Origin
from opengov.site.db import get_session

__all__ = ["StaffUser", "hash_password", "sign_in", "sign_out", "verify_password"]

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


# --- policies from the configuration ------------------------------------------------------

def password_policy() -> PasswordPolicy:
    config = current_app.config
    return PasswordPolicy(config["PASSWORD_MIN_LENGTH"], config["PASSWORD_MIN_CLASSES"])


def login_policy() -> accounts.LoginPolicy:
    config = current_app.config
    return accounts.LoginPolicy(config["LOGIN_MAX_FAILURES"], config["LOGIN_MAX_FAILURES_PER_IP"],
                                dt.timedelta(minutes=config["LOGIN_LOCKOUT_MINUTES"]))


def session_policy() -> accounts.SessionPolicy:
    config = current_app.config
    return accounts.SessionPolicy(dt.timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
                                  dt.timedelta(hours=config["SESSION_MAX_HOURS"]))


def request_origin() -> Origin:
    """Where the current request comes from (behind a proxy, configure ProxyFix first)."""
    return Origin(ip=request.remote_addr or "",
                  user_agent=request.headers.get("User-Agent", "")[:300])


# --- sign in and out ----------------------------------------------------------------------

class LoginOutcome:
    OK = "ok"
    FAILED = "failed"
    LOCKED = "locked"


def sign_in(username: str, password: str) -> str:
    """Check the credentials under throttling; on success start a fresh session.

    Returns a :class:`LoginOutcome`; the caller shows one message per outcome, the same for
    accounts that exist and those that do not.
    """
    session = get_session()
    origin = request_origin()
    if accounts.is_locked(session, username, origin.ip, login_policy()):
        hash_password(password)  # same cost whatever the name
        audit.record(session, AuditAction.LOGIN_LOCKED, actor=None, origin=origin,
                     username=username[:60])
        session.commit()
        return LoginOutcome.LOCKED
    user = authenticate(session, username, password)
    if user is None:
        accounts.record_failure(session, username, origin.ip)
        audit.record(session, AuditAction.LOGIN_FAILED, actor=None, origin=origin,
                     username=username[:60])
        session.commit()
        return LoginOutcome.FAILED
    accounts.clear_failures(session, username)
    # A new token on every sign-in and nothing kept from the anonymous cookie: no fixation.
    cookie_session.clear()
    token = accounts.open_session(session, user, ip=origin.ip, user_agent=origin.user_agent)
    audit.record(session, AuditAction.LOGIN, actor=user, origin=origin,
                 object_type="user", object_id=user.id)
    session.commit()
    cookie_session[TOKEN_KEY] = token
    login_user(StaffUser(user))
    return LoginOutcome.OK


def sign_out(user: User | None) -> None:
    session = get_session()
    token = cookie_session.get(TOKEN_KEY)
    if token:
        accounts.revoke_session(session, token)
    if user is not None:
        audit.record(session, AuditAction.LOGOUT, actor=user, origin=request_origin(),
                     object_type="user", object_id=user.id)
    session.commit()
    logout_user()
    cookie_session.clear()


def restart_session(user: User) -> None:
    """After a password change (which revoked every session) keep this browser signed in
    with a new token."""
    session = get_session()
    origin = request_origin()
    token = accounts.open_session(session, user, ip=origin.ip, user_agent=origin.user_agent)
    session.commit()
    cookie_session[TOKEN_KEY] = token


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(_load_user)


def _load_user(user_id: str) -> StaffUser | None:
    """The signed-in person, only while their server-side session is live."""
    token = cookie_session.get(TOKEN_KEY)
    if not token or not user_id.isdigit():
        return None
    session = get_session()
    record, expired = accounts.find_session(session, token, session_policy())
    if expired:
        user = session.get(User, int(user_id))
        audit.record(session, AuditAction.SESSION_EXPIRED, actor=user, origin=request_origin())
    if session.dirty or session.new:
        session.commit()
    if record is None or record.user_id != int(user_id):
        return None
    return StaffUser(record.user)
