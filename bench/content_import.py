"""How long `import-content` takes when the database already holds many other documents
(the near-duplicate check reads every one of them once per import with new or changed files).

    .venv/bin/python -m bench.content_import [N]

Builds a throw-away SQLite instance, adds N documents of synthetic text (sentences of the seed
articles, shuffled), then times a first import of content/, a second (unchanged) one, and one
after an edit. Prints the figures.
"""

from __future__ import annotations

import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from opengov.site import create_app
from opengov.site.bootstrap import initialise
from opengov.site.content.service.importer import import_directory
from opengov.site.db import unit_of_work
from tests.factories import make_document

ROOT = Path(__file__).resolve().parents[1]


def sentences() -> list[str]:
    text = "".join(path.read_text(encoding="utf-8")
                   for path in sorted((ROOT.parent / "shared" / "seeds").glob("*.txt")))
    # The degraded seed (003) has no 。 at all: leave out such run-on "sentences".
    return [part + "。" for part in re.split(r"[。\n]", text) if 10 < len(part) < 200]


def main(count: int) -> None:
    pool = sentences()
    rng = random.Random(20261123)
    with tempfile.TemporaryDirectory() as directory:
        instance = Path(directory)
        app = create_app({"INSTANCE_PATH": instance, "SECRET_KEY": "bench",
                          "DATABASE_URL": f"sqlite:///{instance / 'bench.sqlite3'}"})
        with app.app_context():
            initialise()
            with unit_of_work() as session:
                for number in range(count):
                    body = "".join(rng.sample(pool, 30))  # about 1,500 characters
                    make_document(session, title=f"合成文档{number}", body=body, doc_number="")
            content = instance / "content"
            shutil.copytree(ROOT / "content", content)
            for label in ("first import", "second import (unchanged)"):
                started = time.perf_counter()
                report = import_directory(content)
                print(f"{label}: {time.perf_counter() - started:.2f} s "
                      f"({len(report.created)} created, {len(report.changed)} changed)")
                for duplicate in report.duplicates:
                    print("   ", duplicate.message())
            policy = content / "documents" / "2011-zhongbanfa-22-shenhua-zhengwu-gongkai.md"
            policy.write_text(policy.read_text(encoding="utf-8") + "\n新增一段。\n",
                              encoding="utf-8")
            started = time.perf_counter()
            report = import_directory(content)
            print(f"import after one edit: {time.perf_counter() - started:.2f} s "
                  f"({len(report.changed)} changed)")
        print(f"database documents besides content/: {count}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
