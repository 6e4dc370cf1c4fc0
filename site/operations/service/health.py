"""Is the site alive, and is everything it needs in order?

- :func:`alive` — liveness (``/healthz``): the process answers and the database answers a
  trivial query. Cheap: for the load balancer and for systemd's watchdog scripts.
- :func:`site_status` — readiness (``/healthz/ready``, ``opengov status``): every moving part
  checked, each ``ok``, ``warning`` (look at it soon) or ``error`` (something is wrong now:
  503, exit status 1). For monitoring, not for taking a node out of a load balancer (an
  Elasticsearch outage would take every node out, while the site still serves pages).

Only reads: a check that wrote would defeat a read-only GET.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from opengov.site import clock
from opengov.site.catalog.models import SearchOutbox
from opengov.site.db import get_database, get_session
from opengov.site.mail.service import outbox as mail_outbox
from opengov.site.search.service import index as search_index
from opengov.site.workdays import service as workdays
from opengov.site.workdays.rules import check_freshness


class Level(StrEnum):
    OK = "ok"
    WARNING = "warning"
    ERROR = "error"


_ORDER = {Level.OK: 0, Level.WARNING: 1, Level.ERROR: 2}
LEVEL_LABELS = {Level.OK: "正常", Level.WARNING: "注意", Level.ERROR: "异常"}


@dataclass(frozen=True)
class Check:
    name: str
    label: str
    level: Level
    detail: str


@dataclass(frozen=True)
class SiteStatus:
    checks: list[Check]

    @property
    def level(self) -> Level:
        return max((check.level for check in self.checks), key=_ORDER.__getitem__,
                   default=Level.OK)

    @property
    def ok(self) -> bool:
        """Nothing is wrong now (warnings allowed)."""
        return self.level != Level.ERROR

    def as_dict(self) -> dict[str, object]:
        return {"status": self.level.value,
                "checks": [{"name": check.name, "label": check.label,
                            "level": check.level.value, "detail": check.detail}
                           for check in self.checks]}


def alive() -> bool:
    """Whether the database answers a trivial query."""
    try:
        get_session().execute(text("SELECT 1"))
    except SQLAlchemyError:
        return False
    return True


# --- the checks -------------------------------------------------------------------------

def _database() -> tuple[Level, str]:
    # Alembic (≈10 MB) is loaded when a readiness check runs, not in every web worker at
    # start: the workers' memory is what the site pays for per worker (bench/worker_memory).
    from opengov.site import migrate

    session = get_session()
    session.execute(text("SELECT 1"))
    current, head = migrate.current_revision(get_database().engine), migrate.head_revision()
    if current != head:
        return Level.ERROR, (f"数据库结构版本 {current or '（空）'}，程序需要 {head}："
                             "请运行 opengov upgrade")
    return Level.OK, f"{get_database().engine.dialect.name}，结构版本 {current}"


def _minutes_overdue(oldest_due: dt.datetime | None, now: dt.datetime) -> float:
    return 0.0 if oldest_due is None else (now - oldest_due).total_seconds() / 60


def _search() -> tuple[Level, str]:
    name = search_index.get_backend().name
    health = search_index.index_health()
    if not health.reachable:
        return Level.ERROR, f"{name} 不可用：{health.error}"
    if health.lost:
        # The index worker rebuilds it on its next round (a cluster restarted empty).
        return Level.ERROR, (f"{name} 中没有搜索索引（应收录 {health.public} 篇）："
                             "搜索索引更新进程会重建；也可运行 opengov index rebuild")
    return Level.OK, f"{name}，已收录 {health.documents} 篇"


def _search_outbox() -> tuple[Level, str]:
    session = get_session()
    now = clock.utcnow()
    pending = search_index.pending_entries(session)
    failing = search_index.failing_entries(session)
    oldest_due = session.scalar(select(func.min(SearchOutbox.next_attempt_at))
                                .where(SearchOutbox.next_attempt_at <= now))
    late = _minutes_overdue(oldest_due, now)
    limit = int(current_app.config["OUTBOX_MAX_DELAY_MINUTES"])
    detail = f"待处理 {pending} 条，其中失败重试 {failing} 条"
    if failing:
        return Level.ERROR, detail + "：搜索引擎拒绝了更新，见 opengov index process 的输出"
    if late > limit:
        return Level.ERROR, (detail + f"；最早一条已等待 {late:.0f} 分钟："
                             "搜索索引更新进程（opengov index process --watch）是否在运行？")
    return Level.OK, detail


def _calendar() -> tuple[Level, str]:
    today = clock.today()
    calendar = workdays.site_calendar()
    freshness = check_freshness(today, calendar)
    if freshness.ok:
        return Level.OK, f"覆盖 {today.year} 年" + (
            f"和 {today.year + 1} 年" if calendar.is_covered(today.year + 1) else "")
    # This year uncovered: deadlines are being guessed now. Next year: the daily
    # `opengov calendar check` fails until it is entered; requests of December need it.
    level = Level.ERROR if not calendar.is_covered(today.year) else Level.WARNING
    return level, " ".join(freshness.messages)


def _mail() -> tuple[Level, str]:
    if not mail_outbox.mail_configured():
        return Level.WARNING, "未配置邮件服务器（OPENGOV_SMTP_HOST）：申请人和办理人员收不到通知邮件"
    figures = mail_outbox.queue_figures(get_session())
    now = clock.utcnow()
    late = _minutes_overdue(figures.oldest_due, now)
    limit = int(current_app.config["OUTBOX_MAX_DELAY_MINUTES"])
    detail = (f"待发送 {figures.pending} 封，其中重试中 {figures.retrying} 封；"
              f"已放弃 {figures.failed} 封")
    if figures.failed:
        return Level.ERROR, detail + "：请在后台“通知邮件”页处理"
    if late > limit:
        return Level.ERROR, (detail + f"；最早一封已等待 {late:.0f} 分钟："
                             "邮件发送进程（opengov mail send --watch）是否在运行？")
    if figures.retrying:
        return Level.WARNING, detail + "：邮件服务器暂时拒绝或不可达"
    return Level.OK, detail


def _folders() -> dict[str, Path]:
    config = current_app.config
    return {"实例目录": Path(current_app.instance_path), "上传目录": Path(config["UPLOAD_DIR"]),
            "备份目录": Path(config["BACKUP_DIR"])}


def _disk() -> tuple[Level, str]:
    minimum = int(current_app.config["MIN_FREE_DISK_MB"])
    level = Level.OK
    parts: list[str] = []
    seen: set[int] = set()
    for label, folder in _folders().items():
        existing = next((path for path in (folder, *folder.parents) if path.exists()), None)
        if existing is None or existing.stat().st_dev in seen:
            continue
        seen.add(existing.stat().st_dev)
        free_mb = shutil.disk_usage(existing).free // (1024 * 1024)
        parts.append(f"{label}所在磁盘剩余 {free_mb} MB")
        if free_mb < minimum:
            level = Level.ERROR
        elif free_mb < 2 * minimum and level == Level.OK:
            level = Level.WARNING
    detail = "；".join(parts)
    if level != Level.OK:
        detail += f"（下限 {minimum} MB，OPENGOV_MIN_FREE_DISK_MB）"
    return level, detail


def _backup() -> tuple[Level, str]:
    from opengov.site.operations.service import backup as backups  # see _database

    newest = backups.newest_backup(Path(current_app.config["BACKUP_DIR"]))
    if newest is None:
        return Level.WARNING, "尚无备份：请启用每日备份（opengov backup）"
    age = clock.utcnow() - newest.created_at
    hours = age.total_seconds() / 3600
    limit = int(current_app.config["BACKUP_MAX_AGE_HOURS"])
    detail = f"最近一次 {clock.to_beijing(newest.created_at):%Y-%m-%d %H:%M}（{newest.path.name}）"
    if hours > limit:
        return Level.WARNING, detail + f"，已超过 {limit} 小时"
    return Level.OK, detail


CHECKS: tuple[tuple[str, str, Callable[[], tuple[Level, str]]], ...] = (
    ("database", "数据库", _database),
    ("search", "搜索引擎", _search),
    ("search_outbox", "搜索索引更新队列", _search_outbox),
    ("calendar", "工作日历", _calendar),
    ("mail", "通知邮件", _mail),
    ("disk", "磁盘空间", _disk),
    ("backup", "备份", _backup),
)


def site_status() -> SiteStatus:
    """Every check; one that raises reports an error instead of failing the others."""
    checks = []
    for name, label, run in CHECKS:
        try:
            level, detail = run()
        except Exception as exc:  # a broken part is what this reports
            get_session().rollback()
            level, detail = Level.ERROR, f"检查失败：{type(exc).__name__}: {exc}"[:300]
        checks.append(Check(name, label, level, detail))
    get_session().rollback()  # ends the read: a status page holds no snapshot
    return SiteStatus(checks)
