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


def _plain_top_k(ids, scores, k):
    """What top_k means: the pool's records with a positive score, best first, ties in id order, k of them."""
    pool = range(len(scores)) if ids is None else ids.tolist()
    return sorted((i for i in pool if scores[i] > 0), key=lambda i: (-scores[i], i))[:k]


def test_top_k_is_the_k_best_positive_ties_in_id_order():
    rng = np.random.default_rng(6)
    for n in (
        3,
        5,
        6,
        40,
        128,
        129,
        1000,
        1001,
        5003,
    ):  # around the block cut's threshold, part blocks, big blocks
        for trial in range(20):
            scores = rng.integers(0, 4, n).astype(float)  # many ties
            if trial % 4 == 1:  # most records equal: more ties than the Python sort takes
                scores = np.where(rng.random(n) < 0.9, 2.0, scores)
            if trial % 4 == 2:  # a few positive records, fewer blocks holding one than k
                scores = np.where(rng.random(n) < 0.005, scores, 0.0)
            # a part of the records, ascending, as named states give
            pool = np.sort(rng.permutation(n)[: max(1, n // 2)])
            for ids in (None, np.arange(n), pool, pool[:4]):
                for k in (1, 3, 5, 6):
                    got, values = top_k(ids, scores, k)
                    assert got == _plain_top_k(ids, scores, k)
                    assert values == scores[got].tolist()


def test_a_pool_of_several_states_is_ascending_whatever_order_they_are_named_in(records):
    rng = random.Random(3)
    many = [replace(r, state=rng.choice(ALL_STATES[:5])) for r in records * 3]
    rng.shuffle(many)
    ranker = _ranker(many)
    named = ranker.states[::-1][:3]
    pool = ranker.pool(named).tolist()
    assert pool == sorted(i for i, r in enumerate(many) if r.state in named)
    scores = np.ones(len(many))  # all tied: the best are the lowest ids, whichever state is named first
    assert ranker.top(scores, ranker.pool(named), 5) == pool[:5]
