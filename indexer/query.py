"""Turn what a citizen typed into a :class:`SearchRequest`, or a clear Chinese message.

No query syntax of an engine is exposed: words are matched as words, text in quotes
(``"…"``, ``“…”``, ``「…」``) as a phrase, document numbers in any bracket style exactly, and
question words (如何, 怎么…) are dropped, so no input can break a query.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from opengov.indexer.model import FACETS, QueryTerm, SearchRequest
from opengov.indexer.normalize import normalize_query, query_doc_number_keys
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
))

_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」|『([^』]*)』')
_QUOTES = '"“”「」『』'
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SEARCHABLE = re.compile(r"[0-9A-Za-z\u4e00-\u9fff\u3400-\u4dbf\uff10-\uff19\uff21-\uff5a]")


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
    doc_keys = query_doc_number_keys(normalized)
    for phrase in phrases:
        doc_keys += query_doc_number_keys(phrase)
    words = tokenizer.words(normalized)
    meaningful = [word for word in words if word not in STOPWORDS]
    words = meaningful or words
    terms: list[QueryTerm] = []
    seen: set[str] = set()
    for word in words:
        if word in seen:
            continue
        seen.add(word)
        alternatives = [word, *(s for s in (synonyms or {}).get(word, ()) if s != word)]
        terms.append(QueryTerm(tuple(alternatives)))
    terms = terms[:MAX_TERMS]
    if not terms and not phrases:
        raise QueryError("搜索内容中没有可检索的文字，请输入汉字、字母或数字。")

    clean_filters = {key: value for key, value in (filters or {}).items()
                     if key in FACETS and value}
    if sort not in SORTS:
        sort = "relevance"
    page = min(max(page, 1), MAX_PAGE)
    size = min(max(size, 1), 100)
    display = " ".join([*(f"“{p}”" for p in phrases), normalized.strip()]).strip()
    return SearchRequest(text=display, terms=tuple(terms), phrases=tuple(phrases),
                         doc_number_keys=tuple(sorted(set(doc_keys))),
                         filters=clean_filters, sort=sort, page=page, size=size)
