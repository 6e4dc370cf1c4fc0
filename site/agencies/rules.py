"""Rules about agencies that need no database."""

from __future__ import annotations

import re

#: The 索引号 of a document: the agency's 组织机构代码, the year and a serial (rules.md §3.5).
DEFAULT_INDEX_TEMPLATE = "{org_code}/{year}-{serial:05d}"

#: Kinds of agency in display order: the government, its departments, townships, and the
#: villages and communities whose 村务公开 the site carries.
KIND_LABELS: dict[str, str] = {
    "government": "人民政府",
    "department": "部门",
    "township": "乡镇（街道）",
    "village": "村（社区）",
}
KIND_ORDER = {kind: position for position, kind in enumerate(KIND_LABELS)}
#: The kind an agency of each kind hangs under (村/社区 under their 乡镇/街道).
PARENT_KINDS: dict[str, tuple[str, ...]] = {
    "government": (),
    "department": ("government",),
    "township": ("government",),
    "village": ("township",),
}

_CODE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
_ORG_CODE = re.compile(r"^[0-9A-Za-z-]{2,40}$")


def code_problem(code: str) -> str | None:
    """Why ``code`` cannot name an agency in URLs (/agencies/<code>), or None."""
    if not _CODE.match(code):
        return "机构代码（网址用）只能由小写英文字母、数字和连字符组成，2–40 个字符。"
    return None


def org_code_problem(org_code: str) -> str | None:
    """Why ``org_code`` cannot start a 索引号 (rules.md §3.6), or None."""
    if not _ORG_CODE.match(org_code):
        return "组织机构代码只能由字母、数字和连字符组成（如 007000011 或统一社会信用代码）。"
    return None
