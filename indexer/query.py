"""Turn what a citizen typed into a :class:`SearchRequest`, or a clear Chinese message.

No query syntax of an engine is exposed: words are matched as words, text in quotes
(``"…"``, ``“…”``, ``「…」``) as a phrase, document numbers in every form people write them
(国务院令第735号 / 735号令 / 国令735, 国发〔2018〕44号 / 国发2018-44 / 44号文) by their keys,
a year (2020年…) as a preference for documents of that year, abbreviations and colloquial
names (个税法, 公积金) together with what they stand for, and question words (如何, 怎么…)
are dropped, so no input can break a query.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from opengov.indexer.model import FACETS, QueryTerm, SearchRequest
from opengov.indexer.normalize import normalize_query, query_number_keys
from opengov.indexer.tokenizer import Tokenizer

MAX_QUERY_LENGTH = 200
MAX_TERMS = 32
MAX_PAGE = 500
SORTS = ("relevance", "date")

#: Function and question words that carry no meaning for matching.
STOPWORDS = frozenset((
    "的", "了", "和", "与", "及", "或", "是", "在", "有", "吗", "呢", "吧", "啊", "呀", "么", "之", "其", "把",
    "被", "对", "从", "向", "给", "让", "将", "就", "都", "也", "还", "又", "才", "如何", "怎么", "怎样", "怎么样",
    "什么", "哪些", "哪里", "哪个", "哪", "为什么", "为何", "多少", "几", "谁", "是否", "能否", "能不能", "可不可以", "可以",
    "能", "会", "请问", "请", "我", "我们", "你", "您", "他", "她", "它", "要", "想", "需要", "应该", "应当", "哪儿",
    "啥", "咋", "一下", "相关", "有关", "关于",
    "怎么办", "咋办", "怎么做", "怎样做", "如何做", "是不是", "有没有", "要不要", "受到",
    # The verbs of 办事 questions (要带什么证件、要办什么证、去哪办理): the asking, not what is
    # asked about (issue 14: such questions find the 办事指南 and the law behind it).
    "带", "办", "办理",
    # … and what they ask for: 要办什么手续 asks for the 办事指南, which is the list of the
    # 手续; as a word to find it would leave the guide out (no guide says 手续).
    "手续",
))

_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」|『([^』]*)』')
_QUOTES = '"“”「」『』'
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SEARCHABLE = re.compile(r"[0-9A-Za-z\u4e00-\u9fff\u3400-\u4dbf\uff10-\uff19\uff21-\uff5a]")
#: A year as people write it before what they look for: 2020年, 2018年度 (not inside a
#: document number, whose year is in 〔〕).
_YEAR = re.compile(r"(?<![\d〔])(?P<year>(?:19|20)\d{2})\s*年度?")


class QueryError(ValueError):
    """The query cannot be searched; ``message`` is shown to the citizen as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_query(
    raw: str,
    tokenizer: Tokenizer,
    *,
    filters: Mapping[str, str] | None = None,
    sort: str = "relevance",
    page: int = 1,
    size: int = 20,
    synonyms: Mapping[str, Sequence[str]] | None = None,
) -> SearchRequest:
    """Validate and parse ``raw``; raise :class:`QueryError` with a message for people."""
    text = _CONTROL.sub(" ", raw or "").strip()
    if not text:
        raise QueryError("请输入要搜索的内容。")
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"搜索内容过长（{len(text)}个字），请精简到{MAX_QUERY_LENGTH}个字以内。")
    if not _SEARCHABLE.search(text):
        raise QueryError("搜索内容中没有可检索的文字，请输入汉字、字母或数字。")

    phrases: list[str] = []

    def take_phrase(match: re.Match[str]) -> str:
        inner = next(group for group in match.groups() if group is not None)
        phrase = normalize_query(inner).strip()
        if _SEARCHABLE.search(phrase):
            phrases.append(phrase)
        return " "

    rest = _QUOTED.sub(take_phrase, text)
    if any(quote in rest for quote in _QUOTES):
        raise QueryError("引号没有成对出现：请补全引号，或去掉引号后再搜索。")

    normalized = normalize_query(rest)
    number_keys = query_number_keys(normalized)
    for phrase in phrases:
        number_keys.update(query_number_keys(phrase))
    years = [match["year"] for match in _YEAR.finditer(normalized)]
    year = years[0] if len(set(years)) == 1 else ""
    words_text = _YEAR.sub(" ", normalized) if year else normalized
    terms = _terms(words_text, tokenizer, synonyms or {})
    if not terms and not phrases and not number_keys and not year:
        raise QueryError("搜索内容中没有可检索的文字，请输入汉字、字母或数字。")

    clean_filters = {key: value for key, value in (filters or {}).items()
                     if key in FACETS and value}
    if sort not in SORTS:
        sort = "relevance"
    page = min(max(page, 1), MAX_PAGE)
    size = min(max(size, 0), 100)
    display = " ".join([*(f"“{p}”" for p in phrases), normalized.strip()]).strip()
    return SearchRequest(text=display, terms=tuple(terms), phrases=tuple(phrases),
                         number_keys=tuple(sorted(number_keys.items())), year=year,
                         filters=clean_filters, sort=sort, page=page, size=size)


def _expansion_spans(text: str, synonyms: Mapping[str, Sequence[str]], tokenizer: Tokenizer
                     ) -> list[tuple[int, int, str]]:
    """Where ``text`` holds a lexicon or synonym entry of two characters or more, longest
    entries first, none overlapping: 个税法 must be found before the segmenter cuts it. An
    entry inside a longer word (工作报告 in 政府工作报告) is not taken: the word is meant."""
    boundaries = {0}
    for piece in tokenizer.cut(text):
        boundaries.add(max(boundaries) + len(piece))
    taken = [False] * len(text)
    spans: list[tuple[int, int, str]] = []
    for key in sorted((key for key in synonyms if len(key) >= 2 and key in text),
                      key=lambda key: (-len(key), key)):
        start = text.find(key)
        while start != -1:
            end = start + len(key)
            if start in boundaries and end in boundaries and not any(taken[start:end]):
                taken[start:end] = [True] * len(key)
                spans.append((start, end, key))
            start = text.find(key, end)
    return sorted(spans)


def _terms(text: str, tokenizer: Tokenizer,
           synonyms: Mapping[str, Sequence[str]]) -> list[QueryTerm]:
    pieces: list[tuple[str, bool]] = []  # (text, is an entry of the lexicon)
    cursor = 0
    for start, end, key in _expansion_spans(text, synonyms, tokenizer):
        pieces.append((text[cursor:start], False))
        pieces.append((key, True))
        cursor = end
    pieces.append((text[cursor:], False))
    words: list[str] = []
    for piece, is_entry in pieces:
        if is_entry:
            words.append(piece)
        else:
            words.extend(tokenizer.words(piece))
    meaningful = [word for word in words if word not in STOPWORDS]
    words = meaningful or words
    terms: list[QueryTerm] = []
    seen: set[str] = set()
    for word in words:
        if word in seen:
            continue
        seen.add(word)
        alternatives = (word, *(alt for alt in synonyms.get(word, ()) if alt != word))
        forms = [_form(alt, tokenizer) for alt in alternatives]
        if len(alternatives) > 1 and len(tokenizer.words(word)) > 1:
            # An abbreviation the segmenter cuts (个保法 → 个 + 保法) is matched as written in
            # titles only and otherwise through what it stands for: its pieces alone would
            # match anything.
            forms[0] = ()
        terms.append(QueryTerm(alternatives, tuple(forms)))
    return terms[:MAX_TERMS]


def _form(text: str, tokenizer: Tokenizer) -> tuple[str, ...]:
    """The words of one alternative; in a name of several words the lone characters (法 of
    环境保护 + 法, 与 of 征收 + 与 + 补偿) are left to the title's phrase match."""
    words = tokenizer.words(text) or [text]
    if len(words) > 1:
        longer = [word for word in words if len(word) > 1 and word not in STOPWORDS]
        words = longer or words
    return tuple(words)
