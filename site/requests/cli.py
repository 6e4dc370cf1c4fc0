"""CLI of 依申请公开: ``opengov requests …`` (the daily jobs)."""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import AppGroup

from opengov.site import clock
from opengov.site.commandline import DATE
from opengov.site.requests.service import upkeep


@click.group("requests", cls=AppGroup)
def requests_group() -> None:
    """依申请公开: reminders, lapsed windows, anonymisation."""


@requests_group.command("remind")
@click.option("--today", type=DATE, default=None)
def requests_remind(today: dt.date | None) -> None:
    """Record lapsed 补正/fee windows, then queue notices to handlers about deadlines 5, 3
    and 1 working days away (and overdue ones); `opengov mail send` delivers them."""
    reminded = upkeep.remind(today or clock.today())
    for number in reminded.lapsed:
        click.echo(f"{number} 视为放弃申请")
    for line in reminded.reminders:
        click.echo(line)


@requests_group.command("anonymise")
@click.option("--today", type=DATE, default=None)
def requests_anonymise(today: dt.date | None) -> None:
    """Erase personal data of requests closed longer ago than REQUEST_RETENTION_YEARS."""
    done = upkeep.anonymise(today or clock.today())
    click.echo(f"已匿名化 {done.count} 件申请（保存期限 {done.years} 年）")


@requests_group.command("recompute")
def requests_recompute() -> None:
    """Recompute every open request's dates (after upgrading chinesecalendar)."""
    click.echo(f"已重新计算 {upkeep.recompute()} 件申请的期限")


#: The commands this feature adds to ``opengov``.
COMMANDS: tuple[click.Command, ...] = (requests_group,)
