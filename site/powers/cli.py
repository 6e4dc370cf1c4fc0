"""``opengov import-powers DIR``: the site's own 权力清单 from ``DIR``."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from opengov.site.exceptions import ServiceError
from opengov.site.powers.service.content import ContentError, import_powers


@click.command("import-powers")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def import_powers_command(directory: Path) -> None:
    """导入 DIRECTORY/powers.yaml 中的权力清单并发布（可重复运行；在 import-content 之后）。"""
    try:
        report = import_powers(directory)
    except ContentError as error:
        for problem in error.problems:
            click.echo(problem, err=True)
        raise click.ClickException(f"导入失败：{len(error.problems)} 个问题，未写入任何内容。") \
            from None
    except ServiceError as error:
        raise click.ClickException(f"导入失败，未写入任何内容：{error.message}") from None
    for line in report.lines():
        click.echo(line)


#: The commands this feature adds to ``opengov``.
COMMANDS: tuple[click.Command, ...] = (import_powers_command,)
