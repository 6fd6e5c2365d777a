"""Ranking: BM25 scores for a query's terms, one named place for an extra signal, and top-k.

The index (bot/index.py) gives each record's BM25 score; `extra_signal` is
where any further evidence is added to those scores, so a new signal has one
obvious home and the selection below never changes for it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bot.corpus import Record
from bot.index import FieldedBM25, PairIndex
from bot.states import State

# How much a matched word pair counts next to the words' own BM25 scores.
PAIR_WEIGHT = 0.5


class Ranker:
    def __init__(self, records: Sequence[Record], index: FieldedBM25, pairs: PairIndex):
        self.records = records
        self.index = index
        self.pairs = pairs
        self.states = sorted({r.state for r in records})
        self.ids_by_state = {
            s: np.array([i for i, r in enumerate(records) if r.state == s]) for s in self.states
        }
        self._all_ids = np.arange(len(records))
        # Every state's records side by side (states in order, ids ascending within
        # each), so the best of each state is one vectorised pass, not one argmax each.
        grouped = np.concatenate([self.ids_by_state[s] for s in self.states])
        self._grouped = None if np.array_equal(grouped, self._all_ids) else grouped
        self._sizes = np.array([len(self.ids_by_state[s]) for s in self.states])
        self._starts = np.concatenate([[0], np.cumsum(self._sizes)[:-1]])
        self._position = {s: i for i, s in enumerate(self.states)}

    def scores(self, terms: Sequence[str], pairs: Sequence[str] = ()) -> np.ndarray:
        """Every record's score for the query's terms (and its adjacent word pairs)."""
        return extra_signal(self.index.scores(terms), self.pairs.scores(pairs) if pairs else None)

    def pool(self, states: Sequence[State]) -> np.ndarray:
        """The record ids a question may be answered from: its states', or all."""
        if not states:
            return self._all_ids
        return np.concatenate([self.ids_by_state[s] for s in states])

    def top(self, scores: np.ndarray, pool: np.ndarray, k: int) -> list[int]:
        """The k best records of `pool` with a positive score, best first."""
        ids, values = top_k(None if pool is self._all_ids else pool, scores, k)
        return [i for i, value in zip(ids, values, strict=True) if value > 0]

    def best_in_each_state(self, scores: np.ndarray, skip: State | None = None) -> list[int]:
        """The best record of every state but `skip`, in state order.

        Ties go to the state's first record, as argmax would have it.
        """
        out, _ = self.best_in_each_state_scored(scores)
        if skip in self._position:
            del out[self._position[skip]]
        return out

    def best_in_each_state_scored(self, scores: np.ndarray) -> tuple[list[int], list[float]]:
        """`best_in_each_state` (no state skipped) and their scores, read from the states' maxima
        (the same floats) rather than looked up again."""
        grouped = scores if self._grouped is None else scores[self._grouped]
        best = np.maximum.reduceat(grouped, self._starts)
        # array methods, not np.flatnonzero and np.repeat: those go through Python-level wrappers first
        at_best = (grouped == best.repeat(self._sizes)).nonzero()[0]
        first = at_best[at_best.searchsorted(self._starts)]
        return (first if self._grouped is None else self._grouped[first]).tolist(), best.tolist()


def extra_signal(scores: np.ndarray, pair_scores: np.ndarray | None) -> np.ndarray:
    """The one place where evidence beyond the words' BM25 is added to every record's score.

    Today: word pairs of the question found next to each other in a record
    ("secure communities", "conflicts of interest"), which single words miss.
    Both arrays are made for this one question: the sum is made in place.
    """
    if pair_scores is None:
        return scores
    pair_scores *= PAIR_WEIGHT
    scores += pair_scores
    return scores


def top_k(ids: np.ndarray | None, scores: np.ndarray, k: int) -> tuple[list[int], list[float]]:
    """The k best of `ids` (None: of every record) by score, best first, and their scores.

    Chosen by argpartition, without sorting them all; equal scores in id order
    (in the order of `ids` when there are no more than k of them), though which
    of several equal to the k-th are kept is argpartition's choice. The k are put
    in order in Python: for so few, numpy's calls cost more than the sort.
    """
    values = scores if ids is None else scores[ids]  # every record's: no copy
    if len(values) > k:
        best = (-values).argpartition(k - 1)[:k]  # the method: np.argpartition wraps it in Python
        chosen = sorted((best if ids is None else ids[best]).tolist())
    else:
        chosen = list(range(len(scores))) if ids is None else ids.tolist()
    chosen_scores = scores[chosen].tolist()
    order = sorted(range(len(chosen)), key=lambda j: -chosen_scores[j])  # stable: ties keep id order
    return [chosen[j] for j in order], [chosen_scores[j] for j in order]
