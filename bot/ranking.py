"""Ranking: BM25 scores for a query's terms, one named place for an extra signal, and top-k.

The index (bot/index.py) gives each record's BM25 score; `extra_signal` is
where any further evidence is added to those scores, so a new signal has one
obvious home and the selection below never changes for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

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
        # Pages of one length (20 questions each, as today), in state order: the states'
        # records are the rows of a matrix, and each state's best is its row's argmax
        self._by_state_shape = (len(self.states), len(records) // len(self.states))
        if self._grouped is not None or self._sizes.min() != self._sizes.max():
            self._by_state_shape = None
        self._position = {s: i for i, s in enumerate(self.states)}

    def scores(self, terms: Sequence[str], pairs: Sequence[str] = ()) -> np.ndarray:
        """Every record's score for the query's terms (and its adjacent word pairs)."""
        return extra_signal(self.index.scores(terms), self.pairs.scores(pairs) if pairs else None)

    def pool(self, states: Sequence[State]) -> np.ndarray:
        """The record ids a question may be answered from: its states', or all."""
        if not states:
            return self._all_ids
        if len(states) == 1:
            return self.ids_by_state[states[0]]
        # ascending, as top_k takes them
        return np.sort(np.concatenate([self.ids_by_state[s] for s in states]))

    def top(self, scores: np.ndarray, pool: np.ndarray, k: int) -> list[int]:
        """The k best records of `pool` with a positive score, best first."""
        return top_k(None if pool is self._all_ids else pool, scores, k)[0]

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
        if self._by_state_shape is not None:
            by_state = scores.reshape(self._by_state_shape)
            first = by_state.argmax(1)  # ties: the first, as below
            return (first + self._starts).tolist(), by_state.max(1).tolist()
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
    """The k best of `ids` (ascending; None: every record) with a positive score, best
    first, ties in id order, and their scores.

    The k best are among the records at least as good as the k-th best of the
    maxima of blocks of records (k blocks hold a record that good, so the k-th
    best record is too): a compare finds those few, where argpartition over a
    thousand scores, many of them equal, cost ten times more. The few are put
    in order in Python: for so few, numpy's calls cost more than the sort.
    """
    values = scores if ids is None else scores[ids]  # every record's: no copy
    cut = 0.0
    if len(values) > _BLOCKS_FROM:
        maxima = np.maximum.reduceat(values, _block_starts(len(values))).tolist()
        if len(maxima) >= k:
            maxima.sort(reverse=True)
            cut = maxima[k - 1]
    # the records at least as good as the cut (only positive ones): a handful, unless many tie
    at = (values >= cut if cut > 0 else values > 0).nonzero()[0]
    chosen_scores = values[at].tolist()
    if len(chosen_scores) > _SORTED_IN_PYTHON:  # many equal scores: numpy's sort, as stable
        order = np.negative(chosen_scores).argsort(kind="stable")[:k].tolist()
    else:  # stable, reverse=True included: ties stay in id order
        order = sorted(range(len(chosen_scores)), key=chosen_scores.__getitem__, reverse=True)[:k]
    chosen = (at if ids is None else ids[at]).tolist()
    return [chosen[j] for j in order], [chosen_scores[j] for j in order]


# Above this many records, top_k looks for its cut in the maxima of about this many blocks
# (of 32 records at least): few enough to sort in Python at any size
_BLOCKS_FROM = 128
_BLOCKS = 32
# Up to this many records to order, a sort in Python is cheaper than numpy's calls
_SORTED_IN_PYTHON = 64


@lru_cache(maxsize=8)
def _block_starts(size: int) -> np.ndarray:
    return np.arange(0, size, max(32, size // _BLOCKS))
