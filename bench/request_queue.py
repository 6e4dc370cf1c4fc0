"""What decrypting applicants' names costs the handlers' queue: the page of QUEUE_LIMIT (500)
requests, each row's name and ID tail decrypted, timed against ``/healthz`` and against the
same page's decryption alone, in the same run on SQLite.

Run: .venv/bin/python -m bench.request_queue [--requests 500] [--rounds 20]
(prints figures; asserts nothing)
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from opengov.site import create_app
from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.accounts.service import users as accounts
from opengov.site.bootstrap import initialise
from opengov.site.db import get_session, unit_of_work
from opengov.site.personal_data import key_from_secret
from opengov.site.requests.rules.clock import Channel
from opengov.site.requests.service import handling, staff
from tests.factories import make_agency
from tests.requests.conftest import application

PASSWORD = "正确的马电池订书钉-2026"


def _median_ms(run: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=staff.QUEUE_LIMIT)
    parser.add_argument("--rounds", type=int, default=20)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    app = create_app({"INSTANCE_PATH": folder, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                      "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
                      "PERSONAL_DATA_KEY": key_from_secret("bench")})
    with app.app_context():
        initialise()
        with unit_of_work() as session:
            agency = make_agency(session, "gov")
            for number in range(options.requests):
                handling.file_request(session, agency,
                                      application(name=f"申请人{number:04d}",
                                                  description=f"第{number}项信息"),
                                      Channel.IN_PERSON, dt.date(2026, 11, 2),
                                      refuse_duplicates=False)
            handler_id = accounts.create_user(session, username="handler", display_name="handler",
                                 password=PASSWORD, roles=frozenset({Role.HANDLER}),
                                 policy=accounts.password_policy(), agency_id=None).id
    client = app.test_client()
    client.post("/staff/login", data={"username": "handler", "password": PASSWORD})
    page = client.get("/staff/requests?stage=all")
    assert page.status_code == 200, page.status_code
    assert "申请人0000" in page.get_data(as_text=True)  # the names, decrypted
    healthz = _median_ms(lambda: client.get("/healthz"), options.rounds)
    queue = _median_ms(lambda: client.get("/staff/requests?stage=all"), options.rounds)
    with app.app_context():
        handler = get_session().get(User, handler_id)
        assert handler is not None
        rows = staff.queue(handler, "all").rows
        decrypting = _median_ms(lambda: handling.applicant_labels(rows), options.rounds)
    print(f"handlers' queue of {len(rows)} requests on SQLite (median of {options.rounds}):")
    print(f"  /healthz                      {healthz:8.2f} ms")
    print(f"  /staff/requests?stage=all     {queue:8.2f} ms  ({queue / healthz:.0f} × /healthz)")
    print(f"  decrypting names and ID tails {decrypting:8.2f} ms  "
          f"({decrypting / queue:.1%} of the page, {decrypting / len(rows) * 1000:.0f} µs a row)")


if __name__ == "__main__":
    main()
