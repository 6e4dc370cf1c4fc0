"""``opengov import-content DIR`` / ``export-content DIR``: the site's own content
(``content/``) into the database and back; ``opengov import-corpus DIR``: the shared corpus of
real texts as demo/benchmark content."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from opengov.site.content.rules import NEAR_DUPLICATE_THRESHOLD
from opengov.site.content.service.corpus import CorpusError, import_corpus, read_manifest
from opengov.site.content.service.exporter import ContentExportError, export_directory
from opengov.site.content.service.importer import ContentImportError, import_directory


@click.command("import-content")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--threshold", type=click.FloatRange(0.5, 1.0), default=NEAR_DUPLICATE_THRESHOLD,
              show_default=True, help="近似重复的相似度阈值（5 字片段重合系数）。")
@click.option("--overwrite", "overwrite", multiple=True, metavar="KEY",
              help="以文件为准更新这篇在后台修改过的文档（文件名去掉 .md；可重复）。")
@with_appcontext
def import_content_command(directory: Path, threshold: float, overwrite: tuple[str, ...]) -> None:
    """导入 DIRECTORY/agencies.yaml 和 DIRECTORY/documents/*.md（可重复运行）。
    自上次导入后在后台修改过的文档不会被文件覆盖，报告为冲突。"""
    try:
        report = import_directory(directory, threshold, overwrite=frozenset(overwrite))
    except ContentImportError as error:
        for problem in error.problems:
            click.echo(problem, err=True)
        raise click.ClickException(f"导入失败：{len(error.problems)} 个问题，未写入任何内容。") \
            from None
    for line in report.lines():
        click.echo(line)


@click.command("export-content")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def export_content_command(directory: Path) -> None:
    """把数据库中已发布的文档、机关和附件导出到 DIRECTORY（content/ 格式，可重复运行）。"""
    try:
        report = export_directory(directory)
    except ContentExportError as error:
        for problem in error.problems:
            click.echo(problem, err=True)
        raise click.ClickException(f"导出失败：{len(error.problems)} 个问题，未写入任何文件。") \
            from None
    for line in report.lines():
        click.echo(line)


@click.command("import-corpus")
@click.argument("corpus_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def import_corpus_command(corpus_dir: Path) -> None:
    """Import CORPUS_DIR/MANIFEST.tsv (idempotent); run `opengov index process` or
    `opengov index rebuild` afterwards to make it searchable."""
    try:
        total = len(read_manifest(corpus_dir))
        with click.progressbar(length=total, label="导入语料") as bar:
            report = import_corpus(corpus_dir, progress=bar.update)
    except CorpusError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"新增 {report.created} 篇，更新 {report.updated} 篇，未变 {report.unchanged} 篇。")
    for missing in report.missing:
        click.echo(f"找不到文件：{missing}", err=True)


#: The commands this feature adds to ``opengov``.
COMMANDS: tuple[click.Command, ...] = (import_content_command, export_content_command, import_corpus_command)
