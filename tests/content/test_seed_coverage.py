"""Every article of every seed file is in content/, with its words and nothing invented.

Compared on normalised text (letters and digits only) in 8-character shingles: the content
file must contain nearly all of its seed article (page chrome such as “字号 大 中 小” and
page numbers are the only losses), and nearly all of the content file must come from it.
"""

from __future__ import annotations

import re

import pytest

from opengov.site.content.rules import normalise, shingles
from opengov.site.content.service.files import ContentDocument, read_document
from tests.content.conftest import CONTENT, SEEDS


def seed_articles() -> list[tuple[str, str]]:
    """``(seed reference, text)`` of every article: ``第N篇`` sections or the whole file."""
    articles: list[tuple[str, str]] = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        parts = re.split(r"^第([一二三四五六七八九十])篇[:：].*$", text, flags=re.M)
        if len(parts) == 1:
            articles.append((path.name, text))
        for numeral, body in zip(parts[1::2], parts[2::2], strict=True):
            articles.append((f"{path.name} 第{numeral}篇", body))
    return articles


def content_by_seed() -> dict[str, ContentDocument]:
    documents = [read_document(path) for path in sorted((CONTENT / "documents").glob("*.md"))]
    return {document.seed: document for document in documents}


def test_the_seeds_hold_thirteen_articles() -> None:
    counts = [reference.split(" ")[0] for reference, _ in seed_articles()]
    assert [counts.count(name) for name in sorted(set(counts))] == [5, 5, 1, 1, 1]


@pytest.mark.parametrize(("reference", "text"), seed_articles(), ids=lambda value: value[:30])
def test_every_seed_article_is_a_content_file(reference: str, text: str) -> None:
    document = content_by_seed().get(reference)
    assert document is not None, f"no content file has seed: {reference}"
    seed = shingles(normalise(text), 8)
    content = shingles(normalise(document.title + document.body), 8)
    assert len(seed & content) / len(seed) >= 0.95, "words of the seed article are missing"
    assert len(seed & content) / len(content) >= 0.95, "the content file has words not in the seed"
    first_sentence = normalise(text.strip().split("。")[0])[-40:]
    assert first_sentence in normalise(document.title + document.body)
