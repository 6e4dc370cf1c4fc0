"""The project's one jieba tokenizer (design.md §4, pitfalls).

``jieba.analyse.ChineseAnalyzer`` records character offsets as positions (phrase queries
never match), drops single digits and letters and uses search mode; so the site uses its own:
precise-mode words with consecutive positions, dictionary sub-words of long words at their
parent's position, digits and Latin kept. Text is normalised (:mod:`.normalize`) first, one
character per character, so offsets point into the original text.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jieba

from opengov.indexer.normalize import normalize_text

USER_DICTIONARY = Path(__file__).with_name("userdict.txt")
_WORD_CHAR = re.compile(r"[0-9a-z\u4e00-\u9fff]")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+|[0-9a-z]+")
#: Longest word whose dictionary sub-words are emitted; longer runs are not real words.
_MAX_SUBWORD_PARENT = 12


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the text: ``text`` is normalised; ``start``/``end`` are offsets into the
    original text; sub-words share their parent's ``position``."""

    text: str
    position: int
    start: int
    end: int


class Tokenizer:
    """Owns one ``jieba.Tokenizer`` with the government-terms dictionary loaded."""

    def __init__(self, cache_dir: Path | None = None,
                 user_dictionary: Path = USER_DICTIONARY) -> None:
        self._jieba = jieba.Tokenizer()
        if cache_dir is not None:
            cache_dir.mkdir(parents=True, exist_ok=True)
            self._jieba.tmp_dir = str(cache_dir)
        self._user_dictionary = user_dictionary
        self._ready = False
        self._lock = threading.Lock()

    def _initialise(self) -> None:
        with self._lock:
            if not self._ready:
                logging.getLogger("jieba").setLevel(logging.WARNING)
                jieba.setLogLevel(logging.WARNING)
                self._jieba.initialize()
                self._jieba.load_userdict(str(self._user_dictionary))
                self._ready = True

    @property
    def jieba(self) -> jieba.Tokenizer:
        """The underlying jieba instance, initialised (for benchmarks and suggestions)."""
        if not self._ready:
            self._initialise()
        return self._jieba

    def is_word(self, word: str) -> bool:
        return bool(self.jieba.FREQ.get(word))

    def words(self, normalized: str) -> list[str]:
        """Precise-mode words of already normalised text, punctuation and spaces dropped."""
        return [word for word in self.jieba.cut(normalized, HMM=True)
                if _WORD_CHAR.search(word)]

    def tokens(self, text: str, *, subwords: bool = True) -> Iterator[Token]:
        """Tokens of the original ``text`` (normalised here)."""
        normalized = normalize_text(text)
        freq = self.jieba.FREQ
        position = 0
        for word, start, end in self.jieba.tokenize(normalized, HMM=True):
            if not _WORD_CHAR.search(word):
                continue
            word = word.strip()
            yield Token(word, position, start, end)
            length = len(word)
            if subwords and 2 < length <= _MAX_SUBWORD_PARENT:
                for size in range(2, length):
                    for offset in range(length - size + 1):
                        part = word[offset:offset + size]
                        if freq.get(part):
                            yield Token(part, position, start + offset, start + offset + size)
            position += 1


def bigrams(normalized: str) -> list[str]:
    """Overlapping character bigrams of the CJK runs (a lone character stands alone) and
    whole Latin/digit runs: the safety net when segmentation of query and text differ."""
    grams: list[str] = []
    for run in _CJK_RUN.findall(normalized):
        if len(run) == 1 or not ("\u4e00" <= run[0] <= "\u9fff"):
            grams.append(run)
        else:
            grams.extend(run[i:i + 2] for i in range(len(run) - 1))
    return grams


_shared: Tokenizer | None = None
_shared_lock = threading.Lock()


def get_tokenizer(cache_dir: Path | None = None) -> Tokenizer:
    """The process-wide tokenizer; the first caller chooses the cache folder."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Tokenizer(cache_dir)
        return _shared
