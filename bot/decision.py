"""The decision: answer with the best record, or refuse, with the reasons.

Decided from ratios of document counts, which keep their meaning as the
corpus grows (no raw BM25 cut-off): the best record must cover a share of the
question's rarity-weighted words, match enough rare words, and be anchored (a
word matched in its question, a domain acronym, or two different words), so
one stray word in a long answer is not enough.
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from bot.index import FieldedBM25, Way
from bot.text import ACRONYM_TERMS, TITLE_TERMS

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
# ... and one of this many terms or more, all the pages' own, needs a word of the subject or title
SUBJECTLESS_TERMS = 4
# Words found nowhere in the corpus count for less than a rare corpus word:
# chat ("journalist", "story") should not sink an on-topic question, but a
# question made only of them has nothing to match.
UNKNOWN_WORD_WEIGHT = 0.5


class Evidence(NamedTuple):
    """How well one record matches a question (a NamedTuple, as Query: made in a fifth of a
    frozen dataclass's time)."""

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
        return bool(_enough(self.coverage, self.strength, self.anchored))


def weigh(index: FieldedBM25, terms: Sequence[str], way: Way) -> Evidence:
    """The evidence that a record answers a question made of `terms`, from how it holds
    them (`way`: `FieldedBM25.way`). Many records at once are `weigh_each`'s.

    Strength counts a term matched in the record's question at its rarity
    among questions ("training" is in most answers but few questions, so it
    says more there).
    """
    covered = strength = 0.0
    matched = 0
    anchored = False
    infos, as_question, total = _rarities(index, terms)
    for row, held in enumerate(way):
        if held:
            matched += 1
            covered += infos[row]
            # held: a known term, full weight
            strength += as_question[row] if held == 2 else infos[row]
            anchored = anchored or held == 2 or terms[row] in ACRONYM_TERMS
    return Evidence(covered / total if total else 0.0, strength, anchored or matched >= 2)


def weigh_each(
    index: FieldedBM25, terms: Sequence[str], held: np.ndarray, best: int
) -> tuple[Evidence, list[bool]]:
    """`weigh` for many records at once: the evidence of the one at column `best` of
    `held` (how the records hold the terms, a column each: `FieldedBM25.holdings`),
    and whether each is enough to answer. For the fifty states' best records: on
    pages that vary, each holds the terms a way of its own, so this is one pass
    over the matrix, not a loop per record. The sums are added term by term, as
    `weigh` adds them, so they are the same floats (a test checks)."""
    if not terms:  # nothing to match: no record is enough
        return Evidence(0.0, 0.0, False), [False] * held.shape[1]
    infos, as_question, total = _rarities(index, terms)  # total > 0: every term weighs something
    # What each term adds for each digit (not held, held, held in its question): to the
    # coverage, to the strength, and anchor points (2 for a term that anchors on its own,
    # else 1: anchored is 2 points or more, as `weigh` has it)
    shares = []
    for info, rare, term in zip(infos, as_question, terms, strict=True):
        alone = 2.0 if term in ACRONYM_TERMS else 1.0
        shares += (0.0, 0.0, 0.0, info, info, alone, info, rare, 2.0)
    rows = held + _row_starts(len(terms))
    # summed over the terms (the matrix's slow axis): numpy adds one term after another,
    # in order, as `weigh` does (along the fast axis it would add pairwise)
    table = np.array(shares, dtype=np.float64).reshape(-1, 3)  # the dtype given: 2 µs less than found
    sums = np.add.reduce(table.take(rows, 0), 0)  # a row per record: covered, strength, points
    covered, strength, points = sums[best].tolist()  # the best's, as Python floats: no numpy call each
    evidence = Evidence(covered / total, strength, points >= 2)
    coverage, strengths, anchor_points = sums.T
    return evidence, _enough(coverage / total, strengths, anchor_points >= 2).tolist()


@lru_cache(maxsize=64)
def _row_starts(terms: int) -> np.ndarray:
    """Where each of `terms` terms' rows start in `weigh_each`'s table, as a column (read-only, shared)."""
    starts = np.arange(0, 3 * terms, 3)[:, None]
    starts.flags.writeable = False
    return starts


def _enough(coverage, strength, anchored):  # floats and a bool, or arrays of them
    """The rule: covers enough of the question, matches rare enough words, and is anchored."""
    return (coverage >= MIN_COVERAGE) & (strength >= MIN_STRENGTH) & anchored


def on_topic(
    terms: Sequence[str],
    strange: Sequence[str],
    topic_terms: Set[str],
    everyday_topic_terms: Set[str] = frozenset(),
    hints: Sequence[str] | None = None,
) -> bool:
    """Whether a question that names no state is about the pages' subject.

    It is when one of its terms says the subject (an acronym, "immigration"),
    or when nearly all its words are ones the pages use (a chatty "my colleague
    asks" does not make it another subject) and, if it is long, one of them is
    an everyday subject word or a title word ("task force", "operation"). A question
    with a fair share of words the pages never use, and nothing tying it to
    their subject ("code review on github"), shares its other words by chance.
    Words of the subject that are everyday words too ("agency", "border") tie it
    only two together; `hints` are the terms looked in for them (default `terms`).
    """
    if any(t in topic_terms for t in terms):
        return True
    everyday = {t for t in (terms if hints is None else hints) if t in everyday_topic_terms}
    if len(everyday) >= 2:
        return True
    if len(strange) >= STRANGE_SHARE * len(terms):
        return False
    # the pages' words, but a long question with none of the subject's, not even everyday ones,
    # or the title's "task force" or "operation": another subject ("an oversight committee on a nonprofit board")
    return len(terms) < SUBJECTLESS_TERMS or bool(everyday) or any(t in TITLE_TERMS for t in terms)


def _rarities(index: FieldedBM25, terms: Sequence[str]) -> tuple[list[float], list[float], float]:
    """Each term's weight (its informativeness; less for a word the corpus lacks), its
    informativeness among questions, and the weights' total."""
    infos, as_question = index.rarity(terms)
    total = 0.0
    for row, term in enumerate(terms):
        if not index.knows(term):
            infos[row] *= UNKNOWN_WORD_WEIGHT
        total += infos[row]  # term by term: the same float as ever
    return infos, as_question, total


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
