"""The judged query set and its measures (success@3, MRR), shared by tests and bench/.

What counts is what a citizen sees: the answer to the query as typed, or — when nothing
answers it — what the page shows apart (a relaxed match, a suggestion's results). A query
nothing in the corpus answers ("-") succeeds when the page shows nothing at all; a query
right as typed ("=") succeeds when it finds documents without being "corrected"."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

JUDGED = Path(__file__).with_name("judged_queries.tsv")
CORPUS_PREFIX = "corpus/"
NOTHING, AS_TYPED = "-", "="


@dataclass(frozen=True)
class Judged:
    kind: str
    query: str
    relevant: frozenset[str]  # content keys


@dataclass(frozen=True)
class Shown:
    """What the search page shows for a query."""

    keys: list[str]  # content keys of the answer, in order
    alternative: list[str]  # … of what is shown apart (a suggestion's results, or a
    #                         relaxed match when nothing answered)
    suggestion: str | None
    total: int

    @property
    def in_reading_order(self) -> list[str]:
        """A suggestion's results are shown above the answer, a relaxed match below it."""
        if self.suggestion is not None:
            return [*self.alternative, *self.keys]
        return [*self.keys, *self.alternative]


@dataclass
class Measured:
    judged: Judged
    rank: int | None  # 1-based rank of the first relevant document in the top 10

    @property
    def reciprocal(self) -> float:
        return 1.0 / self.rank if self.rank else 0.0


def load_judged(path: Path = JUDGED) -> list[Judged]:
    with path.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return [Judged(row["kind"], row["query"], frozenset(
        row["relevant"] if row["relevant"] in (NOTHING, AS_TYPED) else CORPUS_PREFIX + key
        for key in row["relevant"].split("|")))
            for row in reader]


def rank_of(item: Judged, shown: Shown) -> int | None:
    """1-based rank of the first relevant document the page shows (None: not in the top 10);
    1 or None for the queries answered by nothing or right as typed."""
    if item.relevant == {NOTHING}:
        return 1 if not shown.keys and not shown.alternative else None
    if item.relevant == {AS_TYPED}:
        return 1 if shown.total and shown.suggestion is None else None
    keys = shown.in_reading_order[:10]
    return next((index for index, key in enumerate(keys, start=1) if key in item.relevant),
                None)


def measure(judged: list[Judged], search: Callable[[str], Shown]) -> list[Measured]:
    """Run every query through ``search`` and rank what it shows."""
    return [Measured(item, rank_of(item, search(item.query))) for item in judged]


def success_at(measured: list[Measured], k: int = 3) -> float:
    return sum(1 for m in measured if m.rank is not None and m.rank <= k) / len(measured)


def mean_reciprocal_rank(measured: list[Measured]) -> float:
    return sum(m.reciprocal for m in measured) / len(measured)


def report(measured: list[Measured]) -> str:
    lines = [f"success@3 = {success_at(measured):.3f}, MRR = {mean_reciprocal_rank(measured):.3f}"]
    lines += [f"  miss {m.judged.kind:11} {m.judged.query} (rank {m.rank})"
              for m in measured if m.rank is None or m.rank > 3]
    return "\n".join(lines)
