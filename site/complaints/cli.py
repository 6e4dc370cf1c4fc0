"""CLI of 举报投诉: ``opengov complaints …`` (the daily reminder and anonymisation)."""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import AppGroup

from opengov.site import clock
from opengov.site.commandline import DATE
from opengov.site.complaints.service import upkeep


@click.group("complaints", cls=AppGroup)
def complaints_group() -> None:
    """举报投诉: reminders of due dates, anonymisation."""


@complaints_group.command("remind")
@click.option("--today", type=DATE, default=None)
def complaints_remind(today: dt.date | None) -> None:
    """E-mail handlers about complaints due in 5, 3 or 1 working days, due today or overdue
    (run daily from cron)."""
    for line in upkeep.remind(today or clock.today()):
        click.echo(line)


@complaints_group.command("anonymise")
@click.option("--today", type=DATE, default=None)
def complaints_anonymise(today: dt.date | None) -> None:
    """Erase complainants' personal data of complaints answered or withdrawn longer ago than
    COMPLAINT_RETENTION_YEARS (run daily)."""
    done = upkeep.anonymise(today or clock.today())
    click.echo(f"已匿名化 {done.count} 件投诉举报（保存期限 {done.years} 年）")


@complaints_group.command("recompute")
def complaints_recompute() -> None:
    """Recompute every open complaint's due date (after upgrading chinesecalendar or changing
    COMPLAINT_REPLY_DAYS)."""
    click.echo(f"已重新计算 {upkeep.recompute()} 件投诉举报的答复期限")


#: The commands this feature adds to ``opengov``.
COMMANDS: tuple[click.Command, ...] = (complaints_group,)
