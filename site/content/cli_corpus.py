"""`opengov import-corpus`: the shared corpus of real texts as demo/benchmark content."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from opengov.site.content.service.corpus import CorpusError, import_corpus, read_manifest
from opengov.site.db import get_session


@click.command("import-corpus")
@click.argument("corpus_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def import_corpus_command(corpus_dir: Path) -> None:
    """Import CORPUS_DIR/MANIFEST.tsv (idempotent); run `opengov index process` or
    `opengov index rebuild` afterwards to make it searchable."""
    try:
        total = len(read_manifest(corpus_dir))
        with click.progressbar(length=total, label="导入语料") as bar:
            report = import_corpus(get_session(), corpus_dir, progress=bar.update)
    except CorpusError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"新增 {report.created} 篇，更新 {report.updated} 篇，未变 {report.unchanged} 篇。")
    for missing in report.missing:
        click.echo(f"找不到文件：{missing}", err=True)
