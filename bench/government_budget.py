"""How the government's budget pages, downloads and uploads cost against the department pages
they sit beside, measured in the same run on the same machine.

    .venv/bin/python -m bench.government_budget [REPEATS]

Builds a throw-away SQLite instance with the shipped content (content/fiscal), then prints,
as ratios to a reference measured alongside:

- each government page, download and API answer against the department 预算 page
  (/fiscal/czj/2025/budget/), median of REPEATS requests, with its size;
- the peak memory of rendering the largest page (the 2024 决算) against the department page;
- reading an upload of the whole 2024 决算 (every table as a sheet of one workbook, as a finance
  department would send it) against reading the department's workbook, per row read;
- importing government.yaml against importing example.yaml, per row saved.
Prints figures and asserts nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from flask.testing import FlaskClient
from openpyxl import Workbook, load_workbook

from opengov.site import create_app
from opengov.site.bootstrap import initialise
from opengov.site.config import PROJECT_ROOT
from opengov.site.db import unit_of_work
from opengov.site.fiscal.rules.disclosures import DisclosureData, Stage
from opengov.site.fiscal.rules.government import ReportData, ReportStage
from opengov.site.fiscal.service.content import (
    EXAMPLES_FILE,
    GOVERNMENT_FILE,
    sync_examples,
    sync_government,
)
from opengov.site.fiscal.service.government_import import read_report
from opengov.site.fiscal.service.importing import read_disclosure

REFERENCE = "/fiscal/czj/2025/budget/"
URLS = (
    "/fiscal/government/",
    "/fiscal/government/2024/",
    "/fiscal/government/2024/final/",
    "/fiscal/government/2024/final/general-expenditure/",
    "/fiscal/government/2024/final/general-expenditure/?code=201",
    "/fiscal/government/2024/final/general-expenditure/?all=1",
    "/fiscal/government/2024/final/general-expenditure.csv",
    "/fiscal/government/2024/final/general-expenditure.xlsx",
    "/api/v1/fiscal/government/2024",
    "/api/v1/fiscal/government/2024/final",
)


def median_ms(action: Callable[[], object], repeats: int) -> float:
    timings = []
    for _ in range(repeats):
        began = time.perf_counter()
        action()
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings)


def peak_kb(action: Callable[[], object]) -> float:
    tracemalloc.start()
    action()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024


def get(client: FlaskClient, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.data


def combined_workbook(client: FlaskClient, base: str, slugs: list[str]) -> bytes:
    """Every table of a report, downloaded, as the sheets of one workbook."""
    combined = Workbook()
    default = combined.active
    for number, slug in enumerate(slugs, start=1):
        source = load_workbook(io.BytesIO(get(client, f"{base}{slug}.xlsx"))).active
        assert source is not None
        sheet = combined.create_sheet(f"表{number}")
        for row in source.iter_rows(values_only=True):
            sheet.append(list(row))
    if default is not None:
        combined.remove(default)
    buffer = io.BytesIO()
    combined.save(buffer)
    return buffer.getvalue()


def main(repeats: int) -> None:
    with tempfile.TemporaryDirectory() as directory:
        app = create_app({"INSTANCE_PATH": Path(directory), "SECRET_KEY": "bench",
                          "DATABASE_URL": f"sqlite:///{directory}/bench.sqlite3"})
        folder = PROJECT_ROOT / "content" / "fiscal"
        with app.app_context():
            initialise()
            with unit_of_work() as session:
                began = time.perf_counter()
                examples = sync_examples(session, folder / EXAMPLES_FILE)
                department_ms = (time.perf_counter() - began) * 1000
            with unit_of_work() as session:
                began = time.perf_counter()
                sync_government(session, folder / GOVERNMENT_FILE)
                government_ms = (time.perf_counter() - began) * 1000
        assert examples.created
        client = app.test_client()
        reference = median_ms(lambda: get(client, REFERENCE), repeats)
        print(f"reference {REFERENCE}: median {reference:.1f} ms, "
              f"{len(get(client, REFERENCE)) / 1024:.0f} KB")
        print(f"{'URL':60} {'× reference':>12} {'KB':>7}")
        for url in URLS:
            elapsed = median_ms(lambda url=url: get(client, url), repeats)  # type: ignore[misc]
            print(f"{url:60} {elapsed / reference:12.2f} {len(get(client, url)) / 1024:7.0f}")

        page_peak = peak_kb(lambda: get(client, "/fiscal/government/2024/final/"))
        reference_peak = peak_kb(lambda: get(client, REFERENCE))
        print(f"peak memory of the 2024 决算 page: {page_peak / reference_peak:.2f} × the "
              f"department page ({reference_peak:.0f} KB)")

        detail = client.get("/api/v1/fiscal/government/2024").get_json()
        final = next(report for report in detail["reports"] if report["report"] == "final")
        slugs = [table["table"] for table in final["tables"]]
        government_book = combined_workbook(client, "/fiscal/government/2024/final/", slugs)
        department_book = combined_workbook(client, "/fiscal/czj/2025/budget/",
                                            ["table-1", "table-5", "table-6", "table-7"])
        base = ReportData(2024, ReportStage.FINAL, approved_on=dt.date(2025, 8, 27),
                          published_on=dt.date(2025, 9, 10))
        with app.app_context():
            result = read_report("决算.xlsx", government_book, base)
            assert not result.problems, result.problems[:3]
            rows = sum(len(table) for table in result.data.tables.values())
            read_ms = median_ms(lambda: read_report("决算.xlsx", government_book, base),
                                max(3, repeats // 4))
            department = read_disclosure("预算.xlsx", department_book,
                                         DisclosureData(2025, Stage.BUDGET))
            department_rows = sum(len(table) for table in department.data.tables.values()) + 6
            department_read_ms = median_ms(
                lambda: read_disclosure("预算.xlsx", department_book,
                                        DisclosureData(2025, Stage.BUDGET)),
                max(3, repeats // 4))
        print(f"reading the whole 2024 决算 upload ({len(slugs)} sheets, {rows} rows): "
              f"{(read_ms / rows) / (department_read_ms / department_rows):.2f} × the "
              f"department workbook per row ({department_read_ms:.0f} ms for {department_rows})")
        government_rows = sum(len(rows) for rows in _yaml_rows(folder / GOVERNMENT_FILE))
        example_rows = sum(len(rows) for rows in _yaml_rows(folder / EXAMPLES_FILE))
        print(f"import-fiscal: government.yaml ({government_rows} rows) "
              f"{(government_ms / government_rows) / (department_ms / example_rows):.2f} × "
              f"example.yaml per row ({department_ms:.0f} ms for {example_rows})")


def _yaml_rows(path: Path) -> list[list[object]]:
    import yaml

    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries = document.get("reports") or document.get("disclosures") or []
    return [rows for entry in entries for rows in (entry.get("tables") or {}).values()]


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
