"""Staff accounts: revocable server-side sessions, sign-in throttling and account changes.

Throttling counts failures per typed user name and per address, whether or not the account
exists, so the answer to a locked or unknown name never tells which accounts exist.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from opengov.site.accounts.models import LoginFailure, StaffSession, User
from opengov.site.accounts.rules.passwords import PasswordPolicy, password_problems
from opengov.site.accounts.rules.roles import Role
from opengov.site.clock import utcnow
from opengov.site.db import get_session

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """argon2id hash of a password."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


class AccountError(ValueError):
    """An account change that the rules refuse; the message is for the person."""


@dataclass(frozen=True)
class LoginPolicy:
    max_failures: int = 5
    max_failures_per_ip: int = 30
    lockout: dt.timedelta = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class SessionPolicy:
    idle: dt.timedelta = dt.timedelta(minutes=30)
    max_age: dt.timedelta = dt.timedelta(hours=12)
    #: last_seen_at is written at most this often, not on every request.
    touch_every: dt.timedelta = dt.timedelta(minutes=1)


def normalise_username(username: str) -> str:
    return username.strip().lower()[:60]


# --- throttling -----------------------------------------------------------------------

def is_locked(session: Session, username: str, ip: str, policy: LoginPolicy,
              now: dt.datetime | None = None) -> bool:
    """True while the name or the address has too many recent failures."""
    since = (now or utcnow()) - policy.lockout
    by_name = session.scalar(select(func.count()).select_from(LoginFailure).where(
        LoginFailure.username == normalise_username(username), LoginFailure.at >= since)) or 0
    if by_name >= policy.max_failures:
        return True
    by_ip = session.scalar(select(func.count()).select_from(LoginFailure).where(
        LoginFailure.ip == ip, LoginFailure.at >= since)) or 0 if ip else 0
    return by_ip >= policy.max_failures_per_ip


def record_failure(session: Session, username: str, ip: str,
                   now: dt.datetime | None = None) -> None:
    session.add(LoginFailure(username=normalise_username(username), ip=ip[:45],
                             at=now or utcnow()))


def clear_failures(session: Session, username: str) -> None:
    """After a successful sign-in the name starts afresh (the address count stays)."""
    session.execute(delete(LoginFailure).where(
        LoginFailure.username == normalise_username(username)))


def purge_failures(session: Session, policy: LoginPolicy,
                   now: dt.datetime | None = None) -> int:
    """Forget failures that no longer count."""
    cutoff = (now or utcnow()) - policy.lockout
    result = session.execute(delete(LoginFailure).where(LoginFailure.at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)


# --- sessions -------------------------------------------------------------------------

def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(session: Session, user: User, *, ip: str = "", user_agent: str = "",
                 now: dt.datetime | None = None) -> str:
    """Start a new server-side session and return its token (for the signed cookie only)."""
    token = secrets.token_urlsafe(32)
    moment = now or utcnow()
    session.add(StaffSession(token_hash=_hash_token(token), user_id=user.id, created_at=moment,
                             last_seen_at=moment, ip=ip[:45], user_agent=user_agent[:300]))
    return token


def find_session(session: Session, token: str, policy: SessionPolicy,
                 now: dt.datetime | None = None) -> tuple[StaffSession | None, bool]:
    """The live session of ``token`` (touched) and whether it has just expired (revoked now)."""
    record = session.get(StaffSession, _hash_token(token))
    if record is None or record.revoked_at is not None:
        return None, False
    moment = now or utcnow()
    if moment - record.last_seen_at > policy.idle or moment - record.created_at > policy.max_age:
        record.revoked_at = moment
        return None, True
    if not record.user.active:
        return None, False
    if moment - record.last_seen_at >= policy.touch_every:
        record.last_seen_at = moment
    return record, False


def revoke_session(session: Session, token: str, now: dt.datetime | None = None) -> None:
    record = session.get(StaffSession, _hash_token(token))
    if record is not None and record.revoked_at is None:
        record.revoked_at = now or utcnow()


def revoke_user_sessions(session: Session, user_id: int, now: dt.datetime | None = None) -> int:
    """End every session of a person (logout everywhere, disabling, password change)."""
    result = session.execute(
        update(StaffSession)
        .where(StaffSession.user_id == user_id, StaffSession.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
        .execution_options(synchronize_session=False))
    session.expire_all()
    return int(getattr(result, "rowcount", 0) or 0)


def live_sessions(user_id: int) -> list[StaffSession]:
    """The person's sign-ins that are still valid, newest first."""
    return list(get_session().scalars(select(StaffSession).where(
        StaffSession.user_id == user_id, StaffSession.revoked_at.is_(None))
        .order_by(StaffSession.created_at.desc())))


# --- accounts -------------------------------------------------------------------------

def check_password(password: str, policy: PasswordPolicy, username: str) -> None:
    problems = password_problems(password, policy, username)
    if problems:
        raise AccountError("".join(problems))


def create_user(session: Session, *, username: str, display_name: str, password: str,
                roles: frozenset[Role], policy: PasswordPolicy, email: str = "",
                agency_id: int | None = None) -> User:
    username = username.strip()
    if not username:
        raise AccountError("请输入用户名。")
    taken = session.scalar(select(User.id).where(
        func.lower(User.username) == username.lower()))
    if taken is not None:
        raise AccountError("该用户名已被使用。")
    check_password(password, policy, username)
    user = User(username=username, display_name=display_name.strip() or username,
                email=email.strip(), password_hash=hash_password(password), agency_id=agency_id)
    user.roles = roles
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, user: User, password: str, policy: PasswordPolicy) -> None:
    """Change the password and end every session of the person."""
    check_password(password, policy, user.username)
    user.password_hash = hash_password(password)
    session.flush()
    revoke_user_sessions(session, user.id)


def update_user(session: Session, user: User, *, actor: User, display_name: str, email: str,
                roles: frozenset[Role], active: bool, agency_id: int | None) -> list[str]:
    """Apply an administrator's changes; returns what changed (for the audit log)."""
    if user.id == actor.id and (Role.ADMIN not in roles or not active):
        raise AccountError("不能停用自己的账户或取消自己的系统管理角色。")
    changes: list[str] = []
    if user.display_name != display_name:
        changes.append(f"姓名 {user.display_name} → {display_name}")
        user.display_name = display_name
    if user.email != email:
        changes.append("邮箱")
        user.email = email
    if user.roles != roles:
        changes.append(f"角色 {user.roles_csv or '无'} → {','.join(sorted(roles)) or '无'}")
        user.roles = roles
    if user.agency_id != agency_id:
        changes.append("所属机关")
        user.agency_id = agency_id
    if user.active != active:
        changes.append("启用" if active else "停用")
        user.active = active
    session.flush()
    if not active or any(change.startswith("角色") for change in changes):
        # Disabling ends sessions; so does a change of roles, so that no page open under the
        # old roles keeps working.
        revoke_user_sessions(session, user.id)
    return changes
