"""CLI of the working-day calendar: ``opengov deadline`` and ``opengov calendar …``."""

from __future__ import annotations

import datetime as dt
import sys

import click
from flask.cli import AppGroup, ScriptInfo

from opengov.site import clock
from opengov.site.commandline import DATE
from opengov.site.config import ConfigError
from opengov.site.workdays import service as work_calendar
from opengov.site.workdays.rules import WorkingCalendar, check_freshness

NOT_INITIALISED = "提示：数据库尚未初始化，仅使用 chinesecalendar 数据。"



def _site_calendar() -> WorkingCalendar:
    """The calendar with the staff overrides; the package data alone before `opengov init`."""
    calendar = work_calendar.site_calendar_if_initialised()
    if calendar is None:
        click.echo(NOT_INITIALISED, err=True)
        return WorkingCalendar()
    return calendar


@click.command("deadline")
@click.argument("start", type=DATE)
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
@click.argument("day", type=DATE)
@click.argument("status", type=click.Choice(["workday", "holiday"]))
@click.option("--note", default="", help="e.g. 国办发明电〔2026〕N号 元旦")
def calendar_set(day: dt.date, status: str, note: str) -> None:
    """Mark DAY a working day (调休上班) or a day off; open requests are recomputed."""
    work_calendar.set_override(day, status == "workday", note, actor=None)
    click.echo(f"{day.isoformat()} {'上班' if status == 'workday' else '休息'}")


@calendar_group.command("unset")
@click.argument("day", type=DATE)
def calendar_unset(day: dt.date) -> None:
    """Remove the override of DAY."""
    if not work_calendar.remove_override(day):
        raise click.ClickException(f"{day.isoformat()} 没有调整记录")


@calendar_group.command("confirm")
@click.argument("year", type=int)
@click.option("--note", default="", help="The notice the overrides were entered from.")
def calendar_confirm(year: int, note: str) -> None:
    """Declare YEAR's holidays completely entered: its dates are no longer provisional."""
    work_calendar.confirm_year(year, note)
    click.echo(f"{year}年工作日历已确认")


@calendar_group.command("list")
@click.argument("year", type=int)
def calendar_list(year: int) -> None:
    """List the overrides of YEAR."""
    for row in work_calendar.overrides_in(year):
        click.echo(f"{row.day.isoformat()} {'workday' if row.workday else 'holiday'} {row.note}")


@calendar_group.command("check")
@click.option("--today", type=DATE, default=None, help="Check as of this date.")
def calendar_check(today: dt.date | None) -> None:
    """Exit non-zero when this year, or from 1 November next year, is not covered."""
    result = check_freshness(today or clock.today(), _site_calendar())
    for message in result.messages:
        click.echo(message, err=True)
    if not result.ok:
        sys.exit(1)
    click.echo("工作日历覆盖今年和明年所需日期。")


#: The commands this feature adds to ``opengov``.
COMMANDS: tuple[click.Command, ...] = (deadline_command, calendar_group)
