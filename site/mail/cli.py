"""``opengov mail send [--watch]`` (the mail worker) and ``opengov mail test ADDRESS``."""

from __future__ import annotations

import signal
import smtplib
import threading
from types import FrameType

import click
from flask.cli import AppGroup

from opengov.site.mail.service.sender import SendReport, send_due, send_test


@click.group("mail", cls=AppGroup)
def mail_group() -> None:
    """Notices by e-mail: deliver the queue, test the settings."""


def _echo_round(report: SendReport, *, quiet_when_idle: bool) -> None:
    if report.sent or not report.ok or not quiet_when_idle:
        click.echo(f"已发出 {report.sent} 封，失败待重试 {report.retrying} 封，"
                   f"放弃 {report.failed} 封。")
    for error in report.errors:
        click.echo(f"邮件发送错误：{error}", err=True)


@mail_group.command("send")
@click.option("--limit", default=1000, show_default=True, help="Most notices to send.")
@click.option("--watch", type=float, default=None,
              help="Keep running, a round every WATCH seconds: the mail worker beside "
                   "gunicorn. Stops after the round in progress on SIGTERM or SIGINT.")
def send_command(limit: int, watch: float | None) -> None:
    """Send the queued notices that are due. Without --watch, one round that exits with 1
    when a notice failed (it is retried later, or listed for staff once given up)."""
    if watch is None:
        report = send_due(limit=limit)
        _echo_round(report, quiet_when_idle=False)
        if not report.ok:
            raise SystemExit(1)
        return
    stop = threading.Event()

    def request_stop(_signal: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = {number: signal.signal(number, request_stop)
                for number in (signal.SIGTERM, signal.SIGINT)}
    click.echo(f"邮件发送进程已启动，每 {watch:g} 秒检查一次。")
    try:
        while not stop.is_set():
            _echo_round(send_due(limit=limit), quiet_when_idle=True)
            stop.wait(watch)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    click.echo("邮件发送进程已停止。")


@mail_group.command("test")
@click.argument("address")
def test_command(address: str) -> None:
    """Send a test message to ADDRESS now, bypassing the queue, and report the server's
    answer: to check SMTP_* settings (TLS, authentication) after changing them."""
    try:
        server = send_test(address)
    except (OSError, smtplib.SMTPException) as exc:
        raise click.ClickException(f"测试邮件未能发出：{type(exc).__name__}: {exc}") from exc
    click.echo(f"测试邮件已交给 {server}。")


#: The commands this feature adds to ``opengov``.
COMMANDS: tuple[click.Command, ...] = (mail_group,)
