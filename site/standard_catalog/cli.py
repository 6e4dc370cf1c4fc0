"""``opengov standard-catalog``: load the demo catalogs, import an agency's XLSX catalog."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from opengov.site.agencies import service as agencies
from opengov.site.audit.service import COMMAND_LINE
from opengov.site.exceptions import ServiceError
from opengov.site.standard_catalog import service
from opengov.site.standard_catalog.service import ImportReport


def _echo(report: ImportReport) -> None:
    if report.problems:
        for problem in report.problems:
            click.echo(f"  {problem}", err=True)
        raise click.ClickException(f"{report.agency}：有 {len(report.problems)} 处问题，未导入。")
    click.echo(f"{report.agency}：导入 {report.created} 项（领域："
               f"{'、'.join(report.replaced_domains)}）。")


@click.group("standard-catalog")
def standard_catalog() -> None:
    """基层政务公开标准目录。"""


@standard_catalog.command("load")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def load(folder: Path) -> None:
    """Load the catalogs in FOLDER (content/standard_catalog: one YAML file per agency)."""
    try:
        reports = service.load_content(folder, origin=COMMAND_LINE)
    except ServiceError as refusal:
        raise click.ClickException(refusal.message) from refusal
    for report in reports:
        _echo(report)


@standard_catalog.command("import")
@click.argument("agency")
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--example", is_flag=True, help="Mark the rows as 示例 (demonstration content).")
@with_appcontext
def import_workbook(agency: str, workbook: Path, example: bool) -> None:
    """Import AGENCY's catalog from an XLSX WORKBOOK; the domains it covers are replaced."""
    found = agencies.find_agency(agency)
    if found is None:
        raise click.ClickException(f"机构“{agency}”不存在。")
    try:
        report = service.import_workbook(None, found.id, workbook.read_bytes(),
                                         origin=COMMAND_LINE, example=example)
    except ServiceError as refusal:
        raise click.ClickException(refusal.message) from refusal
    _echo(report)


COMMANDS = (standard_catalog,)
