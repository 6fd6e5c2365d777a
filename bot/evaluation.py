"""Quality metrics for a question set: top-1, MRR@5 and rejection.

Used by the quality test and by benchmarks/quality.py, for the engine and
for a plain rank-bm25 baseline alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

# A ranker maps a question to (answered, refs best first).
Ranker = Callable[[str], tuple[bool, list[str]]]


@dataclass(frozen=True)
class Case:
    query: str
    refs: frozenset[str]  # empty: must not be answered
    line: int


@dataclass
class Scores:
    top1: float
    mrr5: float
    rejection: float
    answerable: int
    rejectable: int
    misses: list[tuple[Case, bool, list[str]]]


def load_cases(path: Path) -> list[Case]:
    cases = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        refs, _, query = line.partition("\t")
        wanted = frozenset() if refs.strip() == "-" else frozenset(r.strip() for r in refs.split(","))
        cases.append(Case(query, wanted, number))
    return cases


def evaluate(cases: Iterable[Case], ranker: Ranker) -> Scores:
    hits = rank_sum = rejected = answerable = rejectable = 0
    misses = []
    for case in cases:
        answered, refs = ranker(case.query)
        if not case.refs:
            rejectable += 1
            rejected += not answered
            if answered:
                misses.append((case, answered, refs))
            continue
        answerable += 1
        top_ok = answered and bool(refs) and refs[0] in case.refs
        hits += top_ok
        if not top_ok:
            misses.append((case, answered, refs))
        rank = next((i for i, ref in enumerate(refs[:5], 1) if ref in case.refs), None)
        rank_sum += 1 / rank if answered and rank else 0
    return Scores(
        top1=hits / answerable if answerable else 0.0,
        mrr5=rank_sum / answerable if answerable else 0.0,
        rejection=rejected / rejectable if rejectable else 0.0,
        answerable=answerable,
        rejectable=rejectable,
        misses=misses,
    )
