"""The decision: answer with the best record, or refuse, with the reasons.

Decided from ratios of document counts, which keep their meaning as the
corpus grows (no raw BM25 cut-off): the best record must cover a share of the
question's rarity-weighted words, match enough rare words, and be anchored (a
word matched in its question, a domain acronym, or two different words), so
one stray word in a long answer is not enough.
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass

import numpy as np

from bot.index import FieldedBM25
from bot.text import ACRONYM_TERMS

MIN_COVERAGE = 0.2
MIN_STRENGTH = 1.5
# Close calls, as the runner-up's share of the best score (both in the same state):
# from CLOSE the answer comes with "Did you mean" choices; from TOSS_UP it is a
# toss-up and the asker is asked which one, rather than guessing.
CLOSE = 0.8
TOSS_UP = 0.95
MAX_CHOICES = 3
# A question naming no state, with this share of words the pages never use, needs a
# word of their subject (see on_topic).
STRANGE_SHARE = 0.25
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
        return not self.reasons


def weigh(index: FieldedBM25, terms: Sequence[str], doc_ids: Sequence[int]) -> list[Evidence]:
    """The evidence that each record of `doc_ids` answers a question made of `terms`.

    Strength counts a term matched in the record's question at its rarity
    among questions ("training" is in most answers but few questions, so it
    says more there). Computed for all the records at once.
    """
    ids = np.asarray(doc_ids, dtype=np.int32)
    count = len(ids)
    total = 0.0
    covered = [0.0] * count
    strength = [0.0] * count
    matched = [0] * count
    anchored = [False] * count
    for term in terms:
        info = index.informativeness(term)
        if not index.knows(term):
            info *= UNKNOWN_WORD_WEIGHT
        total += info
        holds = index.holds(term, ids).tolist()
        if not any(holds):
            continue
        in_question = index.holds(term, ids, in_question=True).tolist()
        as_question = index.informativeness(term, in_question=True)
        acronym = term in ACRONYM_TERMS
        for k in range(count):
            if holds[k]:
                matched[k] += 1
                covered[k] += info
                strength[k] += as_question if in_question[k] else info  # held: a known term, full weight
                anchored[k] = anchored[k] or in_question[k] or acronym
    return [
        Evidence(covered[k] / total if total else 0.0, strength[k], anchored[k] or matched[k] >= 2)
        for k in range(count)
    ]


def on_topic(terms: Sequence[str], strange: Sequence[str], topic_terms: Set[str]) -> bool:
    """Whether a question that names no state is about the pages' subject.

    It is when one of its terms says the subject (a title word, an acronym,
    "immigration"), or when nearly all its words are ones the pages use (a
    chatty "my colleague asks" does not make it another subject). A question
    with a fair share of words the pages never use, and nothing tying it to
    their subject ("code review on github"), shares its other words by chance.
    """
    return len(strange) < STRANGE_SHARE * len(terms) or any(t in topic_terms for t in terms)


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
