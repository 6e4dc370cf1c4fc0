"""The ``opengov`` command: a Flask CLI group bound to the site for every operation."""

from __future__ import annotations

import importlib
import secrets
from pathlib import Path

import click
from flask import Flask
from flask.cli import FlaskGroup, ScriptInfo, with_appcontext

from opengov.site.app import create_app
from opengov.site.bootstrap import initialise
from opengov.site.config import ConfigError, default_instance_path
from opengov.site.db import get_database


class SiteGroup(FlaskGroup):
    """Flask's command group, listing only the site's own commands: every command is
    registered here, so ``opengov --help`` on a machine not yet set up (no secret key, no
    database) shows them instead of the traceback of building an app it does not need."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return click.Group.list_commands(self, ctx)


def _create_app() -> Flask:
    """The app for a command; settings that stop it from starting are the operator's to fix,
    reported as a command error (exit status 1), not as a traceback."""
    try:
        return create_app()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group(cls=SiteGroup, create_app=_create_app, add_version_option=False,
             load_dotenv=False, set_debug_flag=False)
def main() -> None:
    """政府信息公开平台的管理命令。"""


def _ensure_secret_key(instance_path: Path) -> None:
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32), encoding="ascii")
        key_file.chmod(0o600)


@main.command("init", with_appcontext=False)
@click.pass_context
def init_command(ctx: click.Context) -> None:
    """Create or migrate the database and the search index in the instance folder."""
    from opengov.site.migrate import MigrationRefusedError

    _ensure_secret_key(default_instance_path())
    # The app is built only now: it refuses to start without the secret key made above.
    with ctx.ensure_object(ScriptInfo).load_app().app_context():
        try:
            lines = initialise()
        except MigrationRefusedError as exc:
            raise click.ClickException(str(exc)) from exc
        for line in lines:
            click.echo(line)


@main.group("db")
def db_group() -> None:
    """Schema migrations."""


@db_group.command("upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Apply pending migrations."""
    from opengov.site import migrate

    try:
        migrate.upgrade(get_database().engine)
    except migrate.MigrationRefusedError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"已迁移到 {migrate.current_revision(get_database().engine)}")


@db_group.command("revision")
@click.option("-m", "--message", required=True)
@with_appcontext
def db_revision(message: str) -> None:
    """Autogenerate a migration from the models (developers)."""
    from opengov.site import migrate

    migrate.autogenerate(get_database().engine, message)


@main.command("settings", with_appcontext=False)
def settings_command() -> None:
    """Print every setting as a Markdown table (the README's configuration section)."""
    from opengov.site.config import settings_table

    click.echo(settings_table())


#: Features whose ``cli`` module adds commands (its ``COMMANDS``) to ``opengov``.
FEATURES_WITH_COMMANDS = (
    "accounts",
    "complaints",
    "consultations",
    "content",
    "fiscal",
    "mail",
    "operations",
    "powers",
    "ratings",
    "requests",
    "search",
    "service_items",
    "standard_catalog",
    "workdays",
)

for _feature in FEATURES_WITH_COMMANDS:
    for _command in importlib.import_module(f"opengov.site.{_feature}.cli").COMMANDS:
        main.add_command(_command)

# `opengov db copy` belongs to operations; the `db` group is the composition root's.
for _command in importlib.import_module("opengov.site.operations.cli").DB_COMMANDS:
    db_group.add_command(_command)
