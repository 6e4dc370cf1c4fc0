"""What an error report (找错) is about and how its address is checked, without storage."""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum
from urllib.parse import urlsplit


class Problem(StrEnum):
    """The kinds of error a reader may report, as 找错 forms of government sites list them."""

    TYPO = "错别字或表述错误"
    BROKEN_LINK = "链接打不开或附件无法下载"
    OUTDATED = "信息过时或内容有误"
    DISPLAY = "页面显示或无障碍问题"
    OTHER = "其他问题"


class Status(StrEnum):
    OPEN = "待处理"
    DONE = "已处理"
    REJECTED = "不予处理"


DESCRIPTION_MIN = 5
DESCRIPTION_MAX = 2000
PAGE_MAX = 500


def local_page(url: str, site_hosts: Collection[str]) -> str | None:
    """The site path a report is about, from what the reader gave (a full address of this
    site or a path); None for another site's address, which staff cannot fix."""
    text = url.strip()
    if not text:
        return None
    parts = urlsplit(text)
    if parts.scheme and parts.scheme not in {"http", "https"}:
        return None
    if parts.netloc and parts.netloc.lower() not in {host.lower() for host in site_hosts}:
        return None
    path = parts.path or "/"
    if not path.startswith("/"):
        return None
    return path + (f"?{parts.query}" if parts.query else "")
