"""What the hardening costs and saves per answer, as ratios measured in the same run:

- the after-request work (ETag over the body, gzip, headers) against the same pages served with
  compression off, and against a bare ``/healthz``;
- a conditional GET answered 304 against the full 200;
- bytes sent with and without gzip.

Run: .venv/bin/python -m bench.hardening [N]   (N documents, default 500; prints, asserts nothing)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.public_pages import populate
from opengov.site import create_app
from opengov.site.bootstrap import initialise

URLS = ("/", "/columns/statutory", "/documents/1", "/feeds/all.atom", "/sitemap.xml",
        "/api/v1/documents?size=100", "/api/v1/openapi.json")
ROUNDS = 15


def _median_ms(client: Any, url: str, **kwargs: Any) -> tuple[float, int]:
    timings = []
    size = 0
    for _ in range(ROUNDS):
        began = time.perf_counter()
        response = client.get(url, **kwargs)
        timings.append((time.perf_counter() - began) * 1000)
        size = len(response.get_data())
    return statistics.median(timings), size


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    with tempfile.TemporaryDirectory() as directory:
        app = create_app({"INSTANCE_PATH": Path(directory), "SECRET_KEY": "bench",
                          "DATABASE_URL": f"sqlite:///{directory}/bench.sqlite3"})
        with app.app_context():
            initialise()
            populate(count)
        client = app.test_client()
        reference, _ = _median_ms(client, "/healthz")
        print(f"reference /healthz: {reference:.2f} ms (median of {ROUNDS})")
        print(f"{'URL':30} {'plain':>8} {'gzip':>8} {'304':>8} {'gzip/plain':>11} "
              f"{'304/200':>8} {'KB plain':>9} {'KB gzip':>8} {'plain/healthz':>14}")
        for url in URLS:
            app.config["COMPRESS_RESPONSES"] = False
            plain, plain_size = _median_ms(client, url)
            app.config["COMPRESS_RESPONSES"] = True
            packed, packed_size = _median_ms(client, url, headers={"Accept-Encoding": "gzip"})
            etag = client.get(url, headers={"Accept-Encoding": "gzip"}).headers.get("ETag", "")
            revalidated, _ = _median_ms(client, url, headers={"Accept-Encoding": "gzip",
                                                              "If-None-Match": etag})
            print(f"{url:30} {plain:8.2f} {packed:8.2f} {revalidated:8.2f} "
                  f"{packed / plain:11.2f} {revalidated / packed:8.2f} "
                  f"{plain_size / 1024:9.1f} {packed_size / 1024:8.1f} {plain / reference:14.1f}")


if __name__ == "__main__":
    main()
