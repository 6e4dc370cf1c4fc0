"""The search step of ``opengov init``."""

from __future__ import annotations

from opengov.site.search.service.index import SearchUnavailableError, ensure_index
from opengov.site.search.service.synonyms import seed_synonyms


def set_up_search() -> list[str]:
    """Seed synonyms and create the search index; returns lines for the person running init.
    An engine that is down is reported, not fatal: the site serves pages and search says it
    is degraded until it is back."""
    lines = [f"搜索同义词已就绪（新增 {seed_synonyms()} 条）。"]
    try:
        lines.append(ensure_index())
    except SearchUnavailableError as exc:
        lines.append(f"警告：搜索索引未能建立（{exc}），请在搜索引擎可用后运行 opengov index rebuild。")
    return lines
