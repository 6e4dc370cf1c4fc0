"""The audit log of staff actions (issue 5; 网络安全法 Art. 21: kept at least six months).

Every entry says who, when, what and from where. Entries are only ever added; :func:`purge`
removes entries older than the retention period and refuses a shorter one. Only
administrators read the log (:func:`entries_page`, :func:`export_csv`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from flask import has_request_context, request
from sqlalchemy import Select, delete, select
from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.audit.models import AuditEntry
from opengov.site.db import get_session
from opengov.site.exceptions import ForbiddenError, InvalidInputError
from opengov.site.web.staff import ADMIN_ROLE


class Actor(Protocol):
    """Who acted: a staff account (the accounts feature's ``User``)."""

    @property
    def id(self) -> int: ...

    @property
    def username(self) -> str: ...


class StaffActor(Actor, Protocol):
    """A staff account whose roles a service checks (roles as ``Role`` or their values)."""

    def has_role(self, *roles: str) -> bool: ...


#: 网络安全法第二十一条: 留存相关的网络日志不少于六个月 (184 days covers any six months).
MIN_RETENTION_DAYS = 184


class AuditAction(StrEnum):
    LOGIN = "login"
    LOGOUT = "logout"
    LOGIN_FAILED = "login_failed"
    LOGIN_LOCKED = "login_locked"
    SESSION_EXPIRED = "session_expired"
    PASSWORD_CHANGED = "password_changed"  # noqa: S105 — an action name, not a secret
    CREATE = "create"
    EDIT = "edit"
    TRANSITION = "transition"
    UPLOAD = "upload"
    DOWNLOAD_PERSONAL = "download_personal"
    SETTINGS = "settings"
    ACCOUNT = "account"
    PURGE = "purge"


ACTION_LABELS: dict[AuditAction, str] = {
    AuditAction.LOGIN: "登录",
    AuditAction.LOGOUT: "退出登录",
    AuditAction.LOGIN_FAILED: "登录失败",
    AuditAction.LOGIN_LOCKED: "登录被锁定",
    AuditAction.SESSION_EXPIRED: "会话超时",
    AuditAction.PASSWORD_CHANGED: "修改密码",
    AuditAction.CREATE: "新建",
    AuditAction.EDIT: "修改",
    AuditAction.TRANSITION: "流转",
    AuditAction.UPLOAD: "上传附件",
    AuditAction.DOWNLOAD_PERSONAL: "下载个人信息",
    AuditAction.SETTINGS: "修改设置",
    AuditAction.ACCOUNT: "账户管理",
    AuditAction.PURGE: "清理审计日志",
}


def action_label(action: str) -> str:
    """The Chinese name of an action (StrEnum members hash like their values)."""
    labels: dict[str, str] = {str(key): value for key, value in ACTION_LABELS.items()}
    return labels.get(action, action)


@dataclass(frozen=True)
class Origin:
    """Where an action came from."""

    ip: str = ""
    user_agent: str = ""


#: Actions taken with the ``opengov`` command: whoever runs it has the server.
COMMAND_LINE = Origin(ip="", user_agent="opengov CLI")
#: The name such actions are recorded under.
COMMAND_LINE_USERNAME = "(命令行)"


def request_origin() -> Origin:
    """Where the current request comes from (behind a proxy, configure ProxyFix first);
    :data:`COMMAND_LINE` outside a request."""
    if not has_request_context():
        return COMMAND_LINE
    return Origin(ip=request.remote_addr or "",
                  user_agent=request.headers.get("User-Agent", "")[:300])


def record(session: Session, action: AuditAction, *, actor: Actor | None, origin: Origin,
           object_type: str = "", object_id: str | int = "", detail: str = "",
           username: str | None = None) -> AuditEntry:
    """Add an entry to the caller's transaction (it commits with the action it records).

    Never put personal data of applicants in ``detail``: say which record, not what it holds.
    """
    entry = AuditEntry(
        user_id=actor.id if actor is not None else None,
        username=(username if username is not None
                  else actor.username if actor is not None else "")[:60],
        action=action.value, object_type=object_type, object_id=str(object_id),
        detail=detail, ip=origin.ip[:45], user_agent=origin.user_agent[:300])
    session.add(entry)
    return entry


@dataclass(frozen=True)
class AuditFilter:
    """What to look for; empty fields match everything, dates are days in 北京时间."""

    username: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    ip: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def _query(filters: AuditFilter) -> Select[AuditEntry]:
    query = select(AuditEntry)
    if filters.username:
        query = query.where(AuditEntry.username == filters.username)
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    if filters.object_type:
        query = query.where(AuditEntry.object_type == filters.object_type)
    if filters.object_id:
        query = query.where(AuditEntry.object_id == filters.object_id)
    if filters.ip:
        query = query.where(AuditEntry.ip == filters.ip)
    # Dates are days in 北京时间, as staff read the log; entries are stored in UTC.
    if filters.date_from:
        start = clock.beijing_to_utc(dt.datetime.combine(filters.date_from, dt.time()))
        query = query.where(AuditEntry.at >= start)
    if filters.date_to:
        end = clock.beijing_to_utc(
            dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time()))
        query = query.where(AuditEntry.at < end)
    return query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def search(session: Session, filters: AuditFilter, *, limit: int | None = None,
           offset: int = 0) -> Sequence[AuditEntry]:
    """Entries matching ``filters``, newest first."""
    query = _query(filters).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return session.scalars(query).all()


#: Entries per page of the log.
PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditPage:
    """One page of the log, newest first."""

    entries: list[AuditEntry]
    page: int
    has_next: bool


def _require_administrator(actor: StaffActor) -> None:
    # The log names people, addresses and what they did: administrators only, whatever route
    # or command asks.
    if not actor.has_role(ADMIN_ROLE):
        raise ForbiddenError("只有系统管理员可以查看审计日志。")


def entries_page(actor: StaffActor, filters: AuditFilter, page: int = 1) -> AuditPage:
    """Page ``page`` (from 1) of the entries matching ``filters``, for an administrator."""
    _require_administrator(actor)
    page = max(page, 1)
    entries = search(get_session(), filters, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    return AuditPage(entries=list(entries[:PAGE_SIZE]), page=page,
                     has_next=len(entries) > PAGE_SIZE)


def export_csv(actor: StaffActor, filters: AuditFilter) -> str:
    """Every entry matching ``filters`` as CSV (:func:`to_csv`), for an administrator."""
    _require_administrator(actor)
    return to_csv(search(get_session(), filters))


def to_csv(entries: Iterable[AuditEntry]) -> str:
    """CSV with a BOM so that spreadsheet programs read the Chinese correctly."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(["时间(UTC)", "用户", "操作", "对象类型", "对象", "说明", "IP", "浏览器"])
    for entry in entries:
        label = action_label(entry.action)
        writer.writerow([entry.at.strftime("%Y-%m-%d %H:%M:%S"), entry.username, label,
                         entry.object_type, entry.object_id, _no_formula(entry.detail),
                         entry.ip, _no_formula(entry.user_agent)])
    return buffer.getvalue()


def _no_formula(value: str) -> str:
    # A user agent or title starting with = + - @ would run as a formula in a spreadsheet.
    return "'" + value if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value


def purge(session: Session, retention_days: int, now: dt.datetime | None = None) -> int:
    """Delete entries older than ``retention_days`` (at least :data:`MIN_RETENTION_DAYS`,
    else :class:`InvalidInputError`); returns how many were deleted."""
    if retention_days < MIN_RETENTION_DAYS:
        raise InvalidInputError(f"审计日志至少保留 {MIN_RETENTION_DAYS} 天（网络安全法第二十一条）")
    cutoff = (now or clock.utcnow()) - dt.timedelta(days=retention_days)
    # A bulk DELETE, deliberately not through the ORM's per-object events that forbid it.
    result = session.execute(delete(AuditEntry).where(AuditEntry.at < cutoff)
                             .execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0) or 0)
