"""CLI of 依申请公开: ``opengov deadline``, ``opengov calendar …``, ``opengov requests …``."""

from __future__ import annotations

import datetime as dt
import sys

import click
from flask import current_app
from flask.cli import AppGroup, ScriptInfo
from sqlalchemy.exc import OperationalError, ProgrammingError

from opengov.site.config import ConfigError
from opengov.site.db import get_session
from opengov.site.requests.service import handling as request_service
from opengov.site.requests.service.notifications import send_reminders
from opengov.site.workdays import service as work_calendar
from opengov.site.workdays.rules import WorkingCalendar, check_freshness


def _day(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter("日期格式应为 YYYY-MM-DD") from exc


def _site_calendar() -> WorkingCalendar:
    """The calendar with the staff overrides; the package data alone before `opengov init`."""
    session = get_session()
    try:
        return work_calendar.load_calendar(session)
    except (OperationalError, ProgrammingError):
        session.rollback()
        click.echo("提示：数据库尚未初始化，仅使用 chinesecalendar 数据。", err=True)
        return WorkingCalendar()


@click.command("deadline")
@click.argument("start", callback=_day)
@click.option("--days", default=20, show_default=True, type=click.IntRange(min=0),
              help="Working days after START.")
@click.pass_context
def deadline_command(ctx: click.Context, start: dt.date, days: int) -> None:
    """Print the date DAYS working days after START (counted from the next day), with
    ' provisional' when it rests on a year without official holiday data."""
    try:
        app = ctx.ensure_object(ScriptInfo).load_app()
    except ConfigError:
        # No instance yet: the package data alone still answers.
        click.echo("提示：实例尚未初始化，仅使用 chinesecalendar 数据。", err=True)
        click.echo(str(WorkingCalendar().due(start, days)))
        return
    with app.app_context():
        click.echo(str(_site_calendar().due(start, days)))


@click.group("calendar", cls=AppGroup)
def calendar_group() -> None:
    """Working-day calendar: staff overrides from the State Council's yearly notice."""


@calendar_group.command("set")
@click.argument("day", callback=_day)
@click.argument("status", type=click.Choice(["workday", "holiday"]))
@click.option("--note", default="", help="e.g. 国办发明电〔2026〕N号 元旦")
def calendar_set(day: dt.date, status: str, note: str) -> None:
    """Mark DAY a working day (调休上班) or a day off; open requests are recomputed."""
    session = get_session()
    work_calendar.set_override(session, day, status == "workday", note, "cli")
    session.commit()
    click.echo(f"{day.isoformat()} {'上班' if status == 'workday' else '休息'}")


@calendar_group.command("unset")
@click.argument("day", callback=_day)
def calendar_unset(day: dt.date) -> None:
    """Remove the override of DAY."""
    session = get_session()
    if not work_calendar.remove_override(session, day):
        raise click.ClickException(f"{day.isoformat()} 没有调整记录")
    session.commit()


@calendar_group.command("confirm")
@click.argument("year", type=int)
@click.option("--note", default="", help="The notice the overrides were entered from.")
def calendar_confirm(year: int, note: str) -> None:
    """Declare YEAR's holidays completely entered: its dates are no longer provisional."""
    session = get_session()
    work_calendar.confirm_year(session, year, note)
    session.commit()
    click.echo(f"{year}年工作日历已确认")


@calendar_group.command("list")
@click.argument("year", type=int)
def calendar_list(year: int) -> None:
    """List the overrides of YEAR."""
    for row in work_calendar.overrides_in(get_session(), year):
        click.echo(f"{row.day.isoformat()} {'workday' if row.workday else 'holiday'} {row.note}")


@calendar_group.command("check")
@click.option("--today", callback=_day, default=None, help="Check as of this date.")
def calendar_check(today: dt.date | None) -> None:
    """Exit non-zero when this year, or from 1 November next year, is not covered."""
    result = check_freshness(today or request_service.china_today(), _site_calendar())
    for message in result.messages:
        click.echo(message, err=True)
    if not result.ok:
        sys.exit(1)
    click.echo("工作日历覆盖今年和明年所需日期。")


@click.group("requests", cls=AppGroup)
def requests_group() -> None:
    """依申请公开: reminders, lapsed windows, anonymisation."""


@requests_group.command("remind")
@click.option("--today", callback=_day, default=None)
def requests_remind(today: dt.date | None) -> None:
    """Record lapsed 补正/fee windows, then e-mail handlers about deadlines 5, 3 and 1
    working days away (and overdue ones)."""
    session = get_session()
    today = today or request_service.china_today()
    for request in request_service.apply_lapses(session, today):
        click.echo(f"{request.number} 视为放弃申请")
    session.commit()
    for line in send_reminders(session, today):
        click.echo(line)


@requests_group.command("anonymise")
@click.option("--today", callback=_day, default=None)
def requests_anonymise(today: dt.date | None) -> None:
    """Erase personal data of requests closed longer ago than REQUEST_RETENTION_YEARS."""
    session = get_session()
    years = current_app.config["REQUEST_RETENTION_YEARS"]
    count = request_service.anonymise_closed(
        session, today or request_service.china_today(), years)
    session.commit()
    click.echo(f"已匿名化 {count} 件申请（保存期限 {years} 年）")


@requests_group.command("recompute")
def requests_recompute() -> None:
    """Recompute every open request's dates (after upgrading chinesecalendar)."""
    session = get_session()
    count = request_service.recompute_all(session, work_calendar.load_calendar(session))
    session.commit()
    click.echo(f"已重新计算 {count} 件申请的期限")
