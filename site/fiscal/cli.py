"""``opengov import-fiscal``: load content/fiscal/ (real 三公 figures and the 示例 disclosures)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from opengov.site.fiscal.service.content import FiscalContentError, import_content


@click.command("import-fiscal")
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def import_fiscal_command(folder: Path | None) -> None:
    """导入财政预决算内容（默认 CONTENT_DIR/fiscal）：真实“三公”经费数据及示例部门预决算。

    可重复运行：按 单位+年度+阶段 更新，不会重复。
    """
    folder = folder or Path(current_app.config["CONTENT_DIR"]) / "fiscal"
    if not folder.is_dir():
        raise click.ClickException(f"目录不存在：{folder}")
    try:
        reports = import_content(folder)
    except FiscalContentError as exc:
        raise click.ClickException(str(exc)) from None
    if not reports:
        click.echo(f"{folder} 中没有财政内容文件。")
    for name, report in reports.items():
        click.echo(f"{name}：新增 {report.created}，更新 {report.updated}，未变 {report.unchanged}，"
                   f"删除 {report.deleted}")
        for warning in report.warnings:
            click.echo(f"  注意：{warning}")


#: The commands this feature adds to ``opengov``.
COMMANDS: tuple[click.Command, ...] = (import_fiscal_command,)
