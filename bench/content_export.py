"""How long `export-content` and the import of its output take for a large catalog.

    .venv/bin/python -m bench.content_export [N]

Builds a throw-away SQLite instance with content/ imported and N published documents of
synthetic text (every tenth with a PDF attachment), then times a first export (keys given,
every file written), a second one (nothing to write), the import of the export into a fresh
database and the export of that one, and checks the two exports are byte-identical.
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from flask import Flask

from bench.content_import import ROOT, sentences
from opengov.site import create_app
from opengov.site.bootstrap import initialise
from opengov.site.catalog.service.attachments import store
from opengov.site.content.service.exporter import export_directory
from opengov.site.content.service.importer import import_content, import_directory
from opengov.site.db import unit_of_work
from tests.factories import make_document

PDF = b"%PDF-1.4\n" + b"0" * 50_000 + b"\n%%EOF\n"


def instance_app(instance: Path) -> Flask:
    app = create_app({"INSTANCE_PATH": instance, "SECRET_KEY": "bench",
                      "DATABASE_URL": f"sqlite:///{instance / 'bench.sqlite3'}"})
    with app.app_context():
        initialise()
    return app


def timed(label: str, app: Flask, action: str, directory: Path) -> None:
    with app.app_context():
        started = time.perf_counter()
        if action == "export":
            report = export_directory(directory)
            summary = f"{len(report.written)} written, {report.unchanged} unchanged"
        else:
            imported = import_directory(directory)
            summary = f"{len(imported.created)} created, {len(imported.duplicates)} duplicates"
        print(f"{label}: {time.perf_counter() - started:.2f} s ({summary})")


def tree(directory: Path) -> dict[str, bytes]:
    return {str(path.relative_to(directory)): path.read_bytes()
            for path in sorted(directory.rglob("*")) if path.is_file()}


def main(count: int) -> None:
    pool = sentences()
    rng = random.Random(20261123)
    with tempfile.TemporaryDirectory() as directory:
        base = Path(directory)
        app = instance_app(base / "one")
        with app.app_context(), unit_of_work() as session:
            import_content(session, ROOT / "content")
            uploads = Path(app.config["UPLOAD_DIR"])
            for number in range(count):
                document = make_document(session, title=f"合成文档{number}", doc_number="",
                                         body="".join(rng.sample(pool, 30)))
                if number % 10 == 0:
                    document.attachments.append(store(uploads, PDF, f"附件{number}.pdf",
                                                      "application/pdf", suffix=".pdf"))
        first, second = base / "first", base / "second"
        timed("first export", app, "export", first)
        timed("second export (unchanged)", app, "export", first)
        fresh = instance_app(base / "two")
        timed("import into a fresh database", fresh, "import", first)
        timed("export of the fresh database", fresh, "export", second)
        same = tree(first) == tree(second)
        size = sum(len(data) for data in tree(first).values())
        print(f"documents besides content/: {count}; exported {size / 1e6:.1f} MB; "
              f"exports byte-identical: {same}")


if __name__ == "__main__":
    import sys

    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
