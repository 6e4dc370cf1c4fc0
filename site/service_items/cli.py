"""``opengov import-service-items DIR``: the site's own 政务服务事项 from ``DIR``."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from opengov.site.exceptions import ServiceError
from opengov.site.service_items.service.content import ContentError, import_items


@click.command("import-service-items")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def import_service_items_command(directory: Path) -> None:
    """导入 DIRECTORY/service_items.yaml 中的政务服务事项并发布（可重复运行；在 import-content 之后）。"""
    try:
        report = import_items(directory)
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
COMMANDS: tuple[click.Command, ...] = (import_service_items_command,)
