"""A web worker loads only what pages need: the libraries that build files — fpdf (letters,
annual reports), openpyxl (spreadsheets), pypdf (redaction), ≈80 MB together — are imported
when a file is built, so gunicorn's master, and every worker forked from it, never holds them
unless a worker builds one (bench/worker_memory.py measures the whole worker)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import base_config

#: Imported on first use only.
FILE_BUILDERS = ("fpdf", "openpyxl", "pypdf")

PROBE = """
import json, sys
from opengov.site.app import create_app
from opengov.site.search.service.search import warm_up
app = create_app(json.loads(sys.argv[1]))
with app.app_context():
    warm_up()  # what deploy/gunicorn.conf.py does in the master
client = app.test_client()
for path in ("/", "/search?q=政务公开", "/statistics", "/fiscal/", "/guide", "/powers"):
    client.get(path)
print(json.dumps(sorted(name for name in {FILE_BUILDERS!r} if name in sys.modules)))
"""


def test_pages_and_the_warm_up_do_not_load_the_file_builders(tmp_path: Path,
                                                              database_url: str) -> None:
    probe = subprocess.run(
        [sys.executable, "-c", PROBE.replace("{FILE_BUILDERS!r}", repr(FILE_BUILDERS)),
         json.dumps(base_config(tmp_path / "instance", database_url), default=str)],
        capture_output=True, text=True, check=False, timeout=120)
    assert probe.returncode == 0, probe.stderr
    assert json.loads(probe.stdout.splitlines()[-1]) == []


def test_the_file_builders_are_loaded_when_a_file_is_built(tmp_path: Path,
                                                           database_url: str) -> None:
    """The other half: the probe above would also pass if it could not see imports."""
    probe = subprocess.run(
        [sys.executable, "-c",
         "import json, sys\n"
         "from opengov.site.app import create_app\n"
         "app = create_app(json.loads(sys.argv[1]))\n"
         "assert app.test_client().get('/powers.xlsx').status_code == 200\n"
         "print('openpyxl' in sys.modules)",
         json.dumps(base_config(tmp_path / "instance", database_url), default=str)],
        capture_output=True, text=True, check=False, timeout=120)
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.split()[-1] == "True"
