"""Anonymous query statistics (热门搜索), counted without a database write on a search.

A search appends one line — the normalised query, the day in Beijing, whether it found
something — to a spool file in the instance folder: a single ``O_APPEND`` write, which the
kernel places at the end of the file whole, so concurrent searches of every worker never mix
their lines and take no lock. The index worker (``opengov index process``) folds the spool
into :class:`QueryStat` in a unit of work. Nothing about who searched, from where or when
in the day is written anywhere: to count *distinct* visitors for 热门搜索, a line carries a
keyed hash of the client's address with a random salt of the day, kept in the instance
folder and deleted by the worker the next day, after which no token can be traced back.

Folding takes the spool away by renaming it (a search after that starts a new one) and reads
it only after :data:`GRACE_SECONDS`, so that a search that opened the old file just before
the rename has finished its one write. A renamed spool carries the folding process's id, so
two workers never count it twice; one left by a process that died is taken over.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import time
from collections import Counter
from pathlib import Path
from typing import Any, cast

from flask import current_app, has_request_context, request
from sqlalchemy import Table, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.db import unit_of_work
from opengov.site.search.models import QueryStat, QueryVisitor
from opengov.site.search.service import popular
from opengov.site.search.service.popular import looks_personal_or_abusive

log = logging.getLogger(__name__)

SPOOL_NAME = "search-queries.spool"
#: How long a renamed spool is left alone before it is read. A search holds the file open
#: for one write (microseconds); this is ample margin.
GRACE_SECONDS = 0.5
_TAKEN = re.compile(r"^search-queries\.(?P<ns>\d+)\.(?P<pid>\d+)\.folding$")

SALT_PREFIX = "search-visitor-salt-"


def spool_path() -> Path:
    """The spool of the current instance."""
    return Path(current_app.instance_path) / SPOOL_NAME


def _day_salt(day: dt.date) -> bytes:
    """The random salt of ``day`` (created by the first search of the day, mode 0600)."""
    path = Path(current_app.instance_path) / f"{SALT_PREFIX}{day.isoformat()}"
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        salt = path.read_bytes()
        if len(salt) == 32:
            return salt
        time.sleep(0.01)  # another worker is writing it this instant
        return path.read_bytes()
    salt = secrets.token_bytes(32)
    try:
        os.write(descriptor, salt)
    finally:
        os.close(descriptor)
    return salt


def visitor_token(day: dt.date) -> str:
    """The current client as a pseudonym valid for ``day`` only (empty outside a request)."""
    if not has_request_context():
        return ""
    # The address alone: a changed browser string must not make one person many.
    client = request.remote_addr or ""
    return hmac.new(_day_salt(day), client.encode(), hashlib.sha256).hexdigest()[:24]


def record_query(text: str, *, found: bool) -> None:
    """Count a search of ``text`` today (in the spool) with the day's pseudonym of the
    visitor; queries that look like contact details are never counted. A failure is logged
    and ignored: statistics never break a search."""
    text = text.strip()[:200]
    if not text or looks_personal_or_abusive(text):
        return
    try:
        today = clock.today()
        item: dict[str, object] = {"q": text, "day": today.isoformat(), "found": found}
        token = visitor_token(today)
        if token:
            item["v"] = token
        line = json.dumps(item, ensure_ascii=False) + "\n"
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


Key = tuple[str, dt.date]


def _read(path: Path) -> tuple[Counter[Key], Counter[Key], dict[Key, set[str]]]:
    """Searches, searches that found something, and visitor tokens, by (query, day)."""
    searched: Counter[Key] = Counter()
    found: Counter[Key] = Counter()
    visitors: dict[Key, set[str]] = {}
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
        if item.get("v"):
            visitors.setdefault(key, set()).add(str(item["v"])[:24])
    return searched, found, visitors


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
        searched, found, visitors = _read(path)
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
                _count_visitors(session, insert, visitors)
        path.unlink()
        counted += sum(searched.values())
    return counted


def _count_visitors(session: Session, insert: Any, visitors: dict[Key, set[str]]) -> None:
    """Record the day's distinct visitor tokens per query (duplicates ignored by the unique
    constraint, so concurrent folds agree) and store their number in :class:`QueryStat`."""
    table = cast(Table, QueryVisitor.__table__)
    for (query, day), tokens in sorted(visitors.items()):
        for token in sorted(tokens):
            session.execute(insert(table).values(query=query, day=day, visitor=token)
                            .on_conflict_do_nothing())
        distinct = session.scalar(select(func.count()).select_from(QueryVisitor).where(
            QueryVisitor.query == query, QueryVisitor.day == day)) or 0
        session.execute(update(QueryStat).where(QueryStat.query == query, QueryStat.day == day)
                        .values(visitors=distinct))


def forget_old_visitors() -> int:
    """Delete the salts and visitor tokens of past days: from then on no token can be linked
    to an address. Run by the index worker each round; returns how many tokens went."""
    today = clock.today()
    folder = Path(current_app.instance_path)
    for path in folder.glob(f"{SALT_PREFIX}*"):
        if path.name.removeprefix(SALT_PREFIX) < today.isoformat():
            path.unlink(missing_ok=True)
    with unit_of_work() as session:
        result = session.execute(delete(QueryVisitor).where(QueryVisitor.day < today))
    return int(getattr(result, "rowcount", 0) or 0)


def popular_queries(*, limit: int = 10) -> list[str]:
    """热门搜索 (:mod:`.popular` decides which counted queries may be shown)."""
    return popular.popular_queries(limit=limit)
