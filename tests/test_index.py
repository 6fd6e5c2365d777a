"""The index's flat postings and its many-at-once look-ups, checked against plain per-record term sets."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from bot.index import (
    HELD_ROWS_BYTES,
    MIN_KEPT_ROWS,
    SCORE_ROWS_BYTES,
    FieldedBM25,
    PairIndex,
    adjacent_pairs,
)
from bot.text import stem, words


@pytest.fixture(scope="module")
def fields(records):
    questions = [[stem(w) for w in words(r.question)] for r in records]
    answers = [[stem(w) for w in words(r.answer)] for r in records]
    return questions, answers


@pytest.fixture(scope="module")
def index(fields):
    return FieldedBM25(*fields)


def test_a_way_says_how_a_record_holds_each_term_in_it_and_in_its_question(index, fields):
    questions, answers = fields
    rng = random.Random(4)
    vocabulary = sorted(index.terms)
    for _ in range(100):
        terms = [*rng.sample(vocabulary, 6), "zzzunknown"]
        ids = rng.sample(range(index.size), 7)
        # one record by bisect (the best record alone), and many at once by holdings
        for doc in (*ids, 0, index.size - 1):
            expected = [2 if term in questions[doc] else 1 if term in answers[doc] else 0 for term in terms]
            assert index.way(terms, doc) == tuple(expected)
        assert index.holdings(terms, ids).T.tolist() == [list(index.way(terms, doc)) for doc in ids]


def test_holdings_are_the_ways_as_a_matrix_also_at_the_smallest_and_largest_keys(index, fields):
    questions, answers = fields
    rng = random.Random(5)
    vocabulary = sorted(index.terms)
    last = max(index.columns, key=index.columns.get)
    for count in (0, 6, 40):
        # record 0 and the first column: the smallest keys; the last record and column: the largest
        some = [0, *rng.sample(range(1, index.size - 1), 8), index.size - 1]
        # the last terms held in a record's question
        held = list(dict.fromkeys(questions[some[1]]))[:3]
        terms = [next(iter(index.columns)), last, *rng.sample(vocabulary, count), "zzzunknown", *held]
        expected = [
            [2 if term in questions[doc] else 1 if term in answers[doc] else 0 for doc in some]
            for term in terms
        ]
        assert index.holdings(terms, some).tolist() == expected
        assert [index.way(terms, doc) for doc in some] == [tuple(way) for way in zip(*expected, strict=True)]


def test_holdings_kept_from_question_to_question_are_not_changed_by_what_a_caller_does(index):
    first = index.holdings(["train", "civil", "zzzunknown"], [0, 1, 2, 3])
    expected = first.tolist()
    first[:] = 0  # the caller's own copy
    assert index.holdings(["train", "civil", "zzzunknown"], [0, 1, 2, 3]).tolist() == expected
    with pytest.raises(ValueError):  # the rows kept are read-only
        index._held_row("train")[0] = 2


def test_the_rows_kept_for_holdings_and_scores_stay_within_their_budget():
    for size in (40, 1000, 10_000, 100_000):
        index = FieldedBM25([["train"]] * size, [["civil"]] * size)
        if size * MIN_KEPT_ROWS <= HELD_ROWS_BYTES:
            assert MIN_KEPT_ROWS <= index._held_row.cache_info().maxsize <= HELD_ROWS_BYTES // size
        else:  # too few rows would fit: looked up in the keys
            assert index._held_row is None
        for postings in (index.postings, PairIndex([["train", "civil"]] * size, index.columns).postings):
            if size * 8 * MIN_KEPT_ROWS <= SCORE_ROWS_BYTES:
                assert MIN_KEPT_ROWS <= postings._row.cache_info().maxsize <= SCORE_ROWS_BYTES // (8 * size)
            else:  # too few rows would fit: summed from the postings themselves
                assert postings._row is None


def test_scores_from_the_rows_kept_are_the_postings_sums_to_the_last_bit(index):
    rng = random.Random(9)
    held_by = np.diff(index.postings.indptr)
    # the terms most records hold: a record's sum then has many terms
    common = sorted(index.terms, key=lambda t: -held_by[index.columns[t]])[:60]
    for _ in range(200):
        terms = rng.sample(common, rng.randint(1, 12))
        terms += [*rng.sample(terms, min(len(terms), rng.randint(0, 2))), "zzzunknown"]  # repeats; unknown
        rng.shuffle(terms)
        columns = [index.columns[t] for t in terms if t in index.columns]
        expected = index.postings.bincount(columns)
        assert index.scores(terms).tobytes() == expected.tobytes()
    assert not index.scores(["zzzunknown"]).any() and not index.scores([]).any()


def test_a_corpus_too_big_for_score_rows_is_scored_from_its_postings_alike(index, fields, monkeypatch):
    import bot.index

    monkeypatch.setattr(bot.index, "SCORE_ROWS_BYTES", 8 * index.size * (MIN_KEPT_ROWS - 1))
    without_rows = FieldedBM25(*fields)
    assert without_rows.postings._row is None and index.postings._row is not None
    for terms in (["train", "civil", "train"], ["zzzunknown"], [], sorted(index.terms)[:30]):
        assert without_rows.scores(terms).tobytes() == index.scores(terms).tobytes()


def test_pair_scores_from_the_rows_kept_are_the_postings_sums_to_the_last_bit(fields):
    questions, _ = fields
    index = FieldedBM25(*fields)
    pairs = PairIndex(questions, index.columns)
    known = sorted({p for q in questions for p in adjacent_pairs(q)})
    rng = random.Random(12)
    for _ in range(100):
        some = rng.sample(known, rng.randint(1, 10))
        some += some[:2]  # repeats count
        got = pairs.scores(some)
        found = [pairs.keys.searchsorted(pairs._key(*p.split(" "))) for p in some]
        assert got.tobytes() == pairs.postings.bincount(found).tobytes()
    assert pairs.postings._row.cache_info().hits > 0


@pytest.mark.parametrize("terms", [["train", "civil"], ["train"], ["train", "civil", "right"]])
def test_scores_are_the_callers_to_change(index, terms):
    first = index.scores(terms)
    expected = first.copy()
    first += 1.0  # as extra_signal adds the pairs' scores in place
    assert np.array_equal(index.scores(terms), expected)
    assert np.array_equal(sum(index.scores([t]) for t in terms), expected)


def test_holdings_of_a_corpus_too_big_for_rows_are_looked_up_in_the_keys_alike(index, fields, monkeypatch):
    import bot.index

    monkeypatch.setattr(bot.index, "HELD_ROWS_BYTES", index.size * (MIN_KEPT_ROWS - 1))
    without_rows = FieldedBM25(*fields)
    assert without_rows._held_row is None and index._held_row is not None
    rng = random.Random(6)
    vocabulary = sorted(index.terms)
    for _ in range(50):
        terms = [*rng.sample(vocabulary, rng.randint(1, 20)), "zzzunknown"]
        some = [0, *rng.sample(range(1, index.size), 12), index.size - 1]
        assert without_rows.holdings(terms, some).tolist() == index.holdings(terms, some).tolist()
    assert without_rows.holdings([], [1, 2]).shape == (0, 2)


def test_holdings_and_ways_of_no_terms_or_no_records_are_empty(index):
    assert index.holdings([], [1, 2]).shape == (0, 2)
    assert index.holdings(["train"], []).shape == (1, 0)
    assert index.way([], 1) == ()


def test_informativeness_is_a_ratio_of_document_counts(index, fields):
    questions, answers = fields
    for term in ["train", "civil", "zzzunknown"]:
        df = sum(term in q or term in a for q, a in zip(questions, answers, strict=True))
        in_questions = sum(term in q for q in questions)
        n = index.size
        assert index.rarity([term]) == (
            [math.log(1 + (n - df + 0.5) / (df + 0.5))],
            [math.log(1 + (n - in_questions + 0.5) / (in_questions + 0.5))],
        )


def test_pair_scores_are_bm25_over_the_questions_word_pairs(fields):
    from rank_bm25 import BM25Okapi

    questions, answers = fields
    index = FieldedBM25(questions, answers)
    pairs = PairIndex(questions, index.columns)
    model = BM25Okapi([adjacent_pairs(q) or ["\0"] for q in questions])
    some = sorted({p for q in questions for p in adjacent_pairs(q)})[:40]
    for i in range(0, len(some), 4):
        query = [*some[i : i + 4], "no such"]
        assert np.allclose(pairs.scores(query), model.get_scores(query), rtol=1e-5)
    assert pairs.scores(["no such", "zzz zzz"]) is None  # nothing to add


def test_phrases_add_their_own_pairs_and_none_across_runs():
    questions = [["secur", "share"], ["train", "offic"], ["train", "law"], ["civil", "right"]]
    answers = [["secur", "communiti", "program", "share"], ["train", "offic"], ["law"], ["right"]]
    index = FieldedBM25(questions, answers)
    pairs = PairIndex(questions, index.columns, phrases=[[["secur", "communiti", "program"]], [], [], []])
    assert np.flatnonzero(pairs.scores(["secur communiti"])).tolist() == [0]
    assert np.flatnonzero(pairs.scores(["communiti program"])).tolist() == [0]
    assert pairs.scores(["share secur"]) is None  # the question's run and the phrase's are apart
    assert np.flatnonzero(pairs.scores(["secur share"])).tolist() == [0]
