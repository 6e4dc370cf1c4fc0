"""“您是不是要找”: corrections of pinyin input and typos, and title autocompletion.

Built from the titles of the indexed documents. Most typos typed with a pinyin input method
are homophones (条列 for 条例, 政俯 for 政府), so a window of the query that is no title word
but sounds like one is replaced by it; pinyin typed as Latin letters is segmented into title
words by their pinyin; a longer word one character away from a title word is replaced too.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from pypinyin import Style, lazy_pinyin

from opengov.indexer.normalize import normalize_query, normalize_text
from opengov.indexer.query import STOPWORDS
from opengov.indexer.tokenizer import Tokenizer, get_tokenizer

_LATIN_QUERY = re.compile(r"^[a-z' ]+$")
_CJK_WORD = re.compile(r"^[\u4e00-\u9fff]{2,}$")
_CJK_RUN = re.compile(r"^[\u4e00-\u9fff]+$")
_MAX_WINDOW = 8


def pinyin_key(word: str) -> str:
    return "".join(lazy_pinyin(word, style=Style.NORMAL))


class Suggester:
    """Title vocabulary with its pinyin, for suggestions and autocompletion."""

    def __init__(self, titles: Iterable[str], tokenizer: Tokenizer,
                 other_text: Iterable[str] = ()) -> None:
        """``other_text`` (document numbers, agency names) adds words that are no typo but
        never offered for completion."""
        self._tokenizer = tokenizer
        self.titles: list[tuple[str, str]] = []  # (normalised, original)
        counts: Counter[str] = Counter()
        for title in dict.fromkeys(titles):
            normalized = normalize_text(title)
            self.titles.append((normalized, title))
            counts.update(token.text for token in tokenizer.tokens(normalized)
                          if _CJK_WORD.match(token.text))
            # Runs of two or three words (行政许可 + 法) are what people type as one unit.
            words = tokenizer.words(normalized)
            for size in (2, 3):
                for start in range(len(words) - size + 1):
                    joined = "".join(words[start:start + size])
                    if len(joined) <= _MAX_WINDOW and _CJK_WORD.match(joined):
                        counts[joined] += 1
        for text in other_text:
            counts.update(word for word in tokenizer.words(normalize_text(text))
                          if _CJK_WORD.match(word))
        self.vocabulary = counts
        self._by_pinyin: dict[str, str] = {}
        self._by_pattern: dict[str, list[str]] = {}
        for word, _count in counts.most_common():
            self._by_pinyin.setdefault(pinyin_key(word), word)
            if len(word) >= 2:
                for index in range(len(word)):
                    pattern = word[:index] + "*" + word[index + 1:]
                    self._by_pattern.setdefault(pattern, []).append(word)
        self._longest_key = max((len(key) for key in self._by_pinyin), default=0)

    def __getstate__(self) -> dict[str, object]:
        # Saved by the index worker and loaded by the web workers: the segmenter is not
        # part of the snapshot, each process has its own.
        state = dict(self.__dict__)
        del state["_tokenizer"]
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._tokenizer = get_tokenizer()

    def suggest(self, raw: str) -> str | None:
        """A better query, or None when the query looks as meant."""
        query = normalize_query(raw).strip()
        if not query:
            return None
        if _LATIN_QUERY.match(query):
            return self._from_pinyin(query)
        corrected = self._correct(query)
        return corrected if corrected != query else None

    def _from_pinyin(self, query: str) -> str | None:
        letters = re.sub(r"[ ']", "", query)
        if not letters:
            return None
        # best[i]: fewest words spelling letters[:i]
        best: list[tuple[int, list[str]] | None] = [None] * (len(letters) + 1)
        best[0] = (0, [])
        for end in range(1, len(letters) + 1):
            for start in range(max(0, end - self._longest_key), end):
                previous = best[start]
                word = self._by_pinyin.get(letters[start:end])
                if previous is None or word is None:
                    continue
                candidate = (previous[0] + 1, [*previous[1], word])
                current = best[end]
                if current is None or candidate[0] < current[0]:
                    best[end] = candidate
        final = best[len(letters)]
        return "".join(final[1]) if final else None

    def _suspicious(self, word: str) -> bool:
        """A lone character, a word neither the titles nor the dictionary know, or a word
        the titles do not have but a word that sounds the same (条列 for 条例, 保户 for
        保护: rare dictionary words are what a pinyin input method offers by mistake)."""
        if not _CJK_RUN.match(word) or word in STOPWORDS:
            return False
        if len(word) == 1:
            return True
        if word in self.vocabulary:
            return False
        homophone = self._by_pinyin.get(pinyin_key(word))
        if not self._tokenizer.is_word(word) or (homophone is not None and homophone != word):
            return True
        # A rare word one character away from a title word (条列 beside 条例).
        return len(word) == 2 and any(self._by_pattern.get(word[:index] + "*" + word[index + 1:])
                                      for index in range(2))

    def _fix(self, text: str) -> str | None:
        if not _CJK_WORD.match(text) or text in self.vocabulary:
            return None
        fix = self._by_pinyin.get(pinyin_key(text))
        if fix is None and len(text) >= 4:
            fix = self._closest(text)
        return fix if fix != text else None

    def _correct(self, query: str) -> str:
        pieces = self._tokenizer.cut(query, hmm=False)
        out: list[str] = []
        index = 0
        while index < len(pieces):
            if not self._suspicious(pieces[index]):
                out.append(pieces[index])
                index += 1
                continue
            end = index
            while end < len(pieces) and self._suspicious(pieces[end]):
                end += 1
            run = "".join(pieces[index:end])
            before = out[-1] if out and _CJK_RUN.match(out[-1]) else ""
            after = pieces[end] if end < len(pieces) and _CJK_RUN.match(pieces[end]) else ""
            # The run alone, then with its neighbours: 行政许可 + 发 → 行政许可法.
            for candidate, takes_before, takes_after in ((run, False, False),
                                                         (before + run, True, False),
                                                         (run + after, False, True),
                                                         (before + run + after, True, True)):
                if (takes_before and not before) or (takes_after and not after):
                    continue
                fix = self._fix(candidate)
                if fix is not None:
                    if takes_before:
                        out.pop()
                    out.append(fix)
                    index = end + (1 if takes_after else 0)
                    break
            else:
                out.append(run)
                index = end
        return "".join(out)

    def _closest(self, window: str) -> str | None:
        candidates: Counter[str] = Counter()
        for position in range(len(window)):
            pattern = window[:position] + "*" + window[position + 1:]
            for word in self._by_pattern.get(pattern, ()):
                candidates[word] = self.vocabulary[word]
        return candidates.most_common(1)[0][0] if candidates else None

    def complete(self, prefix: str, limit: int = 8) -> list[str]:
        """Titles containing ``prefix`` (traditional or simplified), those starting with it
        first, shorter first."""
        needle = normalize_text(prefix.strip())
        if not needle:
            return []
        found = [(not normalized.startswith(needle), len(original), original)
                 for normalized, original in self.titles if needle in normalized]
        return [original for *_key, original in sorted(found)[:limit]]
