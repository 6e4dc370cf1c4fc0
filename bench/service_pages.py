"""The 办事服务 pages, the workbook import and the 好差评 figures, as ratios to references
measured in the same run (issue 14).

    .venv/bin/python -m bench.service_pages [REPEATS] [RATINGS] [ITEMS]

Builds a throw-away SQLite instance with the repository's content (documents, the 42 示例 items,
the 65 powers) and RATINGS ratings (default 5000), then prints:

- the median time of each page as a multiple of ``/healthz`` and of a document page
  (``/documents/1``), the catalog page the site is tuned for;
- previewing a workbook of ITEMS items (default 500) as a multiple of openpyxl merely reading it;
- importing the content files, first and unchanged, as a multiple of ``import-content``.

Asserts nothing but that every page answers 200.
"""

from __future__ import annotations

import io
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook, load_workbook

from opengov.site import create_app
from opengov.site.audit.service import COMMAND_LINE
from opengov.site.bootstrap import initialise
from opengov.site.config import PROJECT_ROOT
from opengov.site.content.service.importer import import_directory
from opengov.site.db import get_session, unit_of_work
from opengov.site.powers.service.content import import_powers
from opengov.site.ratings.models import Rating
from opengov.site.search.service.index import rebuild_index
from opengov.site.service_items.rules import layout
from opengov.site.service_items.service.content import import_items
from opengov.site.service_items.service.importing import plan
from opengov.site.service_items.service.public import sitemap_items

CONTENT = PROJECT_ROOT / "content"


def timed(action: Callable[[], object], repeats: int) -> float:
    """Median seconds of ``repeats`` runs of ``action``."""
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def add_ratings(count: int) -> None:
    """``count`` ratings spread over the public items, one in twenty a 差评 with its follow-up
    (written directly: this measures reading them, not the rating form)."""
    from opengov.site import clock
    from opengov.site.ratings.service.followups import open_follow_up
    from opengov.site.workdays.service import load_calendar

    items = sitemap_items()
    chance = random.Random(14)
    with unit_of_work() as session:
        calendar = load_calendar(session)
        for number in range(count):
            item = items[number % len(items)]
            level = 1 if number % 20 == 0 else chance.choice((3, 4, 5, 5, 5))
            rating = Rating(subject="service_item", agency_id=item.agency_id, item_id=item.id,
                            level=level, scores={}, comment="示例" if level == 1 else "",
                            rated_on=clock.today())
            session.add(rating)
            if level == 1:
                open_follow_up(session, rating, calendar)


def workbook(items: int) -> bytes:
    """A workbook of ``items`` items of 民政局, three materials each, in the import layout."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = layout.ITEMS_SHEET
    sheet.append([column.header for column in layout.ITEM_COLUMNS])
    materials = book.create_sheet(layout.MATERIALS_SHEET)
    materials.append([column.header for column in layout.MATERIAL_COLUMNS])
    for number in range(items):
        values = {"code": f"BENCH-{number:05d}", "name": f"测试事项第{number}号", "item_type": "行政确认",
                  "agency": "示例市民政局", "targets": "自然人", "themes": "婚姻登记",
                  "basis": "《婚姻登记条例》第四条、第五条", "steps": "申请：到场\n审查：当场\n发证：当场",
                  "legal_limit_days": 20, "promised_limit_days": 5, "visits": 1,
                  "location": "示例市政务服务中心"}
        sheet.append([values.get(column.key) for column in layout.ITEM_COLUMNS])
        for material in ("居民身份证", "居民户口簿", "申请表"):
            materials.append([f"BENCH-{number:05d}", material, 1, "原件", "纸质", "申请人自备", "必需"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main(repeats: int, ratings: int, items: int) -> None:
    with tempfile.TemporaryDirectory() as directory:
        app = create_app({"INSTANCE_PATH": Path(directory), "SECRET_KEY": "bench",
                          "DATABASE_URL": f"sqlite:///{directory}/bench.sqlite3"})
        with app.app_context():
            initialise()
            print("content imports (× import-content of the documents):")
            reference = timed(lambda: import_directory(CONTENT), 1)
            first_items = timed(lambda: import_items(CONTENT, COMMAND_LINE), 1)
            again_items = timed(lambda: import_items(CONTENT, COMMAND_LINE), 1)
            first_powers = timed(lambda: import_powers(CONTENT, COMMAND_LINE), 1)
            again_powers = timed(lambda: import_powers(CONTENT, COMMAND_LINE), 1)
            for label, seconds in (("import-service-items (42 items)", first_items),
                                   ("  unchanged re-import", again_items),
                                   ("import-powers (65 powers)", first_powers),
                                   ("  unchanged re-import", again_powers)):
                print(f"  {label:<36} {seconds / reference:6.2f}×")
            rebuild_index()
            add_ratings(ratings)
            item_id = sitemap_items()[0].id

            print(f"\nworkbook preview of {items} items (× openpyxl reading its cells):")
            content = workbook(items)

            def read_cells() -> None:
                book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
                for sheet in book.worksheets:
                    for _row in sheet.iter_rows(values_only=True):
                        pass
                book.close()

            raw = timed(read_cells, 3)
            from opengov.site.accounts.rules.roles import Role
            from opengov.site.accounts.service import users as accounts

            with unit_of_work() as session:
                actor = accounts.create_user(
                    session, username="bench", display_name="bench",
                    password="正确的马电池订书钉-2026", roles=frozenset({Role.EDITOR}),
                    policy=accounts.password_policy(), agency_id=None)
            preview = timed(lambda: plan(get_session(), actor, "bench.xlsx", content), 3)
            print(f"  preview (read, check, plan) {preview / raw:6.2f}×  "
                  f"({items / preview:,.0f} items/s)")

        client = app.test_client()
        urls = ["/healthz", "/documents/1", "/service-items", "/service-items?theme=婚姻登记",
                "/service-items?q=结婚", f"/service-items/{item_id}",
                f"/service-items/{item_id}/print", f"/service-items/{item_id}/rating",
                "/powers", "/powers?type=行政处罚", "/powers/1", "/powers.xlsx",
                "/ratings", "/api/v1/service-items", f"/api/v1/service-items/{item_id}",
                "/api/v1/powers", "/search?q=结婚登记要带什么证件"]
        medians: dict[str, float] = {}
        for url in urls:
            def get(target: str = url) -> None:
                response = client.get(target)
                assert response.status_code == 200, (target, response.status_code)

            get()  # warm: templates compiled, jieba loaded
            medians[url] = timed(get, repeats)
        health, document = medians["/healthz"], medians["/documents/1"]
        print(f"\npages with {ratings} ratings (median of {repeats}; × /healthz, × a document page):")
        for url in urls[2:]:
            print(f"  {url:<44} {medians[url] / health:8.1f}× {medians[url] / document:6.2f}×")


if __name__ == "__main__":
    arguments = [int(value) for value in sys.argv[1:]]
    main(*(arguments + [20, 5000, 500][len(arguments):]))
