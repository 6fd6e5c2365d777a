"""Quality of answers on a question set: right, wrong, offered, and out-of-scope answered.

A wrong answer given as the answer costs more than an honest refusal, so the
figures keep them apart:
- right: answered, and the answer is an acceptable record;
- wrong: answered, and it is not;
- offered: not answered, but an acceptable record is among the first three choices shown;
- out-of-scope answered: a question the pages cannot answer that got an answer anyway.
Used by the quality test and by benchmarks/quality.py, for the answerer and for
a plain rank-bm25 baseline alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
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
    answerable: int = 0
    out_of_scope: int = 0
    right: int = 0
    wrong: int = 0
    offered: int = 0
    out_of_scope_answered: int = 0
    misses: list[tuple[Case, bool, list[str]]] = field(default_factory=list)

    def rate(self, count: int, of: int) -> float:
        return count / of if of else 0.0

    @property
    def right_rate(self) -> float:
        return self.rate(self.right, self.answerable)

    @property
    def wrong_rate(self) -> float:
        return self.rate(self.wrong, self.answerable)

    @property
    def offered_rate(self) -> float:
        return self.rate(self.offered, self.answerable)

    @property
    def out_of_scope_rate(self) -> float:
        return self.rate(self.out_of_scope_answered, self.out_of_scope)


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
    scores = Scores()
    for case in cases:
        answered, refs = ranker(case.query)
        if not case.refs:
            scores.out_of_scope += 1
            scores.out_of_scope_answered += answered
            if answered:
                scores.misses.append((case, answered, refs))
            continue
        scores.answerable += 1
        if answered and refs and refs[0] in case.refs:
            scores.right += 1
            continue
        if answered:
            scores.wrong += 1
        elif case.refs & set(refs[:3]):
            scores.offered += 1
        scores.misses.append((case, answered, refs))
    return scores
