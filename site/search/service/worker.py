"""The index worker: what ``opengov index process`` does once, or every few seconds with
``--watch`` beside gunicorn (``scripts/serve`` starts it).

A round first checks that the engine still has the index — one that came back empty (a
cluster restarted without its data) is rebuilt through the alias — then applies the due
outbox entries (a document published, edited, withdrawn or deleted in the back office becomes
searchable, or leaves the index), purges the text of removed documents from the index files,
(rebuilding the search vocabulary when the index changed), and folds the searches spooled by the
pages into the popular-searches counts. Everything that would otherwise tempt a page request
to write, or to read the whole catalog, happens here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from opengov.site.db import get_session
from opengov.site.search.service.index import (
    OutboxReport,
    SearchUnavailableError,
    end_read,
    failing_entries,
    process_outbox,
    purge_index,
    restore_lost_index,
)
from opengov.site.search.service.statistics import fold_query_spool, forget_old_visitors


@dataclass
class WorkerReport:
    outbox: OutboxReport = field(default_factory=OutboxReport)
    #: Why removed documents could not be purged from the index files: they are out of the
    #: results already; ``opengov index purge`` clears the files once the engine is back.
    purge_error: str | None = None
    #: Searches counted into the popular-searches statistics.
    searches_counted: int = 0
    #: The engine had lost the index: how many documents the rebuild put back.
    restored: int | None = None
    #: Why the lost index could not be rebuilt this round.
    restore_error: str | None = None
    #: Queued updates that failed and wait for their retry after this round.
    retrying: int = 0

    @property
    def changed_index(self) -> bool:
        return bool(self.outbox.indexed or self.outbox.deleted or self.outbox.failed)


def process_pending(*, limit: int = 100_000) -> WorkerReport:
    """One round of the index worker; its session holds no transaction afterwards, so a
    worker sleeping between rounds pins no snapshot and sees the next changes."""
    report = WorkerReport()
    session = get_session()
    try:
        try:
            report.restored = restore_lost_index()
        except SearchUnavailableError as exc:
            report.restore_error = str(exc)
        report.outbox = process_outbox(limit=limit)
        if report.outbox.deleted:
            # Withdrawn texts must leave the index files too, not only the results.
            try:
                purge_index()
            except SearchUnavailableError as exc:
                report.purge_error = str(exc)
        report.searches_counted = fold_query_spool()
        forget_old_visitors()
        report.retrying = failing_entries(session)
    finally:
        end_read(session)
    return report
