"""`opengov index …` and `opengov synonyms …`: keep the search index and vocabulary."""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext
from sqlalchemy import delete, select

from opengov.indexer.backend import SearchUnavailableError
from opengov.site.db import get_session
from opengov.site.search.models import Synonym
from opengov.site.search.service import index as search_index
from opengov.site.search.service.search import add_synonym


@click.group("index")
def index_group() -> None:
    """Search index maintenance."""


@index_group.command("rebuild")
@with_appcontext
def rebuild_command() -> None:
    """Index every public document into a new index and switch to it. Searches are served
    from the old index meanwhile; interrupting leaves the old index in place."""
    session = get_session()
    backend = search_index.get_backend()
    total = search_index.count_public(session)
    try:
        with click.progressbar(length=total, label=f"重建搜索索引（{backend.name}）") as bar:
            count = search_index.rebuild_index(session, backend, progress=bar.update)
    except SearchUnavailableError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"已索引 {count} 篇文档。")


@index_group.command("check")
@click.option("--repair", is_flag=True, help="Queue every difference for `index process`.")
@with_appcontext
def check_command(repair: bool) -> None:
    """Report documents missing from, stale in, or wrongly left in the index."""
    session = get_session()
    try:
        result = search_index.check_index(session, search_index.get_backend())
    except SearchUnavailableError as exc:
        raise click.ClickException(str(exc)) from exc
    for label, ids in (("索引中缺少", result.missing), ("索引内容过期", result.stale),
                       ("不应在索引中", result.extra)):
        shown = "、".join(str(i) for i in ids[:50]) + ("……" if len(ids) > 50 else "")
        click.echo(f"{label}：{len(ids)} 篇" + (f"（文档编号 {shown}）" if ids else ""))
    pending = search_index.pending_entries(session)
    click.echo(f"待处理的索引更新：{pending} 条（失败重试中 {search_index.failing_entries(session)} 条）")
    if result.ok:
        click.echo("搜索索引与数据库一致。")
        return
    if repair:
        from opengov.site.catalog.service.outbox import enqueue

        for document_id in [*result.missing, *result.stale, *result.extra]:
            enqueue(session, document_id)
        session.commit()
        click.echo("已加入待处理队列，请运行 opengov index process。")
        return
    raise SystemExit(1)


@index_group.command("process")
@click.option("--limit", default=100_000, show_default=True, help="Most entries to apply.")
@click.option("--watch", type=float, default=None,
              help="Keep running, checking the queue every WATCH seconds (a worker).")
@with_appcontext
def process_command(limit: int, watch: float | None) -> None:
    """Apply queued index updates (publish, edit, withdraw, delete)."""
    session = get_session()
    backend = search_index.get_backend()
    while True:
        report = search_index.process_outbox(session, backend, limit=limit)
        if report.deleted:
            # Withdrawn texts must leave the index files too, not only the results.
            try:
                backend.purge()
            except SearchUnavailableError as exc:
                click.echo(f"清理已删除文档失败，将在下次处理时重试：{exc}", err=True)
        if report.indexed or report.deleted or report.failed or watch is None:
            click.echo(f"已索引 {report.indexed} 篇，已移除 {report.deleted} 篇，"
                       f"失败待重试 {report.failed} 条。")
        for error in report.errors:
            click.echo(f"搜索引擎错误：{error}", err=True)
        if watch is None:
            if report.failed:
                raise SystemExit(1)
            return
        time.sleep(watch)


@index_group.command("purge")
@with_appcontext
def purge_command() -> None:
    """Rewrite the index so that deleted documents leave its files (slow)."""
    try:
        search_index.get_backend().purge()
    except SearchUnavailableError as exc:
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
    session = get_session()
    try:
        added = add_synonym(session, term, synonym)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    session.commit()
    click.echo(f"已添加：{term} → {synonym}" if added else f"已存在：{term} → {synonym}")


@synonyms_group.command("remove")
@click.argument("term")
@click.argument("synonym")
@with_appcontext
def synonyms_remove(term: str, synonym: str) -> None:
    session = get_session()
    result = session.execute(delete(Synonym).where(Synonym.term == term,
                                                   Synonym.synonym == synonym))
    session.commit()
    click.echo("已删除。" if getattr(result, "rowcount", 0) else "没有这条同义词。")


@synonyms_group.command("list")
@with_appcontext
def synonyms_list() -> None:
    for term, synonym in get_session().execute(
            select(Synonym.term, Synonym.synonym).order_by(Synonym.term, Synonym.id)):
        click.echo(f"{term} → {synonym}")


__all__ = ["index_group", "synonyms_group"]
