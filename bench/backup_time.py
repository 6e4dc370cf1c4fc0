"""Backup and restore of the corpus instance: ``opengov backup`` and ``opengov restore``
against a plain copy of the same files measured in the same run.

The reference copies the database file and the upload folder with ``shutil`` (what an
administrator might do by hand, unsafe while the site writes). ``opengov backup`` also takes a
consistent online copy, checks it, hashes every file and writes the manifest; ``restore``
checks every file against the manifest, copies them back and counts the rows (its own time,
printed apart), then migrates and rebuilds the search index (most of the command's time).

Run: .venv/bin/python -m bench.backup_time [--instance DIR]
(the instance is built from content/ and the shared corpus when not given: ≈ 5 minutes).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.worker_memory import build_instance  # noqa: E402
from opengov.site import create_app  # noqa: E402
from opengov.site.operations.service.backup import create_backup  # noqa: E402

BIN = Path(sys.executable).parent


def _size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--instance", type=Path, help="an instance folder with the corpus")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="opengov-bench-") as scratch_name:
        scratch = Path(scratch_name)
        instance = arguments.instance
        if instance is None:
            instance = scratch / "instance"
            print("building the corpus instance …", flush=True)
            build_instance(instance)
        database = instance / "opengov.sqlite3"
        uploads = instance / "uploads"

        started = time.perf_counter()
        plain = scratch / "plain"
        plain.mkdir()
        shutil.copyfile(database, plain / database.name)
        if uploads.is_dir():
            shutil.copytree(uploads, plain / "uploads")
        reference = time.perf_counter() - started

        app = create_app({"INSTANCE_PATH": instance, "BACKUP_DIR": str(scratch / "backups")})
        with app.app_context():
            report = create_backup(keys_to=scratch / "keys")
        backup = report.path
        backup_seconds = report.seconds

        target = scratch / "restored"
        env = {**os.environ, "OPENGOV_INSTANCE_PATH": str(target)}
        started = time.perf_counter()
        result = subprocess.run([str(BIN / "opengov"), "restore", str(backup), "--keys",
                                 str(scratch / "keys" / backup.name)],
                                env=env, check=True, capture_output=True, text=True)
        restore_seconds = time.perf_counter() - started
        restore_line = next(line for line in result.stdout.splitlines()
                            if line.startswith("已恢复") and "行" in line)
        restore_proper = float(re.search(r"用时 ([0-9.]+) 秒", restore_line)[1])  # type: ignore[index]

        print(f"\ninstance {instance}: database {database.stat().st_size / 1048576:.1f} MB, "
              f"uploads {_size(uploads) / 1048576:.1f} MB; backup {_size(backup) / 1048576:.1f} MB")
        print(f"{'plain copy of the files (reference)':46s} {reference:8.2f} s")
        print(f"{'backup (online copy, check, hashes, manifest)':46s} {backup_seconds:8.2f} s"
              f"   ×{backup_seconds / reference:.1f}")
        print(f"{'restore: check, database, files, row counts':46s} {restore_proper:8.2f} s"
              f"   ×{restore_proper / reference:.1f}")
        print(f"{'opengov restore, whole command (+ start-up,':46s} {restore_seconds:8.2f} s"
              f"   ×{restore_seconds / reference:.1f}")
        print("  migrate and search index rebuild)")
        print(f"  {restore_line}")


if __name__ == "__main__":
    main()
