"""Exact and near duplicates of document texts.

Texts are compared after normalisation (NFKC, lower case, only letters and digits kept), so
that markup, whitespace and punctuation do not count: a copy whose punctuation was replaced
by dots, or whose paragraphs were re-flowed, is the same text.

Near duplicates are measured on character 5-gram shingles (Chinese has no word boundaries;
five characters are about two words). The score is the overlap coefficient
|A∩B| / min(|A|, |B|), which stays high when one copy lost a few phrases. On the seed
articles the degraded copy of the 答记者问 scores 0.94 (Jaccard 0.87), while the most similar
unrelated pair — a policy and its own interpretation, which quotes it — scores 0.18. The
threshold 0.8 sits well clear of both. The shorter text must also have at least half the
shingles of the longer, so that a short notice quoted inside a long report is not taken for
a copy of it.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

SHINGLE_SIZE = 5
NEAR_DUPLICATE_THRESHOLD = 0.8
MIN_SIZE_RATIO = 0.5


def normalise(text: str) -> str:
    """The letters and digits of ``text``, NFKC-folded and lower-cased."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return "".join(character for character in folded if character.isalnum())


def body_hash(text: str) -> str:
    """SHA-256 of the normalised text: equal for texts that differ only in form."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def shingles(normalised: str, size: int = SHINGLE_SIZE) -> frozenset[str]:
    """The set of ``size``-character substrings of a normalised text."""
    if len(normalised) <= size:
        return frozenset({normalised}) if normalised else frozenset()
    return frozenset(normalised[start:start + size]
                     for start in range(len(normalised) - size + 1))


@dataclass(frozen=True)
class Fingerprint:
    """What duplicate detection needs of one text."""

    digest: str
    shingles: frozenset[str]

    @classmethod
    def of(cls, text: str) -> Fingerprint:
        normalised = normalise(text)
        return cls(hashlib.sha256(normalised.encode("utf-8")).hexdigest(), shingles(normalised))


def similarity(first: Fingerprint, second: Fingerprint) -> float:
    """Overlap coefficient of the shingle sets; 1.0 for identical normalised texts, 0.0 when
    the sizes differ by more than :data:`MIN_SIZE_RATIO` allows."""
    if first.digest == second.digest:
        return 1.0
    small, large = sorted((len(first.shingles), len(second.shingles)))
    if small == 0 or small < large * MIN_SIZE_RATIO:
        return 0.0
    return len(first.shingles & second.shingles) / small


def is_duplicate(score: float, threshold: float = NEAR_DUPLICATE_THRESHOLD) -> bool:
    return score >= threshold
