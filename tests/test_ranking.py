"""Selection in one vectorised pass gives what the plain per-state argmax and full sort give, ties included."""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np

from bot.index import FieldedBM25, PairIndex
from bot.ranking import Ranker, top_k
from bot.states import ALL_STATES


def _ranker(records):
    terms = [["x"] for _ in records]
    index = FieldedBM25(terms, terms)
    return Ranker(records, index, PairIndex(terms, index.columns))


def test_best_in_each_state_is_each_states_argmax_ties_to_the_first(records):
    rng = random.Random(2)
    # records of many states, in no order: the grouping must not rely on the corpus's order
    many = [replace(r, state=rng.choice(ALL_STATES[:7])) for r in records * 3]
    rng.shuffle(many)
    for corpus in (records, many):
        ranker = _ranker(corpus)
        for _ in range(50):
            scores = np.array([float(rng.randint(0, 3)) for _ in corpus])  # many ties
            expected = [
                int(ranker.ids_by_state[s][np.argmax(scores[ranker.ids_by_state[s]])]) for s in ranker.states
            ]
            assert ranker.best_in_each_state(scores) == expected
            assert ranker.best_in_each_state_scored(scores) == (expected, scores[expected].tolist())
            skip = rng.choice(ranker.states)
            assert ranker.best_in_each_state(scores, skip=skip) == [
                i for i, s in zip(expected, ranker.states, strict=True) if s != skip
            ]


def test_top_k_of_every_record_is_top_k_of_all_their_ids():
    rng = np.random.default_rng(5)
    for n in (3, 5, 40, 1000):
        for _ in range(20):
            scores = rng.integers(0, 4, n).astype(float)  # many ties
            for k in (1, 5):
                assert top_k(None, scores, k) == top_k(np.arange(n), scores, k)


def _numpy_top_k(ids, scores, k):
    """top_k as it was, all in numpy: the k best by argpartition, then a stable sort of their ids by score."""
    values = scores if ids is None else scores[ids]
    if len(values) > k:
        best = np.argpartition(-values, k - 1)[:k]
        ids = np.sort(best if ids is None else ids[best])
    elif ids is None:
        ids = np.arange(len(scores))
    return ids[np.argsort(-scores[ids], kind="stable")].tolist()


def test_top_k_orders_as_numpys_stable_sort_did():
    rng = np.random.default_rng(6)
    for n in (3, 5, 6, 40, 1000):
        for _ in range(20):
            scores = rng.integers(0, 4, n).astype(float)  # many ties
            pool = rng.permutation(n)[: max(1, n // 2)]  # a pool in no order, as a few named states give
            for ids in (None, np.arange(n), pool, pool[:4]):
                for k in (1, 5, 6):
                    got, values = top_k(ids, scores, k)
                    assert got == _numpy_top_k(ids, scores, k)
                    assert values == scores[got].tolist()
                    # and, whatever the reference does, they are the pool's k best, best first
                    pool_scores = scores if ids is None else scores[ids]
                    assert values == sorted(pool_scores.tolist(), reverse=True)[:k]
