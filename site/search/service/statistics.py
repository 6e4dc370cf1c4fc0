"""Anonymous query statistics (热门搜索), counted without a database write on a search.

A search appends one line — the normalised query, the day in Beijing, whether it found
something — to a spool file in the instance folder: a single ``O_APPEND`` write, which the
kernel places at the end of the file whole, so concurrent searches of every worker never mix
their lines and take no lock. The index worker (``opengov index process``) folds the spool
into :class:`QueryStat` in a unit of work. Nothing about who searched, from where or when
in the day is written anywhere.

Folding takes the spool away by renaming it (a search after that starts a new one) and reads
it only after :data:`GRACE_SECONDS`, so that a search that opened the old file just before
the rename has finished its one write. A renamed spool carries the folding process's id, so
two workers never count it twice; one left by a process that died is taken over.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import time
from collections import Counter
from pathlib import Path
from typing import cast

from flask import current_app
from sqlalchemy import Table, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from opengov.site import clock
from opengov.site.db import get_session, unit_of_work
from opengov.site.search.models import QueryStat

log = logging.getLogger(__name__)

SPOOL_NAME = "search-queries.spool"
#: How long a renamed spool is left alone before it is read. A search holds the file open
#: for one write (microseconds); this is ample margin.
GRACE_SECONDS = 0.5
_TAKEN = re.compile(r"^search-queries\.(?P<ns>\d+)\.(?P<pid>\d+)\.folding$")

#: Queries that may carry personal data (ID, phone or account numbers, e-mail addresses)
#: are never counted, so popular searches cannot leak them.
_PERSONAL = re.compile(r"\d{6,}|[0-9xX]{15,18}|@|\d{3,4}-\d{7,8}")


def spool_path() -> Path:
    """The spool of the current instance."""
    return Path(current_app.instance_path) / SPOOL_NAME


def record_query(text: str, *, found: bool) -> None:
    """Count a search of ``text`` today (in the spool); nothing about who searched is kept.
    A failure is logged and ignored: statistics never break a search."""
    text = text.strip()[:200]
    if not text or _PERSONAL.search(text):
        return
    line = json.dumps({"q": text, "day": clock.today().isoformat(), "found": found},
                      ensure_ascii=False) + "\n"
    try:
        descriptor = os.open(spool_path(), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(descriptor, line.encode())
        finally:
            os.close(descriptor)
    except OSError:
        log.exception("could not record a search for the statistics")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, belongs to someone else
        return True
    return True


def _take_spools(folder: Path) -> list[tuple[Path, float]]:
    """Rename the live spool and any spool abandoned by a dead folder to names of this
    process; returns every spool this process now holds, with when it was taken away."""
    pid = os.getpid()
    live = folder / SPOOL_NAME
    try:
        if live.stat().st_size > 0:
            os.replace(live, folder / f"search-queries.{time.time_ns()}.{pid}.folding")
    except FileNotFoundError:
        pass  # no search since the last fold, or another worker took it
    held: list[tuple[Path, float]] = []
    for path in sorted(folder.glob("search-queries.*.folding")):
        match = _TAKEN.match(path.name)
        if match is None:
            continue
        owner = int(match["pid"])
        if owner != pid:
            if _alive(owner):
                continue
            mine = path.with_name(f"search-queries.{match['ns']}.{pid}.folding")
            try:
                os.replace(path, mine)
            except FileNotFoundError:
                continue  # another worker took it over first
            path = mine
        held.append((path, int(match["ns"]) / 1e9))
    return held


def _read(path: Path) -> tuple[Counter[tuple[str, dt.date]], Counter[tuple[str, dt.date]]]:
    """Searches and searches that found something, by (query, day)."""
    searched: Counter[tuple[str, dt.date]] = Counter()
    found: Counter[tuple[str, dt.date]] = Counter()
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            item = json.loads(line)
            key = (str(item["q"])[:200], dt.date.fromisoformat(item["day"]))
        except (ValueError, KeyError, TypeError):
            log.warning("skipped a damaged line of the search statistics spool")
            continue
        searched[key] += 1
        if item.get("found"):
            found[key] += 1
    return searched, found


def fold_query_spool() -> int:
    """Count the spooled searches into :class:`QueryStat` (one unit of work per spool file,
    which is deleted once counted); returns how many searches were counted. A crash between
    the commit and the deletion counts that file again: figures may come out a little high,
    never personal."""
    folder = Path(current_app.instance_path)
    if not folder.is_dir():
        return 0
    counted = 0
    for path, taken_at in _take_spools(folder):
        wait = taken_at + GRACE_SECONDS - time.time()
        if wait > 0:
            time.sleep(wait)
        searched, found = _read(path)
        if searched:
            with unit_of_work() as session:
                insert = (pg_insert if session.get_bind().dialect.name == "postgresql"
                          else sqlite_insert)
                table = cast(Table, QueryStat.__table__)
                for (query, day), count in sorted(searched.items()):
                    hits = found[(query, day)]
                    statement = insert(table).values(query=query, day=day, count=count,
                                                     found=hits)
                    session.execute(statement.on_conflict_do_update(
                        index_elements=[table.c.query, table.c.day],
                        set_={"count": table.c.count + count,
                              "found": table.c.found + hits}))
        path.unlink()
        counted += sum(searched.values())
    return counted


def popular_queries(*, days: int = 30, limit: int = 10) -> list[str]:
    """The most searched queries of the last ``days`` that found something."""
    since = clock.today() - dt.timedelta(days=days)
    total = func.sum(QueryStat.count)
    rows = get_session().execute(
        select(QueryStat.query, total).where(QueryStat.day > since)
        .group_by(QueryStat.query).having(func.sum(QueryStat.found) > 0)
        .order_by(total.desc(), QueryStat.query).limit(limit)).all()
    return [query for query, _count in rows]
