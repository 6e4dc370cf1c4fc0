"""The project's one segmenter (design.md §4, pitfalls): jieba's dictionary and model as
implemented by jieba-rs (``rjieba``), about twenty times faster than the Python ``jieba``.

jieba-rs and Python jieba disagree on a few per cent of lines, so it matters only that the
*same* segmenter cuts the indexed texts and the queries: everything here goes through
:class:`Tokenizer`. Precise-mode words get consecutive positions; dictionary sub-words of long
words (个人所得税 inside 个人所得税法) are added at their parent's position, so a query for the
shorter word finds the longer one; digits and Latin are kept. Text is normalised
(:mod:`.normalize`) first, one character per character, so offsets point into the original.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import rjieba

from opengov.indexer.normalize import normalize_text

USER_DICTIONARY = Path(__file__).with_name("userdict.txt")
_WORD_CHAR = re.compile(r"[0-9a-z\u4e00-\u9fff]")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+|[0-9a-z]+")
#: Longest word whose dictionary sub-words are emitted; longer runs are not real words.
_MAX_SUBWORD_PARENT = 12
#: Frequency given to user-dictionary lines without one (jieba's own default).
_DEFAULT_FREQUENCY = 800


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the text: ``text`` is normalised; ``start``/``end`` are offsets into the
    original text; sub-words share their parent's ``position``."""

    text: str
    position: int
    start: int
    end: int


def read_user_dictionary(path: Path) -> list[tuple[str, int, str | None]]:
    """``word [frequency [tag]]`` lines of a jieba user dictionary."""
    entries: list[tuple[str, int, str | None]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        frequency = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else _DEFAULT_FREQUENCY
        entries.append((parts[0], frequency, parts[2] if len(parts) > 2 else None))
    return entries


class Tokenizer:
    """Owns one jieba-rs segmenter with the government-terms dictionary loaded."""

    def __init__(self, user_dictionary: Path = USER_DICTIONARY) -> None:
        self._segmenter: rjieba.Jieba | None = None
        self._user_dictionary = user_dictionary
        self._lock = threading.Lock()
        # The same long words recur in every text: their sub-words are looked up once.
        self._subwords = lru_cache(maxsize=200_000)(self._dictionary_subwords)

    @property
    def segmenter(self) -> rjieba.Jieba:
        """The jieba-rs instance, loaded on first use (or by :meth:`load`)."""
        if self._segmenter is None:
            with self._lock:
                if self._segmenter is None:
                    segmenter = rjieba.Jieba()
                    for word, frequency, tag in read_user_dictionary(self._user_dictionary):
                        segmenter.add_word(word, frequency, tag)
                    self._segmenter = segmenter
        return self._segmenter

    def load(self) -> None:
        """Load the dictionary now (before a server forks its workers, so none waits)."""
        _ = self.segmenter

    def is_word(self, word: str) -> bool:
        """Whether ``word`` is in the dictionary."""
        return bool(self.segmenter.has_word(word))

    def cut(self, normalized: str, *, hmm: bool = True) -> list[str]:
        """Every piece of already normalised text, punctuation and spaces included."""
        return list(self.segmenter.cut(normalized, hmm))

    def words(self, normalized: str) -> list[str]:
        """Precise-mode words of already normalised text, punctuation and spaces dropped."""
        return [word for word in self.segmenter.cut(normalized, True) if _WORD_CHAR.search(word)]

    def index_words(self, text: str) -> list[str]:
        """The words of the original ``text`` with their dictionary sub-words, for a field
        that counts words without positions (the fast path of indexing)."""
        out: list[str] = []
        subwords = self._subwords
        for word in self.segmenter.cut(normalize_text(text), True):
            if _WORD_CHAR.search(word):
                word = word.strip()
                out.append(word)
                if 2 < len(word) <= _MAX_SUBWORD_PARENT:
                    out.extend(subwords(word))
        return out

    def positioned_words(self, text: str) -> list[tuple[str, int]]:
        """``(word, position)`` of the original ``text``, sub-words at their parent's."""
        out: list[tuple[str, int]] = []
        position = 0
        subwords = self._subwords
        for word in self.segmenter.cut(normalize_text(text), True):
            if _WORD_CHAR.search(word):
                word = word.strip()
                out.append((word, position))
                if 2 < len(word) <= _MAX_SUBWORD_PARENT:
                    out.extend((part, position) for part in subwords(word))
                position += 1
        return out

    def tokens(self, text: str, *, subwords: bool = True) -> Iterator[Token]:
        """Tokens of the original ``text`` (normalised here) with their offsets."""
        normalized = normalize_text(text)
        position = 0
        for word, start, _end in self.segmenter.tokenize(normalized, "default", True):
            if not _WORD_CHAR.search(word):
                continue
            stripped = word.strip()
            start += len(word) - len(word.lstrip())
            yield Token(stripped, position, start, start + len(stripped))
            if subwords and 2 < len(stripped) <= _MAX_SUBWORD_PARENT:
                for offset, part in self._located_subwords(stripped):
                    yield Token(part, position, start + offset, start + offset + len(part))
            position += 1

    def _located_subwords(self, word: str) -> list[tuple[int, str]]:
        has_word = self.segmenter.has_word
        return [(offset, word[offset:offset + size])
                for size in range(2, len(word))
                for offset in range(len(word) - size + 1)
                if has_word(word[offset:offset + size])]

    def _dictionary_subwords(self, word: str) -> tuple[str, ...]:
        return tuple(part for _offset, part in self._located_subwords(word))


def bigrams(normalized: str) -> list[str]:
    """Overlapping character bigrams of the CJK runs (a lone character stands alone) and
    whole Latin/digit runs: the safety net of titles when segmentation of query and text
    differ."""
    grams: list[str] = []
    for run in _CJK_RUN.findall(normalized):
        if len(run) == 1 or not ("\u4e00" <= run[0] <= "\u9fff"):
            grams.append(run)
        else:
            grams.extend(run[i:i + 2] for i in range(len(run) - 1))
    return grams


_shared: Tokenizer | None = None
_shared_lock = threading.Lock()


def get_tokenizer() -> Tokenizer:
    """The process-wide tokenizer."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Tokenizer()
        return _shared
