"""The published 三公 figures of other bodies, as the public reads them: in Chinese.

``content/fiscal/sangong_published.tsv`` is kept byte-identical to the research file it was
transcribed into (``shared/corpus/sangong.tsv``), whose source types and notes were written in
English shorthand ("gov site", "third-party reprint of news …"). The public pages and the
downloads show them through :func:`source_label` and :func:`chinese_note`; a test checks that
no English is left for any row of the shipped file.
"""

from __future__ import annotations

import re

_TRADITIONAL = re.compile(r"\s*\(traditional chars\)")

#: Source kinds, most authoritative first (the reference page lists rows in this order).
SOURCE_ORDER = ("政府网站", "新闻报道", "第三方网站转载")


def source_label(source_type: str) -> str:
    """"gov site" → 政府网站, "news(新民晚报)" → 新闻报道（新民晚报）, "third-party mirror of
    X page (traditional chars)" → 第三方网站转载的X网页（繁体）; anything else unchanged."""
    text = source_type.strip()
    suffix = "（繁体）" if _TRADITIONAL.search(text) else ""
    text = _TRADITIONAL.sub("", text).strip()
    if text == "gov site":
        return "政府网站" + suffix
    match = re.fullmatch(r"news\((.+)\)", text)
    if match:
        return f"新闻报道（{match[1].replace(' reprint', '转载')}）{suffix}"
    match = re.fullmatch(r"third-party reprint of (?:(.+) )?news", text)
    if match:
        return "第三方网站转载的新闻报道" + (f"（{match[1]}）" if match[1] else "") + suffix
    match = re.fullmatch(r"third-party mirror(?: of (.+?))?(?: page)?", text)
    if match:
        return "第三方网站转载" + (f"的{match[1]}网页" if match[1] else "") + suffix
    return text + suffix


def source_rank(source_type: str) -> int:
    """Position of a source's kind in :data:`SOURCE_ORDER` (unknown kinds last)."""
    label = source_label(source_type)
    return next((rank for rank, kind in enumerate(SOURCE_ORDER) if label.startswith(kind)),
                len(SOURCE_ORDER))


#: English shorthand of the research notes and its Chinese, applied in order.
NOTE_PHRASES: tuple[tuple[str, str], ...] = (
    (r"\s*\(also (https?://\S+)\)", r"（另见 \1）"),
    (r"same article as (\d{4}) row", r"与\1年一行出自同一篇报道"),
    (r"vehicle/reception not given in excerpt", "摘录未给出公务用车费和公务接待费"),
    (r"vehicle figure cut off in excerpt", "摘录中公务用车费的数字不完整"),
    (r"vehicle subtotal = ([\d.+]+) \(table lists parts\)",
     r"公务用车费小计为 \1（来源表格分项列出）"),
    (r"table lists (\S+) (\S+) but (\S+) (\S+)", r"来源表格列\1为 \2，但\3为 \4"),
    (r"total derived \(([\d.+]+)\)", r"合计为推算值（\1）"),
    (r"total=([\d.+]+)", r"合计为 \1"),
    (r"total only", "来源只给出合计"),
    (r"unit is (\S+)", r"计量单位为\1"),
    (r"\s*;\s*", "；"),
    (r"(?<=[\u4e00-\u9fff）]):\s*", "："),
    (r"(?<=[\u4e00-\u9fff\d）)]),\s*", "，"),
    (r"\s*\(([^()]*)\)", r"（\1）"),
)


def chinese_note(note: str) -> str:
    """A research note in Chinese (see :data:`NOTE_PHRASES`)."""
    text = note.strip()
    for pattern, replacement in NOTE_PHRASES:
        text = re.sub(pattern, replacement, text)
    return text


_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_URL = re.compile(r"https?://\S+")


def has_english(text: str) -> bool:
    """Whether ``text`` still holds English words (addresses aside)."""
    return bool(_LATIN_WORD.search(_URL.sub("", text)))
