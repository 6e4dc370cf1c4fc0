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
_BRACKETED = re.compile(r"〔\s*(?P<year>(?:19|20)\d{2})\s*〕\s*第?\s*(?P<serial>\d{1,5})\s*号?")
#: 国办发2018年123号 / 国办发2018-123号 / 国办发 2018 123号.
_BARE = re.compile(
    r"(?P<kind>[发函字])\s*(?P<year>(?:19|20)\d{2})\s*(?:年|-|\s)\s*第?\s*(?P<serial>\d{1,5})\s*号")
#: 国务院令第711号 / 国务院令711号 / 国务院令 第 711 号.
_DECREE = re.compile(r"令\s*第?\s*(?P<serial>\d{1,5})\s*号")

_QUERY_BRACKETED = re.compile(rf"(?P<prefix>[{_CJK}]{{1,12}})〔(?P<year>\d{{4}})〕(?P<serial>\d+)号")
_QUERY_DECREE = re.compile(rf"(?P<prefix>[{_CJK}]{{1,20}})令第(?P<serial>\d+)号")
_PRC = "中华人民共和国"


def _fold_doc_numbers(text: str) -> str:
    text = _BARE.sub(lambda m: f"{m['kind']}〔{m['year']}〕{int(m['serial'])}号", text)
    text = _BRACKETED.sub(lambda m: f"〔{m['year']}〕{int(m['serial'])}号", text)
    return _DECREE.sub(lambda m: f"令第{int(m['serial'])}号", text)


def normalize_query(text: str) -> str:
    """The normalised form of a query, with document numbers in their canonical form."""
    return _fold_doc_numbers(normalize_text(unicodedata.normalize("NFC", text)))


def doc_number_keys(doc_number: str) -> list[str]:
    """Exact-match keys of a 发文字号: the canonical form and the short forms people use
    (国务院令第711号 for 中华人民共和国国务院令第711号, 国令第711号, each body of a joint
    decree)."""
    canonical = re.sub(r"\s+", "", normalize_query(doc_number.strip()))
    if not canonical:
        return []
    keys = {canonical}
    decree = re.fullmatch(r"(?P<bodies>.+)令第(?P<serial>\d+)号", canonical)
    if decree:
        serial = decree["serial"]
        for body in decree["bodies"].split("、"):
            body = body.removesuffix("令")
            short = body.removeprefix(_PRC)
            keys.update({f"{body}令第{serial}号", f"{short}令第{serial}号"})
            if short == "国务院":
                keys.add(f"国令第{serial}号")
    return sorted(keys)


def query_doc_number_keys(normalized_query: str) -> list[str]:
    """Candidate document-number keys in a normalised query: every tail of the characters
    before the number, since the query may read "关于国办发〔2018〕123号"."""
    keys: set[str] = set()
    for match in _QUERY_BRACKETED.finditer(normalized_query):
        prefix = match["prefix"]
        for start in range(len(prefix)):
            keys.add(f"{prefix[start:]}〔{match['year']}〕{match['serial']}号")
    for match in _QUERY_DECREE.finditer(normalized_query):
        prefix = match["prefix"]
        for start in range(len(prefix)):
            keys.add(f"{prefix[start:]}令第{match['serial']}号")
    return sorted(keys)
