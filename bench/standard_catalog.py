"""Time the standard catalog's pages against a column list measured in the same run.

A township with ROWS rows in each of the 26 domains, each row fulfilled by three public
documents. Prints each page's median time as a ratio to ``/columns/statutory`` (the reference:
a column list over the same documents), so that the figures compare across machines.

Run: .venv/bin/python -m bench.standard_catalog [ROWS]   (default 20; asserts nothing)
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

from flask.testing import FlaskClient

from opengov.site import create_app
from opengov.site.accounts.rules.roles import Role
from opengov.site.accounts.service import users as accounts
from opengov.site.bootstrap import initialise
from opengov.site.db import unit_of_work
from opengov.site.standard_catalog.models import StandardCatalogLink, StandardCatalogRow
from opengov.site.standard_catalog.rules import DOMAINS
from tests.factories import make_agency, make_document

PASSWORD = "正确的马电池订书钉-2026"
REFERENCE = "/columns/statutory"
PUBLIC = ("/agencies/qsz/standard-catalog", "/agencies/qsz/standard-catalog/social-assistance",
          "/standard-catalog")
STAFF = ("/staff/standard-catalog",)


def populate(rows: int) -> int:
    """The township's catalog: ``rows`` per domain, three public documents per row."""
    with unit_of_work() as session:
        agency = make_agency(session, "qsz")
        accounts.create_user(session, username="catalog-admin", display_name="catalog-admin", password=PASSWORD,
                             roles=frozenset({Role.ADMIN}), policy=accounts.password_policy(),
                             agency_id=None)
    day = dt.date(2020, 1, 1)
    for domain in DOMAINS:
        with unit_of_work() as session:
            for number in range(rows):
                row = StandardCatalogRow(agency_id=agency.id, domain=domain.slug,
                                         position=number + 1, item=f"事项{number}",
                                         content="公开内容", time_limit="每季度",
                                         subject="青石镇人民政府", channels="政府网站")
                session.add(row)
                session.flush()
                for copy in range(3):
                    document = make_document(session, agency="qsz", category="statutory",
                                             title=f"{domain.name}事项{number}第{copy}件",
                                             published_on=day + dt.timedelta(days=number + copy))
                    session.add(StandardCatalogLink(row_id=row.id, document_id=document.id))
    return len(DOMAINS) * rows


def median_ms(client: FlaskClient, url: str, runs: int = 9) -> float:
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    with tempfile.TemporaryDirectory() as directory:
        app = create_app({"INSTANCE_PATH": Path(directory), "SECRET_KEY": "bench",
                          "DATABASE_URL": f"sqlite:///{directory}/bench.sqlite3",
                          "WTF_CSRF_ENABLED": False})
        with app.app_context():
            initialise()
            count = populate(rows)
        print(f"{count} catalog rows, {count * 3} documents")
        client = app.test_client()
        staff = app.test_client()
        staff.post("/staff/login", data={"username": "catalog-admin", "password": PASSWORD})
        reference = median_ms(client, REFERENCE)
        print(f"{'page':56} {'median ms':>10} {'× reference':>12}")
        print(f"{REFERENCE + ' (reference)':56} {reference:10.1f} {1.0:12.2f}")
        for url in PUBLIC:
            timing = median_ms(client, url)
            print(f"{url:56} {timing:10.1f} {timing / reference:12.2f}")
        for url in STAFF:
            timing = median_ms(staff, url)
            print(f"{url + ' (all rows checked for 逾期)':56} {timing:10.1f} "
                  f"{timing / reference:12.2f}")


if __name__ == "__main__":
    main()
