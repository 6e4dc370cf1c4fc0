"""What every backend scores alike: which text goes into which field, the field boosts and
the constant scores, so that the same judged queries rank the same on Whoosh and on
Elasticsearch (issue 18 item 6)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from opengov.indexer.model import IndexDocument, SearchRequest
from opengov.indexer.normalize import EXACT, PARTIAL, SERIAL, normalize_text

#: Boosts per field: a word in the title counts most, then in the catalog metadata and the
#: summary, then in the body; a title matched through its bigrams (segmented otherwise).
BOOSTS = {"title": 6.0, "title_bigram": 3.0, "meta": 2.5, "body": 1.0}
#: Constant scores of a document number typed in full, of its issuer and serial (国发44号文)
#: or a decree's serial (735号令), of the serial alone (44号文).
NUMBER_SCORES = {EXACT: 200.0, PARTIAL: 120.0, SERIAL: 60.0}
#: The query is the whole title (信访条例 is 信访条例, not 北京市信访条例).
EXACT_TITLE_SCORE = 100.0
#: The query stands whole inside the title.
TITLE_PHRASE_SCORE = 20.0
#: The document is of the year the query names, or names it in its title (2020年…).
YEAR_SCORE = 25.0

_PARENTHESES = re.compile(r"[(（〔\[【][^)）〕\]】]*[)）〕\]】]")
_NOT_WORD = re.compile(r"[^0-9a-z\u4e00-\u9fff]")


def core_title(text: str) -> str:
    """A title (or a query) as compared for an exact title match: normalised, without
    中华人民共和国, bracketed additions such as （2019修订）, spaces and punctuation."""
    normalized = _NOT_WORD.sub("", _PARENTHESES.sub("", normalize_text(text)))
    return normalized.removeprefix("中华人民共和国")


@dataclass(frozen=True)
class FieldTexts:
    """The texts of a document as the backends index them."""

    meta: str  # 发文字号, 索引号, 发文机关, agency, 主题词, 主题分类, 内容概述
    body: str  # the body and the text of its attachments
    snippet_source: str  # what snippets are cut from: summary and body


def field_texts(document: IndexDocument) -> FieldTexts:
    body = "\n".join(part for part in (document.body, document.attachments_text) if part)
    meta = " ".join(part for part in (document.doc_number, document.index_no, document.issuer,
                                      document.agency_name, document.keywords,
                                      document.topic, document.summary) if part)
    return FieldTexts(meta=meta, body=body,
                      snippet_source="\n".join(part for part in (document.summary, body) if part))


def title_candidates(request: SearchRequest) -> tuple[list[str], list[str]]:
    """The titles the query may be (for the exact-title bonus) and the texts a title may
    contain whole (for the title-phrase bonus): the words as typed, run together, and — for a
    query of one term — each of its alternatives (环保法 is 环境保护法)."""
    typed = "".join(term.alternatives[0] for term in request.terms) + "".join(request.phrases)
    texts = [typed]
    if len(request.terms) == 1 and not request.phrases:
        texts += list(request.terms[0].alternatives[1:])
    exact = sorted({core for core in map(core_title, texts) if core})
    contained = sorted({normalize_text(text) for text in texts if len(text) >= 2})
    return exact, contained
