"""Snippets of the original text with the matched words marked (the same for every backend).

Normalisation keeps one character per character, so matches found in the normalised text
are marked at the same offsets of the original: traditional characters and full-width forms
are shown as written and no spaces are put between Chinese characters.
"""

from __future__ import annotations

import re
from html import escape

from opengov.indexer.normalize import WIDTH_TABLE, normalize_text

#: Highlighting looks this far into a text; Whoosh's own highlighter stops at 32,768.
MAX_SCAN = 200_000
#: Traditional → simplified conversion is slow: only this much is converted, and only when
#: the cheap width/case fold found nothing.
MAX_CONVERT = 20_000
#: Enough matches to choose a window from, few enough to stay fast on long texts.
MAX_SPANS = 300


#: A line wrapped inside Chinese text joins without a space when a snippet is flattened.
_JOIN_CJK_LINES = re.compile(r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])[ \t]*\n[ \t]*"
                             r"(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])")


#: Markdown marks that mean nothing in a plain-text snippet (headings, emphasis, quotes).
_MARKDOWN = re.compile(r"^[ \t]{0,3}(?:#{1,6}|>|[-*+])[ \t]+|\*\*|__|`", re.M)


def _spans(normalized: str, terms: list[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for term in terms:
        if not term:
            continue
        start = normalized.find(term)
        while start != -1:
            spans.append((start, start + len(term)))
            start = normalized.find(term, start + len(term))
    spans = sorted(spans)[:MAX_SPANS]
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _mark(text: str, spans: list[tuple[int, int]], offset: int) -> str:
    out: list[str] = []
    cursor = 0
    for start, end in spans:
        start, end = start - offset, end - offset
        if end <= 0 or start >= len(text):
            continue
        start, end = max(start, 0), min(end, len(text))
        out.append(escape(text[cursor:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    out.append(escape(text[cursor:]))
    return "".join(out)


def highlight(text: str, terms: list[str], width: int = 120) -> str:
    """HTML: the ``width`` characters of ``text`` densest in ``terms``, matches in <mark>.
    ``terms`` are normalised words; longer ones should come first."""
    text = _MARKDOWN.sub("", text[:MAX_SCAN])
    text = " ".join(_JOIN_CJK_LINES.sub("", text).split())
    if not text:
        return ""
    spans = _spans(fold_width(text), terms)
    if not spans:
        spans = _spans(normalize_text(text[:MAX_CONVERT]), terms)
    if not spans:
        return escape(text[:width]) + ("…" if len(text) > width else "")
    best_start, best_score = spans[0][0], -1
    for index, (start, _end) in enumerate(spans):
        distinct = {text[s:e] for s, e in spans[index:] if e <= start + width}
        score = len(distinct) * 100 + sum(1 for s, e in spans[index:] if e <= start + width)
        if score > best_score:
            best_start, best_score = start, score
    window_start = max(0, best_start - width // 4)
    window = text[window_start:window_start + width]
    prefix = "…" if window_start > 0 else ""
    suffix = "…" if window_start + width < len(text) else ""
    return prefix + _mark(window, spans, window_start) + suffix


def fold_width(text: str) -> str:
    """The cheap part of :func:`normalize_text` (no traditional → simplified)."""
    return text.translate(WIDTH_TABLE).lower()


def mark_title(title: str, terms: list[str]) -> str:
    """The whole title with matches marked."""
    return _mark(title, _spans(normalize_text(title), terms), 0)
