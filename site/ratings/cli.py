"""``opengov ratings remind``: the daily reminders of 差评 follow-ups due soon or overdue."""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import AppGroup

from opengov.site import clock
from opengov.site.commandline import DATE
from opengov.site.ratings.service import followups


@click.group("ratings", cls=AppGroup)
def ratings_group() -> None:
    """好差评: reminders of the follow-ups (回访、整改) of 差评."""


@ratings_group.command("remind")
@click.option("--today", type=DATE, default=None)
def ratings_remind(today: dt.date | None) -> None:
    """E-mail the staff who answer each open follow-up due in 5, 3 or 1 working days, or
    overdue (run daily from cron)."""
    lines = followups.remind(today or clock.today())
    for line in lines:
        click.echo(line)
    if not lines:
        click.echo("没有需要提醒的差评回访整改。")


#: The commands this feature adds to ``opengov``.
COMMANDS: tuple[click.Command, ...] = (ratings_group,)
