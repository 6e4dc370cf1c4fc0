"""Commands of running the site: ``opengov status``, ``backup``, ``restore``, ``upgrade``
and ``db copy``. Every one exits non-zero when it fails, so that a systemd timer or a
monitoring system notices."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import ScriptInfo, with_appcontext

from opengov.site.bootstrap import initialise
from opengov.site.config import ConfigError, default_instance_path, load_settings
from opengov.site.exceptions import ServiceError
from opengov.site.operations.service import backup as backups
from opengov.site.operations.service import copying, health
from opengov.site.operations.service.upgrade import UpgradeError, run_upgrade, upgrade_steps

SYMBOLS = {health.Level.OK: "✓", health.Level.WARNING: "!", health.Level.ERROR: "✗"}


@click.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the checks as JSON.")
@with_appcontext
def status_command(as_json: bool) -> None:
    """Check the database, search engine and its update queue, working-day calendar, mail,
    free disk and backups. Exits with 1 when something is wrong (warnings do not count)."""
    status = health.site_status()
    if as_json:
        click.echo(json.dumps(status.as_dict(), ensure_ascii=False, indent=2))
    else:
        for check in status.checks:
            click.echo(f"{SYMBOLS[check.level]} {check.label}："
                       f"{health.LEVEL_LABELS[check.level]}  {check.detail}")
        click.echo(f"总体：{health.LEVEL_LABELS[status.level]}")
    if not status.ok:
        raise SystemExit(1)


@click.command("backup")
@click.argument("directory", required=False,
                type=click.Path(file_okay=False, path_type=Path))
@click.option("--keys", "keys_to", type=click.Path(file_okay=False, path_type=Path),
              help="Also write secret_key and personal_data_key to a folder of this name "
                   "here: keep it apart from the backups (another medium, a safe).")
@click.option("--prune", is_flag=True,
              help="Then delete all but the BACKUP_KEEP newest backups in the folder.")
@with_appcontext
def backup_command(directory: Path | None, keys_to: Path | None, prune: bool) -> None:
    """Back the running site up into a new folder in DIRECTORY (default BACKUP_DIR): the
    database (a consistent copy while the site runs), the uploaded files, the settings and a
    manifest with checksums. The keys are not in it (see --keys)."""
    try:
        report = backups.create_backup(directory, keys_to=keys_to)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"备份完成：{report.path}")
    click.echo(f"数据库 {report.database_bytes / 1048576:.1f} MB，"
               f"{sum(report.tables.values())} 行（{len(report.tables)} 张表）；"
               f"附件 {report.files} 个，{report.file_bytes / 1048576:.1f} MB；"
               f"用时 {report.seconds:.1f} 秒。")
    if report.keys_path is not None:
        click.echo(f"密钥已写入 {report.keys_path}：请把它移到与备份分开保管的介质上。")
    for warning in report.warnings:
        click.echo(f"注意：{warning}", err=True)
    if prune:
        parent = (directory or Path(current_app.config["BACKUP_DIR"])).resolve()
        for path in backups.prune_backups(parent, int(current_app.config["BACKUP_KEEP"])):
            click.echo(f"已删除旧备份 {path.name}")


@click.command("restore")
@click.argument("backup", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--keys", "keys_from", type=click.Path(exists=True, file_okay=False,
                                                     path_type=Path),
              help="The key folder written by `opengov backup --keys` for this backup.")
@click.pass_context
def restore_command(ctx: click.Context, backup: Path, keys_from: Path | None) -> None:
    """Restore BACKUP (a folder written by `opengov backup`) into this empty instance: check
    every file against the manifest, put back the keys (--keys) and settings, the database
    and the uploaded files, then migrate to this release and rebuild the search index."""
    try:
        manifest = backups.read_backup(backup)
        instance = default_instance_path()
        lines = backups.place_settings(manifest, instance)
        try:
            settings = load_settings(instance, os.environ)
        except ConfigError as exc:
            raise click.ClickException(str(exc)) from exc
        lines += backups.place_keys(manifest, instance, keys_from,
                                    {"SECRET_KEY": settings.get("SECRET_KEY"),
                                     "PERSONAL_DATA_KEY": settings.get("PERSONAL_DATA_KEY")})
    except ServiceError as exc:
        raise click.ClickException(exc.message) from exc
    for line in lines:
        click.echo(line)
    app = ctx.ensure_object(ScriptInfo).load_app()
    with app.app_context():
        try:
            report = backups.restore_backup(manifest)
        except ServiceError as exc:
            raise click.ClickException(exc.message) from exc
        for line in report.lines:
            click.echo(line)
        click.echo(f"已恢复 {sum(report.tables.values())} 行（{len(report.tables)} 张表）、"
                   f"附件 {report.files} 个，用时 {report.seconds:.1f} 秒；各表行数与备份清单一致。")
        for line in initialise():
            click.echo(line)


@click.command("upgrade")
@click.option("--no-backup", is_flag=True, help="Skip the backup (only if you made one).")
@click.option("--keys", "keys_to", type=click.Path(file_okay=False, path_type=Path),
              help="Also write the keys apart, as `opengov backup --keys`.")
@click.option("--content", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Also import the site's content files from this folder (documents "
                   "edited in the back office since their last import are left alone).")
@with_appcontext
def upgrade_command(no_backup: bool, keys_to: Path | None, content: Path | None) -> None:
    """After installing a new release: back up, migrate, (import content,) check the search
    index — stopping at the first step that fails."""
    try:
        run_upgrade(upgrade_steps(backup=not no_backup, keys_to=keys_to, content=content),
                    click.echo)
    except UpgradeError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo("升级完成。")


@click.command("copy")
@click.option("--to", "target", required=True, metavar="URL",
              help="SQLAlchemy URL of an empty database: postgresql+psycopg://user@host/db "
                   "or sqlite:////path/opengov.sqlite3")
@with_appcontext
def db_copy_command(target: str) -> None:
    """Copy the whole site — every table — into the empty database at URL and verify it by
    row counts and checksums. Stop the site first; then point OPENGOV_DATABASE_URL at URL."""
    try:
        report = copying.copy_database(target)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from exc
    for table in report.tables:
        click.echo(f"{table.name}: {table.rows} 行 sha256 {table.checksum[:12]}")
    click.echo(f"已复制 {report.rows} 行（{len(report.tables)} 张表，迁移版本 {report.revision}）"
               f"到 {report.target}，行数与校验和一致。")


#: The commands this feature adds to ``opengov``.
COMMANDS: tuple[click.Command, ...] = (status_command, backup_command, restore_command,
                                       upgrade_command)
#: The commands this feature adds to ``opengov db``.
DB_COMMANDS: tuple[click.Command, ...] = (db_copy_command,)
