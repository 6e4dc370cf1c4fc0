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
    Path(current_app.config["UPLOAD_DIR"]).mkdir(parents=True, exist_ok=True)
    migrate.upgrade(get_database().engine)
    _ensure_personal_data_key()
    created = ensure_standard_categories()
    lines = [f"数据库已就绪（迁移版本 {migrate.head_revision()}），新建栏目 {created} 个。"]
    lines += set_up_search()
    return lines


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
