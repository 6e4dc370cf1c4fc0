"""CLI of 征求意见: ``opengov import-consultations`` (the demo content)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

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


#: The commands this feature adds to ``opengov``.
COMMANDS: tuple[click.Command, ...] = (import_consultations_command,)
