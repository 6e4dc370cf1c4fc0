"""``opengov upgrade``: after installing a new release, bring the instance up to it in one
command that stops at the first failure —

1. back up (``opengov backup``), so that a failed migration can be undone with
   ``opengov restore`` into a fresh instance;
2. migrate the database and run the rest of ``opengov init`` (columns, synonyms, index);
3. optionally import the site's content files (``--content DIR``): documents edited in the
   back office since their last import are left alone and reported as conflicts;
4. check the search index against the database, queue every difference and apply the queue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect

from opengov.site.bootstrap import initialise
from opengov.site.content.service.importer import ContentImportError, import_directory
from opengov.site.db import get_database
from opengov.site.operations.service.backup import create_backup
from opengov.site.search.service import index as search_index
from opengov.site.search.service.worker import process_pending


class UpgradeError(Exception):
    """A step failed; the steps after it were not run."""

    def __init__(self, step: str, message: str) -> None:
        super().__init__(f"{step}失败：{message}")
        self.step = step
        self.message = message


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[], list[str]]


def _backup(keys_to: Path | None) -> list[str]:
    if not inspect(get_database().engine).get_table_names():
        return ["数据库还是空的，无需备份。"]
    report = create_backup(keys_to=keys_to)
    lines = [f"已备份到 {report.path}（数据库 {report.database_bytes // 1024} KB，"
             f"附件 {report.files} 个，用时 {report.seconds:.1f} 秒）。"]
    return lines + report.warnings


def _import(directory: Path) -> list[str]:
    try:
        report = import_directory(directory)
    except ContentImportError as error:
        raise UpgradeError("导入内容", "；".join(error.problems[:20])) from error
    return report.lines()


def _index() -> list[str]:
    try:
        check = search_index.check_index(repair=True)
    except search_index.SearchUnavailableError as exc:
        raise UpgradeError("检查搜索索引", str(exc)) from exc
    lines = []
    if not check.ok:
        lines.append(f"索引与数据库不一致（缺少 {len(check.missing)}，过期 {len(check.stale)}，"
                     f"多余 {len(check.extra)}），已加入更新队列。")
    report = process_pending()
    if report.outbox.failed:
        raise UpgradeError("检查搜索索引", "；".join(report.outbox.errors) or "搜索引擎拒绝了更新")
    lines.append(f"搜索索引已是最新（本次索引 {report.outbox.indexed} 篇，移除 {report.outbox.deleted} 篇）。")
    return lines


def upgrade_steps(*, backup: bool = True, keys_to: Path | None = None,
                  content: Path | None = None) -> list[Step]:
    """The steps of ``opengov upgrade`` in order."""
    steps = []
    if backup:
        steps.append(Step("备份", lambda: _backup(keys_to)))
    steps.append(Step("迁移数据库", initialise))
    if content is not None:
        steps.append(Step("导入内容", lambda: _import(content)))
    steps.append(Step("检查搜索索引", _index))
    return steps


def run_upgrade(steps: list[Step], echo: Callable[[str], None]) -> None:
    """Run ``steps`` in order, telling ``echo`` what each did; :class:`UpgradeError` at the
    first that fails (the rest are not run)."""
    for number, step in enumerate(steps, start=1):
        echo(f"[{number}/{len(steps)}] {step.name}")
        try:
            lines = step.run()
        except UpgradeError:
            raise
        except Exception as exc:  # any failure stops the upgrade, reported
            raise UpgradeError(step.name, f"{type(exc).__name__}: {exc}") from exc
        for line in lines:
            echo(f"    {line}")
