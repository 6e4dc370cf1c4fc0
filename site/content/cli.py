"""``opengov import-content DIR`` / ``export-content DIR``: the site's own content
(``content/``) into the database and back."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from opengov.site.content.rules import NEAR_DUPLICATE_THRESHOLD
from opengov.site.content.service.exporter import ContentExportError, export_content
from opengov.site.content.service.importer import ContentImportError, import_content
from opengov.site.db import get_session


@click.command("import-content")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--threshold", type=click.FloatRange(0.5, 1.0), default=NEAR_DUPLICATE_THRESHOLD,
              show_default=True, help="近似重复的相似度阈值（5 字片段重合系数）。")
@with_appcontext
def import_content_command(directory: Path, threshold: float) -> None:
    """导入 DIRECTORY/agencies.yaml 和 DIRECTORY/documents/*.md（可重复运行）。"""
    session = get_session()
    try:
        report = import_content(session, directory, threshold,
                                upload_dir=Path(current_app.config["UPLOAD_DIR"]))
    except ContentImportError as error:
        session.rollback()
        for problem in error.problems:
            click.echo(problem, err=True)
        raise click.ClickException(f"导入失败：{len(error.problems)} 个问题，未写入任何内容。") \
            from None
    session.commit()
    for line in report.lines():
        click.echo(line)


@click.command("export-content")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def export_content_command(directory: Path) -> None:
    """把数据库中已发布的文档、机关和附件导出到 DIRECTORY（content/ 格式，可重复运行）。"""
    session = get_session()
    try:
        report = export_content(session, directory, Path(current_app.config["UPLOAD_DIR"]))
    except ContentExportError as error:
        session.rollback()
        for problem in error.problems:
            click.echo(problem, err=True)
        raise click.ClickException(f"导出失败：{len(error.problems)} 个问题，未写入任何文件。") \
            from None
    session.commit()  # the content keys given to editor-made documents
    for line in report.lines():
        click.echo(line)
