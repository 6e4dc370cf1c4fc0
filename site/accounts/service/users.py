"""Staff accounts: revocable server-side sessions, sign-in throttling and account changes.

Throttling counts failures per typed user name and per address, whether or not the account
exists, so the answer to a locked or unknown name never tells which accounts exist.

Composable functions take the caller's ``session`` and never commit; the entry functions at
the end (what the staff pages and the ``opengov`` commands call) own their unit of work and
let only administrators manage accounts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, selectinload

from opengov.site import clock
from opengov.site.accounts.models import LoginFailure, StaffSession, User
from opengov.site.accounts.rules.passwords import PasswordPolicy, password_problems
from opengov.site.accounts.rules.roles import Role
from opengov.site.agencies import service as agencies
from opengov.site.audit import service as audit
from opengov.site.audit.service import (
    COMMAND_LINE,
    COMMAND_LINE_USERNAME,
    AuditAction,
    Origin,
)
from opengov.site.db import get_session, unit_of_work
from opengov.site.exceptions import ForbiddenError, InvalidInputError, NotFoundError

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """argon2id hash of a password."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


class AccountError(InvalidInputError):
    """An account change that the rules refuse; the message is for the person, ``field``
    names the input it is about (``username``, ``password``, ``current_password``,
    ``roles``, ``agency``) so that a form can show it beside that field."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


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


# --- policies from the configuration --------------------------------------------------

def password_policy() -> PasswordPolicy:
    """The password rules of this site (PASSWORD_MIN_LENGTH, PASSWORD_MIN_CLASSES)."""
    config = current_app.config
    return PasswordPolicy(config["PASSWORD_MIN_LENGTH"], config["PASSWORD_MIN_CLASSES"])


def login_policy() -> LoginPolicy:
    """The sign-in throttling of this site (LOGIN_MAX_FAILURES…, LOGIN_LOCKOUT_MINUTES)."""
    config = current_app.config
    return LoginPolicy(config["LOGIN_MAX_FAILURES"], config["LOGIN_MAX_FAILURES_PER_IP"],
                       dt.timedelta(minutes=config["LOGIN_LOCKOUT_MINUTES"]))


def session_policy() -> SessionPolicy:
    """How long sessions live here (SESSION_IDLE_MINUTES, SESSION_MAX_HOURS)."""
    config = current_app.config
    return SessionPolicy(dt.timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
                         dt.timedelta(hours=config["SESSION_MAX_HOURS"]))


# --- throttling -----------------------------------------------------------------------

def is_locked(session: Session, username: str, ip: str, policy: LoginPolicy,
              now: dt.datetime | None = None) -> bool:
    """True while the name or the address has too many recent failures."""
    since = (now or clock.utcnow()) - policy.lockout
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
                             at=now or clock.utcnow()))


def clear_failures(session: Session, username: str) -> None:
    """After a successful sign-in the name starts afresh (the address count stays)."""
    session.execute(delete(LoginFailure).where(
        LoginFailure.username == normalise_username(username)))


def purge_failures(session: Session, policy: LoginPolicy,
                   now: dt.datetime | None = None) -> int:
    """Forget failures that no longer count."""
    cutoff = (now or clock.utcnow()) - policy.lockout
    result = session.execute(delete(LoginFailure).where(LoginFailure.at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)


# --- sessions -------------------------------------------------------------------------

def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(session: Session, user: User, *, ip: str = "", user_agent: str = "",
                 now: dt.datetime | None = None) -> str:
    """Start a new server-side session and return its token (for the signed cookie only)."""
    token = secrets.token_urlsafe(32)
    moment = now or clock.utcnow()
    session.add(StaffSession(token_hash=_hash_token(token), user_id=user.id, created_at=moment,
                             last_seen_at=moment, ip=ip[:45], user_agent=user_agent[:300]))
    return token


class SessionState(StrEnum):
    """Where a server-side sign-in stands at a given moment."""

    GONE = "gone"  # unknown, signed out or revoked, or the account is disabled
    EXPIRED = "expired"  # idle or too old: to be revoked now
    DUE = "due"  # live, and last_seen_at is old enough to be moved
    LIVE = "live"  # live, nothing to write


def session_state(record: StaffSession | None, policy: SessionPolicy,
                  moment: dt.datetime) -> SessionState:
    """Where ``record`` stands at ``moment`` (reads only)."""
    if record is None or record.revoked_at is not None:
        return SessionState.GONE
    if moment - record.last_seen_at > policy.idle or moment - record.created_at > policy.max_age:
        return SessionState.EXPIRED
    if not record.user.active:
        return SessionState.GONE
    if moment - record.last_seen_at >= policy.touch_every:
        return SessionState.DUE
    return SessionState.LIVE


def find_session(session: Session, token: str, policy: SessionPolicy,
                 now: dt.datetime | None = None) -> tuple[StaffSession | None, bool]:
    """The live session of ``token`` (touched) and whether it has just expired (revoked now).

    Writes: call it inside a unit of work. The row is read afresh (another request may have
    revoked or touched it since this one first looked).
    """
    record = session.get(StaffSession, _hash_token(token), populate_existing=True)
    moment = now or clock.utcnow()
    state = session_state(record, policy, moment)
    if state is SessionState.GONE or record is None:
        return None, False
    if state is SessionState.EXPIRED:
        record.revoked_at = moment
        return None, True
    if state is SessionState.DUE:
        record.last_seen_at = moment
    return record, False


def revoke_session(session: Session, token: str, now: dt.datetime | None = None) -> None:
    record = session.get(StaffSession, _hash_token(token))
    if record is not None and record.revoked_at is None:
        record.revoked_at = now or clock.utcnow()


def revoke_user_sessions(session: Session, user_id: int, now: dt.datetime | None = None) -> int:
    """End every session of a person (logout everywhere, disabling, password change)."""
    result = session.execute(
        update(StaffSession)
        .where(StaffSession.user_id == user_id, StaffSession.revoked_at.is_(None))
        .values(revoked_at=now or clock.utcnow())
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
        raise AccountError("".join(problems), "password")


def create_user(session: Session, *, username: str, display_name: str, password: str,
                roles: frozenset[Role], policy: PasswordPolicy, email: str = "",
                agency_id: int | None = None, active: bool = True,
                must_change_password: bool = False) -> User:
    username = username.strip()
    if not username:
        raise AccountError("请输入用户名。", "username")
    taken = session.scalar(select(User.id).where(
        func.lower(User.username) == username.lower()))
    if taken is not None:
        raise AccountError("该用户名已被使用。", "username")
    check_password(password, policy, username)
    _check_agency(agency_id)
    user = User(username=username, display_name=display_name.strip() or username,
                email=email.strip(), password_hash=hash_password(password), agency_id=agency_id,
                active=active, must_change_password=must_change_password)
    user.roles = roles
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, user: User, password: str, policy: PasswordPolicy, *,
                 must_change: bool = False) -> None:
    """Change the password and end every session of the person; ``must_change`` (an
    administrator chose it) makes them choose their own at the next sign-in."""
    check_password(password, policy, user.username)
    user.password_hash = hash_password(password)
    user.must_change_password = must_change
    session.flush()
    revoke_user_sessions(session, user.id)


def update_user(session: Session, user: User, *, actor: User, display_name: str, email: str,
                roles: frozenset[Role], active: bool, agency_id: int | None) -> list[str]:
    """Apply an administrator's changes; returns what changed (for the audit log)."""
    if user.id == actor.id and (Role.ADMIN not in roles or not active):
        raise AccountError("不能停用自己的账户或取消自己的系统管理角色。", "roles")
    _check_agency(agency_id)
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


def _check_agency(agency_id: int | None) -> None:
    if agency_id is None:
        return
    try:
        agencies.get_agency(agency_id)
    except NotFoundError as exc:
        raise AccountError("所属机关不存在。", "agency") from exc


# --- entry functions ------------------------------------------------------------------

def _require_administrator(actor: User) -> None:
    # Checked here and not only by the route guard: the CLI, the API or a future page that
    # forgets its roles must not be able to manage accounts.
    if not actor.has_role(Role.ADMIN):
        raise ForbiddenError("只有系统管理员可以管理账户。")


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id) if 0 < user_id < 2**31 else None
    if user is None:
        raise NotFoundError("没有这个账户。")
    return user


def list_accounts(actor: User) -> list[User]:
    """Every staff account by user name, for an administrator."""
    _require_administrator(actor)
    return list(get_session().scalars(
        select(User).options(selectinload(User.agency)).order_by(User.username)))


@dataclass(frozen=True)
class Account:
    """A staff account as an administrator sees it: the person and their live sign-ins."""

    user: User
    sessions: list[StaffSession]


def get_account(actor: User, user_id: int) -> Account:
    """The account ``user_id`` for an administrator; :class:`NotFoundError` if none."""
    _require_administrator(actor)
    user = _user(get_session(), user_id)
    return Account(user=user, sessions=live_sessions(user.id))


def create_account(actor: User, *, username: str, display_name: str, email: str,
                   password: str, roles: frozenset[Role], agency_id: int | None,
                   active: bool, origin: Origin) -> User:
    """An administrator creates an account; :class:`AccountError` says what to fix."""
    _require_administrator(actor)
    with unit_of_work() as session:
        # The administrator knows this password: the person replaces it at first sign-in.
        user = create_user(session, username=username, display_name=display_name, email=email,
                           password=password, roles=roles, policy=password_policy(),
                           agency_id=agency_id, active=active, must_change_password=True)
        audit.record(session, AuditAction.ACCOUNT, actor=actor, origin=origin,
                     object_type="user", object_id=user.id,
                     detail=f"创建账户 {user.username}，角色 {user.roles_csv or '无'}")
    return user


def create_admin_account(*, username: str, display_name: str, email: str,
                         password: str) -> User:
    """``opengov create-admin``: an administrator account, the first one of a new site.

    No actor: whoever runs the command has the server. Recorded as the command line's.
    """
    with unit_of_work() as session:
        user = create_user(session, username=username, display_name=display_name, email=email,
                           password=password, roles=frozenset({Role.ADMIN}),
                           policy=password_policy())
        audit.record(session, AuditAction.ACCOUNT, actor=None, origin=COMMAND_LINE,
                     username=COMMAND_LINE_USERNAME, object_type="user", object_id=user.id,
                     detail=f"创建管理员 {user.username}")
    return user


@dataclass(frozen=True)
class AccountUpdate:
    """What :func:`update_account` did."""

    user: User
    #: The changes as recorded in the audit log; empty when nothing changed.
    changes: list[str]
    #: The actor changed their own roles, which ended every session of theirs (this one too).
    ended_own_sessions: bool


def update_account(actor: User, user_id: int, *, display_name: str, email: str,
                   roles: frozenset[Role], active: bool, agency_id: int | None,
                   origin: Origin) -> AccountUpdate:
    """An administrator changes an account (see :func:`update_user` for what that ends)."""
    _require_administrator(actor)
    with unit_of_work() as session:
        user = _user(session, user_id)
        own_roles_change = user.id == actor.id and user.roles != roles
        changes = update_user(session, user, actor=actor, display_name=display_name,
                              email=email, roles=roles, active=active, agency_id=agency_id)
        if changes:
            audit.record(session, AuditAction.ACCOUNT, actor=actor, origin=origin,
                         object_type="user", object_id=user.id,
                         detail=f"修改账户 {user.username}：" + "；".join(changes))
    return AccountUpdate(user=user, changes=changes, ended_own_sessions=own_roles_change)


def reset_password(actor: User, user_id: int, password: str, *, origin: Origin) -> User:
    """An administrator sets someone's password; every session of that person ends."""
    _require_administrator(actor)
    with unit_of_work() as session:
        user = _user(session, user_id)
        set_password(session, user, password, password_policy(), must_change=True)
        audit.record(session, AuditAction.PASSWORD_CHANGED, actor=actor, origin=origin,
                     object_type="user", object_id=user.id,
                     detail=f"管理员重置 {user.username} 的密码")
    return user


def end_sessions(actor: User, user_id: int, *, origin: Origin) -> tuple[User, int]:
    """An administrator ends every session of a person; returns them and how many ended."""
    _require_administrator(actor)
    with unit_of_work() as session:
        user = _user(session, user_id)
        count = revoke_user_sessions(session, user.id)
        audit.record(session, AuditAction.ACCOUNT, actor=actor, origin=origin,
                     object_type="user", object_id=user.id,
                     detail=f"结束 {user.username} 的 {count} 个登录会话")
    return user, count


def resume_session(token: str, user_id: int, *, origin: Origin,
                   now: dt.datetime | None = None) -> User | None:
    """The person signed in with ``token`` as ``user_id``, while that session is live.

    Called on every staff request, so it reads only, unless a write is due: an expired
    session is revoked (and the expiry audited), and ``last_seen_at`` moves at most once per
    :attr:`SessionPolicy.touch_every` — each in its own unit of work.
    """
    policy = session_policy()
    moment = now or clock.utcnow()
    record = get_session().get(StaffSession, _hash_token(token))
    state = session_state(record, policy, moment)
    if record is not None and state in (SessionState.EXPIRED, SessionState.DUE):
        owner = record.user
        with unit_of_work() as session:
            record, expired = find_session(session, token, policy, moment)
            if expired:
                audit.record(session, AuditAction.SESSION_EXPIRED, actor=owner, origin=origin)
    elif state is SessionState.GONE:
        record = None
    if record is None or record.user_id != user_id:
        return None
    return record.user


@dataclass(frozen=True)
class LogPurge:
    """What ``opengov audit purge`` did."""

    retention_days: int
    deleted: int


def purge_logs(retention_days: int | None = None) -> LogPurge:
    """``opengov audit purge``: delete audit entries older than the retention period
    (``AUDIT_RETENTION_DAYS`` unless given; never under 184 days) and sign-in failures that
    no longer count."""
    if retention_days is None:
        retention_days = int(current_app.config["AUDIT_RETENTION_DAYS"])
    with unit_of_work() as session:
        deleted = audit.purge(session, retention_days)
        purge_failures(session, login_policy())
        audit.record(session, AuditAction.PURGE, actor=None, origin=COMMAND_LINE,
                     username=COMMAND_LINE_USERNAME,
                     detail=f"保留 {retention_days} 天，删除 {deleted} 条")
    return LogPurge(retention_days=retention_days, deleted=deleted)
