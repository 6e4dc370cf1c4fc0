"""The lexicon of abbreviations and colloquial names (个税法 → 个人所得税法, 公积金 → 住房公积金).

Two sources, both used as synonyms — searched as well as what was typed, never instead:

- :data:`LEXICON_FILE`, kept by hand, for the names no rule finds (个税法, 拆迁, 五险一金);
- :func:`derive_abbreviations`, a rule applied to the site's own titles: a law named by two
  words is abbreviated by their first characters (环境保护法 → 环保法, 食品安全法 → 食安法,
  个人信息保护法 → 个保法).

Staff add more on the 搜索同义词 page; :func:`merge` puts every source into the one mapping
the query parser uses.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path

from opengov.indexer.normalize import normalize_query, normalize_text
from opengov.indexer.tokenizer import Tokenizer

LEXICON_FILE = Path(__file__).with_name("lexicon.tsv")
#: The name of a law inside a title: 中华人民共和国环境保护法(2014修订) → 环境保护法.
_LAW_NAME = re.compile(r"^(?:中华人民共和国)?(?P<name>[\u4e00-\u9fff]{2,10}法)(?:[(（〔].*)?$")


def read_lexicon(path: Path = LEXICON_FILE) -> dict[str, tuple[str, ...]]:
    """``typed → meant`` of a lexicon file (both normalised), lines in file order."""
    found: dict[str, list[str]] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith(("#", "typed\t")):
            continue
        typed, _tab, meant = line.partition("\t")
        typed, meant = normalize_query(typed).strip(), normalize_query(meant.split("\t")[0]).strip()
        if typed and meant and typed != meant and meant not in found[typed]:
            found[typed].append(meant)
    return {typed: tuple(meant) for typed, meant in found.items()}


@lru_cache(maxsize=1)
def built_in_lexicon() -> dict[str, tuple[str, ...]]:
    """The hand-kept lexicon shipped with the indexer, read once per process."""
    return read_lexicon()


def derive_abbreviations(titles: Iterable[str], tokenizer: Tokenizer) -> dict[str, tuple[str, ...]]:
    """Abbreviations of the laws among ``titles``: the first character of each of the two
    words before 法 (环境保护法 → 环保法). An abbreviation two laws would share, or that is a
    word of its own (it would be meant as that word), is left out."""
    candidates: dict[str, set[str]] = defaultdict(set)
    for title in titles:
        match = _LAW_NAME.match(normalize_text(title).strip())
        if match is None:
            continue
        name = match["name"]
        words = tokenizer.words(name[:-1])
        if len(words) != 2 or not all(len(word) >= 2 for word in words):
            continue
        abbreviation = words[0][0] + words[1][0] + "法"
        if abbreviation != name:
            candidates[abbreviation].add(name)
    return {abbreviation: tuple(names) for abbreviation, names in sorted(candidates.items())
            if len(names) == 1 and not tokenizer.is_word(abbreviation)}


def merge(*sources: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, ...]]:
    """One ``typed → alternatives`` mapping from several, earlier sources first."""
    merged: dict[str, list[str]] = defaultdict(list)
    for source in sources:
        for typed, meant in source.items():
            for alternative in meant:
                if alternative != typed and alternative not in merged[typed]:
                    merged[typed].append(alternative)
    return {typed: tuple(meant) for typed, meant in merged.items()}

