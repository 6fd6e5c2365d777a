"""The decision: answer with the best record, or refuse, with the reasons.

Decided from ratios of document counts, which keep their meaning as the
corpus grows (no raw BM25 cut-off): the best record must cover a share of the
question's rarity-weighted words, match enough rare words, and be anchored (a
word matched in its question, a domain acronym, or two different words), so
one stray word in a long answer is not enough.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.index import FieldedBM25, Matches
from bot.text import ACRONYM_TERMS

MIN_COVERAGE = 0.2
MIN_STRENGTH = 1.5
# Close calls, as the runner-up's share of the best score (both in the same state):
# from CLOSE the answer comes with "Did you mean" choices; from TOSS_UP it is a
# toss-up and the asker is asked which one, rather than guessing.
CLOSE = 0.8
TOSS_UP = 0.95
MAX_CHOICES = 3
# Words found nowhere in the corpus count for less than a rare corpus word:
# chat ("journalist", "story") should not sink an on-topic question, but a
# question made only of them has nothing to match.
UNKNOWN_WORD_WEIGHT = 0.5


@dataclass(frozen=True)
class Evidence:
    """How well one record matches a question."""

    coverage: float  # share of the question's rarity-weighted terms the record holds
    strength: float  # the rarity of the matched terms, added up
    anchored: bool  # matched in its question, a domain acronym, or two different terms

    @property
    def reasons(self) -> tuple[str, ...]:
        """Why this is not enough to answer (empty when it is)."""
        out = []
        if self.coverage < MIN_COVERAGE:
            out.append("covers too little of the question")
        if self.strength < MIN_STRENGTH:
            out.append("matches no rare enough words")
        if not self.anchored:
            out.append("only one stray word matches")
        return tuple(out)

    @property
    def enough(self) -> bool:
        return _enough(self.coverage, self.strength, self.anchored)


def _enough(coverage: float, strength: float, anchored: bool) -> bool:
    """No reason not to answer: `Evidence.reasons`' three checks, without building their tuple."""
    return not (coverage < MIN_COVERAGE or strength < MIN_STRENGTH or not anchored)


def weigh(
    index: FieldedBM25, terms: Sequence[str], doc_ids: Sequence[int], matches: Matches | None = None
) -> list[Evidence]:
    """The evidence that each record of `doc_ids` answers a question made of `terms`.

    Strength counts a term matched in the record's question at its rarity
    among questions ("training" is in most answers but few questions, so it
    says more there). Computed for all the records at once, from which record
    holds which term (`matches`, when the caller has looked them up already).
    """
    return [Evidence(*e) for e in zip(*_measure(index, terms, doc_ids, matches), strict=True)]


def enough(
    index: FieldedBM25, terms: Sequence[str], doc_ids: Sequence[int], matches: Matches | None = None
) -> list[bool]:
    """Whether each record of `doc_ids` is enough to answer with (its `Evidence.enough`),
    without making the Evidence: for the fifty records of a question that names no state."""
    return [_enough(*e) for e in zip(*_measure(index, terms, doc_ids, matches), strict=True)]


def _measure(
    index: FieldedBM25, terms: Sequence[str], doc_ids: Sequence[int], matches: Matches | None
) -> tuple[list[float], list[float], list[bool]]:
    """Each record's coverage, strength and anchoring (see Evidence)."""
    count = len(doc_ids)
    rarity = index.rarity(terms)  # rows: informativeness, among questions; a column per term
    unknown = [row for row, term in enumerate(terms) if not index.knows(term)]
    if unknown:
        rarity[0, unknown] *= UNKNOWN_WORD_WEIGHT
    total = 0.0
    for info in rarity[0].tolist():
        total += info  # term by term: the same float as ever
    acronyms = [row for row, term in enumerate(terms) if term in ACRONYM_TERMS]
    if not terms or not count:
        return [0.0] * count, [0.0] * count, [False] * count
    if matches is None:
        matches = index.matches(terms, doc_ids)
    held = matches.held
    in_question = matches.in_question  # held in its question: held
    rarity = rarity[:, :, None]
    # Rows are terms. For coverage, each held term's rarity; for strength, its rarity
    # among questions where the record's question holds it. cumsum adds the rows in
    # order (a term not held adds 0.0), as a loop over the terms would: the same floats.
    weights = np.empty((2, *held.shape))
    np.multiply(held, rarity[0], out=weights[0])
    weights[1] = weights[0]
    np.copyto(weights[1], rarity[1], where=in_question)
    covered, strength = weights.cumsum(axis=1)[:, -1].tolist()
    matched = held.sum(axis=0).tolist()
    anchored = in_question.any(axis=0)
    if acronyms:
        anchored |= held[acronyms].any(axis=0)
    coverage = [c / total for c in covered] if total else [0.0] * count
    return coverage, strength, [a or m >= 2 for a, m in zip(anchored.tolist(), matched, strict=True)]


def close_calls(scores: Sequence[float], same_state: Sequence[bool]) -> tuple[bool, list[int]]:
    """Whether the best of ranked `scores` is a toss-up, and the positions of its close runner-ups.

    `scores` are best first; `same_state[i]` says whether hit i is in the best hit's
    state (a record of another state is never a rival: it answers for that state).
    """
    best = scores[0]
    if best <= 0:
        return False, []
    rivals = [i for i in range(1, len(scores)) if same_state[i] and scores[i] / best >= CLOSE]
    toss_up = bool(rivals) and scores[rivals[0]] / best >= TOSS_UP
    return toss_up, rivals[: MAX_CHOICES - 1]
