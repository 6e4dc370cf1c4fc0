"""`opengov init`: bring an instance to a runnable state, idempotently."""

from __future__ import annotations

from pathlib import Path

from flask import current_app
from sqlalchemy.orm import Session

from opengov.site import migrate
from opengov.site.catalog.service.columns import ensure_standard_categories
from opengov.site.db import get_database, get_session, write_intent


def initialise() -> list[str]:
    """Create or migrate the database and the instance folders; returns what was done."""
    Path(current_app.config["UPLOAD_DIR"]).mkdir(parents=True, exist_ok=True)
    migrate.upgrade(get_database().engine)
    _ensure_personal_data_key()
    created = ensure_standard_categories()
    lines = [f"数据库已就绪（迁移版本 {migrate.head_revision()}），新建栏目 {created} 个。"]
    # TRANSITIONAL: set-up may write (db.write_intent) until the search feature seeds its
    # synonyms in a unit of work of its own.
    with write_intent():
        lines += _search_set_up(get_session())
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


def _search_set_up(session: Session) -> list[str]:
    """Seed synonyms and create the search index; an engine that is down is reported, not
    fatal: the site serves pages and search says it is degraded until it is back."""
    from opengov.indexer.backend import SearchUnavailableError
    from opengov.site.search.service.index import ensure_index
    from opengov.site.search.service.search import seed_synonyms

    added = seed_synonyms(session)
    session.commit()
    lines = [f"搜索同义词已就绪（新增 {added} 条）。"]
    try:
        lines.append(ensure_index())
    except SearchUnavailableError as exc:
        lines.append(f"警告：搜索索引未能建立（{exc}），请在搜索引擎可用后运行 opengov index rebuild。")
    return lines
