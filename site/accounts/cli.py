"""``opengov create-admin`` and ``opengov audit purge``: the first account and log retention."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from opengov.site.accounts.rules.roles import Role
from opengov.site.accounts.service import users as accounts
from opengov.site.accounts.service.auth import login_policy, password_policy
from opengov.site.audit import service as audit
from opengov.site.audit.service import AuditAction, Origin
from opengov.site.db import get_session

CLI_ORIGIN = Origin(ip="", user_agent="opengov CLI")


@click.command("create-admin")
@click.argument("username")
@click.option("--display-name", default="", help="姓名（默认同用户名）")
@click.option("--email", default="")
@click.password_option("--password", prompt="密码", confirmation_prompt="再次输入密码",
                       help="不给出时交互输入（不回显）")
@with_appcontext
def create_admin(username: str, display_name: str, email: str, password: str) -> None:
    """Create an administrator account (the first account of a new site)."""
    session = get_session()
    try:
        user = accounts.create_user(session, username=username, display_name=display_name,
                                    email=email, password=password,
                                    roles=frozenset({Role.ADMIN}), policy=password_policy())
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    audit.record(session, AuditAction.ACCOUNT, actor=None, origin=CLI_ORIGIN,
                 username="(命令行)", object_type="user", object_id=user.id,
                 detail=f"创建管理员 {user.username}")
    session.commit()
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
    retention = days if days is not None else current_app.config["AUDIT_RETENTION_DAYS"]
    session = get_session()
    try:
        deleted = audit.purge(session, retention)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    accounts.purge_failures(session, login_policy())
    audit.record(session, AuditAction.PURGE, actor=None, origin=CLI_ORIGIN,
                 username="(命令行)", detail=f"保留 {retention} 天，删除 {deleted} 条")
    session.commit()
    click.echo(f"已删除 {deleted} 条超过 {retention} 天的审计日志。")
