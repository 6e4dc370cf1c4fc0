"""The judged query set and its measures (success@3, MRR), shared by tests and bench/."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

JUDGED = Path(__file__).with_name("judged_queries.tsv")
CORPUS_PREFIX = "corpus/"


@dataclass(frozen=True)
class Judged:
    kind: str
    query: str
    relevant: frozenset[str]  # content keys


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
    return [Judged(row["kind"], row["query"],
                   frozenset(CORPUS_PREFIX + key for key in row["relevant"].split("|")))
            for row in reader]


def measure(judged: list[Judged], ranked_keys: Callable[[str], list[str]]) -> list[Measured]:
    """Run every query; ``ranked_keys`` returns the content keys of the top results."""
    measured = []
    for item in judged:
        keys = ranked_keys(item.query)[:10]
        rank = next((index for index, key in enumerate(keys, start=1)
                     if key in item.relevant), None)
        measured.append(Measured(item, rank))
    return measured


def success_at(measured: list[Measured], k: int = 3) -> float:
    return sum(1 for m in measured if m.rank is not None and m.rank <= k) / len(measured)


def mean_reciprocal_rank(measured: list[Measured]) -> float:
    return sum(m.reciprocal for m in measured) / len(measured)


def report(measured: list[Measured]) -> str:
    lines = [f"success@3 = {success_at(measured):.3f}, MRR = {mean_reciprocal_rank(measured):.3f}"]
    lines += [f"  miss {m.judged.kind:11} {m.judged.query} (rank {m.rank})"
              for m in measured if m.rank is None or m.rank > 3]
    return "\n".join(lines)
