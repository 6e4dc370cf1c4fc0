"""``opengov create-admin`` and ``opengov audit purge``: the first account and log retention."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from opengov.site.accounts.service import users as accounts
from opengov.site.exceptions import ServiceError


@click.command("create-admin")
@click.argument("username")
@click.option("--display-name", default="", help="姓名（默认同用户名）")
@click.option("--email", default="")
@click.password_option("--password", prompt="密码", confirmation_prompt="再次输入密码",
                       help="不给出时交互输入（不回显）")
@with_appcontext
def create_admin(username: str, display_name: str, email: str, password: str) -> None:
    """Create an administrator account (the first account of a new site)."""
    try:
        user = accounts.create_admin_account(username=username, display_name=display_name,
                                             email=email, password=password)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"已创建管理员账户 {user.username}。")


@click.group("audit")
def audit_group() -> None:
    """The audit log."""


@audit_group.command("purge")
@click.option("--days", type=int, default=None,
              help="保留天数（默认 AUDIT_RETENTION_DAYS，不少于 184）")
@with_appcontext
def purge(days: int | None) -> None:
    """Delete audit entries older than the retention period (never younger ones)."""
    try:
        done = accounts.purge_logs(days)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"已删除 {done.deleted} 条超过 {done.retention_days} 天的审计日志。")


#: The commands this feature adds to ``opengov``.
COMMANDS: tuple[click.Command, ...] = (create_admin, audit_group)
