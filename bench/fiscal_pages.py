"""How long the fiscal content takes to load and the fiscal pages and downloads to render.

    .venv/bin/python -m bench.fiscal_pages [REPEATS]

Builds a throw-away SQLite instance, times `import-fiscal` of content/fiscal (first run and
an unchanged re-run), then the median time of REPEATS requests to each page and download.
Also reads an upload of the 示例 workbook through the importer. Prints the figures.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from opengov.site import create_app
from opengov.site.bootstrap import initialise
from opengov.site.config import PROJECT_ROOT
from opengov.site.fiscal.rules.disclosures import DisclosureData, Stage
from opengov.site.fiscal.service.content import import_content
from opengov.site.fiscal.service.importing import read_disclosure
from opengov.site.fiscal.service.public import table_download

URLS = (
    "/fiscal/?year=2025",
    "/fiscal/czj/2025/budget/",
    "/fiscal/sangong",
    "/fiscal/czj/2025/budget/table-5.csv",
    "/fiscal/czj/2025/budget/table-5.xlsx",
    "/fiscal/sangong/sources.xlsx",
    "/api/v1/fiscal/disclosures/czj/2025/budget",
)


def main(repeats: int) -> None:
    with tempfile.TemporaryDirectory() as directory:
        app = create_app({"INSTANCE_PATH": Path(directory), "SECRET_KEY": "bench",
                          "DATABASE_URL": f"sqlite:///{directory}/bench.sqlite3"})
        with app.app_context():
            initialise()
            for label in ("first import", "unchanged re-import"):
                start = time.perf_counter()
                import_content(PROJECT_ROOT / "content" / "fiscal")
                print(f"{label:<28} {1000 * (time.perf_counter() - start):8.1f} ms")
            workbook = table_download("czj", 2025, Stage.BUDGET, 5, "xlsx").content
            start = time.perf_counter()
            for _ in range(repeats):
                read_disclosure("t.xlsx", workbook, DisclosureData(2025, Stage.BUDGET))
            print(f"{'read one-table xlsx':<28} "
                  f"{1000 * (time.perf_counter() - start) / repeats:8.1f} ms")
        client = app.test_client()
        for url in URLS:
            timings = []
            for _ in range(repeats):
                start = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - start)
                assert response.status_code == 200, url
            print(f"{url:<48} median {1000 * statistics.median(timings):7.1f} ms, "
                  f"{len(response.data):7d} bytes")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
