"""Time the public pages and the API over a catalog of N documents (SQLite).

Run: .venv/bin/python -m bench.public_pages [N]   (default 2000; prints figures, asserts nothing)
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

from opengov.site import create_app
from opengov.site.bootstrap import initialise
from opengov.site.catalog.rules.metadata import COLUMNS, iter_columns, topic_choices
from opengov.site.db import unit_of_work
from tests.factories import make_agency, make_document

AGENCIES = ("gov", "czj", "zjj", "qsz")
URLS = ("/", "/catalog", "/agencies/czj", "/columns/statutory", "/columns/statutory?page=20",
        "/columns/policies?agency=czj&year=2020&topic=综合政务", "/documents/1",
        "/feeds/all.atom", "/sitemap.xml", "/api/v1/documents?size=100",
        "/api/v1/categories", "/api/v1/documents/1")


def populate(count: int) -> None:
    """``count`` public documents, committed 500 at a time."""
    with unit_of_work() as session:
        for code in AGENCIES:
            make_agency(session, code)
    slugs = [column.slug for column, _ in iter_columns(COLUMNS)]
    topics = topic_choices()
    start = dt.date(2010, 1, 1)
    for first in range(0, count, 500):
        with unit_of_work() as session:
            for number in range(first, min(first + 500, count)):
                make_document(session, agency=AGENCIES[number % len(AGENCIES)],
                              category=slugs[number % len(slugs)], title=f"测试文件第{number}号",
                              topic=topics[number % len(topics)],
                              published_on=start + dt.timedelta(days=number * 3 % 5000))


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with tempfile.TemporaryDirectory() as directory:
        app = create_app({"INSTANCE_PATH": Path(directory), "SECRET_KEY": "bench",
                          "DATABASE_URL": f"sqlite:///{directory}/bench.sqlite3"})
        with app.app_context():
            initialise()
            began = time.perf_counter()
            populate(count)
            print(f"{count} documents created in {time.perf_counter() - began:.1f} s")
        client = app.test_client()
        print(f"{'URL':60} {'median ms':>10} {'max ms':>8} {'KB':>7}")
        for url in URLS:
            timings = []
            size = 0
            for _ in range(7):
                began = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - began) * 1000)
                size = len(response.data)
                assert response.status_code == 200, (url, response.status_code)
            print(f"{url:60} {statistics.median(timings):10.1f} {max(timings):8.1f} "
                  f"{size / 1024:7.1f}")


if __name__ == "__main__":
    main()
