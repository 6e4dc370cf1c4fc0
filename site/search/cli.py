"""`opengov index …` and `opengov synonyms …`: keep the search index and vocabulary."""

from __future__ import annotations

import signal
import threading
from types import FrameType

import click
from flask.cli import with_appcontext

from opengov.site.exceptions import ServiceError
from opengov.site.search.service import index as search_index
from opengov.site.search.service import synonyms
from opengov.site.search.service.worker import WorkerReport, process_pending


@click.group("index")
def index_group() -> None:
    """Search index maintenance."""


@index_group.command("rebuild")
@with_appcontext
def rebuild_command() -> None:
    """Index every public document into a new index and switch to it. Searches are served
    from the old index meanwhile; interrupting (or a time-out) leaves the old index in place,
    and what the interrupted rebuild left is removed by the next one."""
    total = search_index.count_public()
    label = f"重建搜索索引（{search_index.get_backend().name}）"
    try:
        with click.progressbar(length=total, label=label) as bar:
            count = search_index.rebuild_index(progress=bar.update)
    except search_index.SearchUnavailableError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"已索引 {count} 篇文档。")


@index_group.command("check")
@click.option("--repair", is_flag=True,
              help="Queue every difference for `index process`; remove orphaned indexes.")
@with_appcontext
def check_command(repair: bool) -> None:
    """Report documents missing from, stale in, or wrongly left in the index, the queued
    updates (and how many are retrying), and indexes left by an interrupted rebuild."""
    try:
        result = search_index.check_index(repair=repair)
    except search_index.SearchUnavailableError as exc:
        raise click.ClickException(str(exc)) from exc
    for label, ids in (("索引中缺少", result.missing), ("索引内容过期", result.stale),
                       ("不应在索引中", result.extra)):
        shown = "、".join(str(i) for i in ids[:50]) + ("……" if len(ids) > 50 else "")
        click.echo(f"{label}：{len(ids)} 篇" + (f"（文档编号 {shown}）" if ids else ""))
    click.echo(f"待处理的索引更新：{result.pending} 条（失败重试中 {result.failing} 条）")
    if result.orphans:
        state = "已删除" if result.orphans_removed else "下次重建时删除，或运行 opengov index check --repair"
        click.echo(f"中断的重建留下的索引：{len(result.orphans)} 个（{'、'.join(result.orphans)}；{state}）")
    if result.ok:
        click.echo("搜索索引与数据库一致。")
        return
    if result.queued:
        click.echo("已加入待处理队列，请运行 opengov index process。")
        return
    raise SystemExit(1)


def _echo_round(report: WorkerReport, *, quiet_when_idle: bool) -> None:
    outbox = report.outbox
    if report.restored is not None:
        click.echo(f"搜索引擎中的索引丢失（如引擎重启后为空），已重建：{report.restored} 篇。")
    if report.restore_error:
        click.echo(f"搜索引擎中的索引丢失，重建失败，下一轮再试：{report.restore_error}", err=True)
    if report.changed_index or not quiet_when_idle:
        click.echo(f"已索引 {outbox.indexed} 篇，已移除 {outbox.deleted} 篇，"
                   f"失败待重试 {outbox.failed} 条。")
    if report.retrying and (report.changed_index or not quiet_when_idle):
        click.echo(f"队列中失败后等待重试的索引更新：{report.retrying} 条。", err=True)
    if report.searches_counted and not quiet_when_idle:
        click.echo(f"已计入热门搜索统计 {report.searches_counted} 次搜索。")
    if report.purge_error:
        click.echo(f"清理已删除文档失败，请在搜索引擎恢复后运行 opengov index purge："
                   f"{report.purge_error}", err=True)
    for error in outbox.errors:
        click.echo(f"搜索引擎错误：{error}", err=True)


@index_group.command("process")
@click.option("--limit", default=100_000, show_default=True, help="Most entries to apply.")
@click.option("--watch", type=float, default=None,
              help="Keep running, a round every WATCH seconds: the index worker beside "
                   "gunicorn. Stops after the round in progress on SIGTERM or SIGINT.")
@with_appcontext
def process_command(limit: int, watch: float | None) -> None:
    """Apply queued index updates (publish, edit, withdraw, delete) and count the spooled
    searches into the popular-searches statistics."""
    if watch is None:
        report = process_pending(limit=limit)
        _echo_round(report, quiet_when_idle=False)
        if report.outbox.failed:
            raise SystemExit(1)
        return
    stop = threading.Event()

    def request_stop(_signal: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = {number: signal.signal(number, request_stop)
                for number in (signal.SIGTERM, signal.SIGINT)}
    click.echo(f"搜索索引更新进程已启动，每 {watch:g} 秒检查一次。")
    try:
        while not stop.is_set():
            _echo_round(process_pending(limit=limit), quiet_when_idle=True)
            stop.wait(watch)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    click.echo("搜索索引更新进程已停止。")


@index_group.command("purge")
@with_appcontext
def purge_command() -> None:
    """Rewrite the index so that deleted documents leave its files (slow)."""
    try:
        search_index.purge_index()
    except search_index.SearchUnavailableError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo("已清理索引中的已删除文档。")


@click.group("synonyms")
def synonyms_group() -> None:
    """Synonyms used to expand searches (公车 → 公务用车)."""


@synonyms_group.command("add")
@click.argument("term")
@click.argument("synonym")
@with_appcontext
def synonyms_add(term: str, synonym: str) -> None:
    """Also search SYNONYM when TERM is searched."""
    try:
        added = synonyms.add_synonym(term, synonym)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"已添加：{term} → {synonym}" if added else f"已存在：{term} → {synonym}")


@synonyms_group.command("remove")
@click.argument("term")
@click.argument("synonym")
@with_appcontext
def synonyms_remove(term: str, synonym: str) -> None:
    """Stop searching SYNONYM when TERM is searched."""
    click.echo("已删除。" if synonyms.remove_synonym_pair(term, synonym) else "没有这条同义词。")


@synonyms_group.command("list")
@with_appcontext
def synonyms_list() -> None:
    """Every synonym, by query word."""
    for synonym in synonyms.list_synonyms():
        click.echo(f"{synonym.term} → {synonym.synonym}")


__all__ = ["index_group", "synonyms_group"]


#: The commands this feature adds to ``opengov``.
COMMANDS: tuple[click.Command, ...] = (index_group, synonyms_group)
