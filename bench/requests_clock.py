"""Figures for the request clock: deadline computation and concurrent filing on SQLite.

Run: .venv/bin/python bench/requests_clock.py   (prints figures; asserts nothing)
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from opengov.site import create_app
from opengov.site.agencies.models import Agency
from opengov.site.bootstrap import initialise
from opengov.site.db import unit_of_work
from opengov.site.personal_data import key_from_secret
from opengov.site.requests.rules.clock import Channel, Event, EventKind, derive
from opengov.site.requests.service import handling as request_service
from opengov.site.workdays.rules import WorkingCalendar
from tests.factories import make_agency
from tests.requests.conftest import application


def bench_deadlines() -> None:
    calendar = WorkingCalendar()
    start = time.perf_counter()
    runs = 2000
    for offset in range(runs):
        calendar.due(dt.date(2025, 1, 1) + dt.timedelta(days=offset % 600), 20)
    per = (time.perf_counter() - start) / runs * 1e6
    print(f"due(start, 20): {per:.1f} µs per deadline")
    events = [Event(EventKind.RECEIVED, dt.date(2025, 9, 26), {"channel": "当面提交"}),
              Event(EventKind.CONSULTATION_SENT, dt.date(2025, 10, 9), {"ref": "A"}),
              Event(EventKind.CONSULTATION_ANSWERED, dt.date(2025, 10, 20), {"ref": "A"}),
              Event(EventKind.EXTENDED, dt.date(2025, 11, 3),
                    {"days": 20, "approver": "x", "notified_on": "2025-11-03"})]
    start = time.perf_counter()
    for _ in range(500):
        derive(events, calendar)
    print(f"derive(4 events): {(time.perf_counter() - start) / 500 * 1e3:.2f} ms per request")


def bench_filing(threads: int = 8, each: int = 10) -> None:
    folder = Path(tempfile.mkdtemp())
    app = create_app({"INSTANCE_PATH": folder, "SECRET_KEY": "bench",
                      "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
                      "PERSONAL_DATA_KEY": key_from_secret("bench")})
    with app.app_context():
        initialise()
        with unit_of_work() as session:
            agency_id = make_agency(session, "gov").id

    def work(index: int) -> None:
        with app.app_context():
            for round_ in range(each):
                with unit_of_work() as session:
                    agency = session.get(Agency, agency_id)
                    assert agency is not None
                    request_service.file_request(session, agency,
                                                 application(description=f"{index}-{round_}"),
                                                 Channel.ONLINE, dt.date(2026, 11, 23),
                                                 confirmed_on=dt.date(2026, 11, 23))

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    start = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - start
    total = threads * each
    print(f"filing on SQLite, {threads} threads: {total} requests in {elapsed:.2f} s "
          f"({total / elapsed:.0f}/s)")


if __name__ == "__main__":
    bench_deadlines()
    bench_filing()
