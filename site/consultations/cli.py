"""CLI of 征求意见: ``opengov import-consultations`` (the demo content) and ``opengov
consultations …`` (the daily anonymisation of commenters)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from opengov.site import clock
from opengov.site.commandline import DATE
from opengov.site.consultations.service import upkeep
from opengov.site.consultations.service.content import (
    ConsultationContentError,
    import_directory,
)


@click.command("import-consultations")
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def import_consultations_command(folder: Path | None) -> None:
    """导入征求意见示例内容（默认 CONTENT_DIR/consultations）；可重复运行，按文件名更新。

    Run after import-content: the consultations belong to its agencies.
    """
    folder = folder or Path(current_app.config["CONTENT_DIR"]) / "consultations"
    if not folder.is_dir():
        raise click.ClickException(f"目录不存在：{folder}")
    try:
        report = import_directory(folder)
    except ConsultationContentError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"征求意见：新增 {len(report.created)}，更新 {len(report.updated)}，"
               f"未变 {len(report.unchanged)}")


@click.group("consultations", cls=AppGroup)
def consultations_group() -> None:
    """征求意见: anonymisation of commenters."""


@consultations_group.command("anonymise")
@click.option("--today", type=DATE, default=None)
def consultations_anonymise(today: dt.date | None) -> None:
    """Erase commenters' names and contacts on consultations closed longer ago than
    COMMENT_RETENTION_YEARS; the comments and the published feedback stay (run daily)."""
    done = upkeep.anonymise(today or clock.today())
    click.echo(f"已匿名化 {done.count} 条意见的提出人信息（征求意见结束后保存 {done.years} 年）")


#: The commands this feature adds to ``opengov``.
COMMANDS: tuple[click.Command, ...] = (import_consultations_command, consultations_group)
