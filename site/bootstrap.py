"""`opengov init`: bring an instance to a runnable state, idempotently."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from opengov.site import migrate
from opengov.site.catalog.service.columns import ensure_standard_categories
from opengov.site.db import get_database
from opengov.site.search.service.setup import set_up_search


def initialise() -> list[str]:
    """Create or migrate the database and the instance folders; returns what was done."""
    Path(current_app.config["UPLOAD_DIR"]).mkdir(mode=0o700, parents=True, exist_ok=True)
    migrate.upgrade(get_database().engine)
    _ensure_personal_data_key()
    created = ensure_standard_categories()
    lines = [f"数据库已就绪（迁移版本 {migrate.head_revision()}），新建栏目 {created} 个。"]
    lines += set_up_search()
    tightened = tighten_instance(Path(current_app.instance_path))
    if tightened:
        lines.append(f"已收紧实例目录中 {tightened} 个文件或目录的权限（文件 0600，目录 0700）。")
    return lines


def tighten_instance(folder: Path) -> int:
    """Files of the instance folder 0600 and its folders 0700 (an instance made before the
    site set its umask, or copied with a permissive one); returns how many were changed."""
    if not folder.is_dir():
        return 0
    changed = 0
    for path in [folder, *folder.rglob("*")]:
        if path.is_symlink():
            continue
        wanted = 0o700 if path.is_dir() else 0o600
        mode = path.stat().st_mode & 0o777
        if mode & 0o077:
            path.chmod(mode & wanted)
            changed += 1
    return changed


def _ensure_personal_data_key() -> None:
    """Applicants' personal data is encrypted with a key kept in the instance folder unless
    the PERSONAL_DATA_KEY setting gives one (issue 4)."""
    from opengov.site.personal_data import KEY_FILE, ensure_key_file

    if current_app.config.get("PERSONAL_DATA_KEY"):
        return
    instance = Path(current_app.instance_path)
    ensure_key_file(instance)
    current_app.config["PERSONAL_DATA_KEY"] = (instance / KEY_FILE).read_text(
        encoding="ascii").strip()
