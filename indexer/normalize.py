"""Text normalisation shared by indexing and querying (design.md §4).

Two levels:

- :func:`normalize_text` maps every character to one character (full-width → half-width,
  traditional → simplified, every kind of document-number bracket → 〔〕, Latin lower-cased),
  so offsets in the normalised text are offsets in the original: snippets highlight the
  original text without a second pass.
- :func:`normalize_query` additionally rewrites document numbers typed the way people type
  them (``国办发2018年123号``, ``国办发(2018)123号``, ``国办发【2018】123``) to the canonical
  ``国办发〔2018〕123号``; it may change the length, which is fine for a query.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

#: Every bracket people use around the year of a 发文字号, folded to the official 〔〕.
_OPEN_BRACKETS = "〔[［(（【〖"
_CLOSE_BRACKETS = "〕]］)）】〗"


def _width_table() -> dict[int, str]:
    table = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
    table[0x3000] = " "
    # Brackets go to 〔〕 after the width fold, so the full-width ones map there directly.
    for char in _OPEN_BRACKETS:
        table[ord(char)] = "〔"
    for char in _CLOSE_BRACKETS:
        table[ord(char)] = "〕"
    return table


WIDTH_TABLE = _width_table()


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified, keeping the length (phrase rules that would change it are
    replaced by the character-level conversion)."""
    converter = _converter()
    converted: str = converter.convert(text)
    if len(converted) == len(text):
        return converted
    pieces = []
    for char in text:
        single: str = converter.convert(char)
        pieces.append(single if len(single) == 1 else char)
    return "".join(pieces)


def normalize_text(text: str) -> str:
    """The searchable form of ``text``, one character for each character of ``text``."""
    if not text:
        return ""
    return to_simplified(text.translate(WIDTH_TABLE)).lower()


_CJK = r"\u4e00-\u9fff"
#: 〔2018〕123号 in any bracket (already folded to 〔〕), with stray spaces, 第, or no 号.
_BRACKETED = re.compile(r"〔\s*(?P<year>(?:19|20)\d{2})\s*〕\s*第?\s*(?P<serial>\d{1,5})(?:\s*号|(?!\d))")
#: 国办发2018年123号 / 国发2018-44号 / 国发2018-44 / 国办发 2018 123号.
_BARE = re.compile(
    r"(?P<kind>[发函字])\s*(?P<year>(?:19|20)\d{2})\s*(?:年|-|—|/|\s)\s*第?\s*(?P<serial>\d{1,5})"
    r"(?:\s*号|(?!\d))")
#: 国务院令第711号 / 国务院令711号 / 国令711 / 国务院令 第 711 号.
_DECREE = re.compile(r"(?<=[\u4e00-\u9fff])令\s*第?\s*(?P<serial>\d{1,5})(?:\s*号|(?!\d))")
#: 国务院735号令 / 735号令 / 国务院第735号令: the number written before 令.
_DECREE_BEFORE = re.compile(r"第?\s*(?P<serial>\d{1,5})\s*号令")
#: 44号文 / 44号文件: what people call a document by its number.
_NUMBER_DOCUMENT = re.compile(r"(?P<serial>\d{1,5})\s*号文件?")

_QUERY_BRACKETED = re.compile(rf"(?P<prefix>[{_CJK}]{{1,12}})〔(?P<year>\d{{4}})〕(?P<serial>\d+)号")
_QUERY_DECREE = re.compile(rf"(?P<prefix>[{_CJK}]{{0,20}})令第(?P<serial>\d+)号")
#: 国发44号 (the year left out) and 44号 alone, not part of a full number or a decree.
_QUERY_SERIAL = re.compile(rf"(?<![〕\d])(?P<prefix>[{_CJK}]{{0,12}}?)(?P<serial>\d{{1,5}})号(?!令)")
_PRC = "中华人民共和国"
_CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
                   "七": 7, "八": 8, "九": 9}
_CHINESE_SERIAL = re.compile(r"第(?P<number>[零〇一二两三四五六七八九十百千]+)号")


def chinese_number(text: str) -> int | None:
    """七十三 → 73, 一百零五 → 105, 十二 → 12; None when ``text`` is no such number."""
    total, current = 0, 0
    for char in text:
        if char in _CHINESE_DIGITS:
            current = _CHINESE_DIGITS[char]
        elif char in "十百千":
            unit = {"十": 10, "百": 100, "千": 1000}[char]
            total += (current or 1) * unit
            current = 0
        else:
            return None
    return total + current


def _fold_doc_numbers(text: str) -> str:
    text = _CHINESE_SERIAL.sub(
        lambda m: f"第{chinese_number(m['number'])}号" if chinese_number(m["number"]) else m[0],
        text)
    text = _NUMBER_DOCUMENT.sub(lambda m: f"{int(m['serial'])}号", text)
    text = _BARE.sub(lambda m: f"{m['kind']}〔{m['year']}〕{int(m['serial'])}号", text)
    text = _BRACKETED.sub(lambda m: f"〔{m['year']}〕{int(m['serial'])}号", text)
    text = _DECREE_BEFORE.sub(lambda m: f"令第{int(m['serial'])}号", text)
    return _DECREE.sub(lambda m: f"令第{int(m['serial'])}号", text)


def normalize_query(text: str) -> str:
    """The normalised form of a query, with document numbers in their canonical form."""
    return _fold_doc_numbers(normalize_text(unicodedata.normalize("NFC", text)))


#: How strongly a document-number key identifies a document: the whole number; the issuer
#: and serial without the year (国发44号) or a decree's serial (735号令); the serial alone.
EXACT, PARTIAL, SERIAL = "exact", "partial", "serial"


def doc_number_keys(doc_number: str) -> list[str]:
    """Match keys of a 发文字号: the canonical form; the short forms people use (国务院令第711号
    for 中华人民共和国国务院令第711号, 国令第711号, each body of a joint decree); and the
    partial keys (``国发#44号``, ``令第735号``, ``#44号``) that the query side produces from
    国发44号文, 735号令 and 44号文."""
    canonical = re.sub(r"\s+", "", normalize_query(doc_number.strip()))
    if not canonical:
        return []
    keys = {canonical}
    decree = re.fullmatch(r"(?P<bodies>.+)令第(?P<serial>\d+)号", canonical)
    if decree:
        serial = decree["serial"]
        keys.add(f"令第{serial}号")
        for body in decree["bodies"].split("、"):
            body = body.removesuffix("令")
            short = body.removeprefix(_PRC)
            keys.update({f"{body}令第{serial}号", f"{short}令第{serial}号"})
            if short == "国务院":
                keys.add(f"国令第{serial}号")
    numbered = re.fullmatch(r"(?P<issuer>.*?)〔\d{4}〕(?P<serial>\d+)号", canonical)
    if numbered:
        keys.update({f"{numbered['issuer']}#{numbered['serial']}号", f"#{numbered['serial']}号"})
    return sorted(keys)


def query_doc_number_keys(normalized_query: str) -> list[str]:
    """The exact keys of the document numbers in a normalised query: every tail of the
    characters before the number, since the query may read "关于国办发〔2018〕123号"."""
    return sorted(key for key, strength in query_number_keys(normalized_query).items()
                  if strength == EXACT)


def query_number_keys(normalized_query: str) -> dict[str, str]:
    """Every document-number key in a normalised query with its strength
    (:data:`EXACT`, :data:`PARTIAL` or :data:`SERIAL`)."""
    keys: dict[str, str] = {}
    for match in _QUERY_BRACKETED.finditer(normalized_query):
        prefix = match["prefix"]
        for start in range(len(prefix)):
            keys[f"{prefix[start:]}〔{match['year']}〕{match['serial']}号"] = EXACT
    for match in _QUERY_DECREE.finditer(normalized_query):
        prefix = match["prefix"]
        for start in range(len(prefix)):
            keys[f"{prefix[start:]}令第{match['serial']}号"] = EXACT
        keys.setdefault(f"令第{match['serial']}号", PARTIAL)
    for match in _QUERY_SERIAL.finditer(normalized_query):
        prefix, serial = match["prefix"], match["serial"]
        if normalized_query[match.start("serial") - 1:match.start("serial")] == "第":
            continue  # 第44号 inside a decree or an article: not a document's number
        for start in range(len(prefix)):
            keys.setdefault(f"{prefix[start:]}#{serial}号", PARTIAL)
        keys.setdefault(f"#{serial}号", SERIAL)
    return keys
