"""BM25 over two fields (question, answer), built once, scored in microseconds.

rank-bm25 fits the model (idf, document lengths, k1, b). Its `get_scores`
walks every document for every query term in Python, which is too slow for
10,000 records, so each term's BM25 weight in each document is computed once
here from the fitted model and kept as a posting list; the fitted models are
then dropped. A query's scores are the same numbers `get_scores` gives (a test
checks this), summed over far fewer documents.

All posting lists sit in three flat arrays, as in scipy.sparse's CSC layout
and bm25s: a term's column number (one dict), then `indptr` (where each
column starts), `indices` (record ids, int32, sorted within a column) and
`data` (BM25 weights, float32). A numpy array per term would cost ~100 bytes
of overhead each, more than most terms' postings. A query's scores are its
terms' rows of weights over every record added up, each row made from the
postings when the term is first asked about and kept while it is asked about
(one bincount over the postings, for a corpus too big to keep enough rows).
Which record holds a term, in its question or at all, is one more sorted
array (a key per term and record, in the postings' order), looked up by
bisect for one record; for many, a term's row of bytes over every record is
made from it once and kept in the same way (one searchsorted over the keys,
for a corpus too big). How many records hold a term is
worked out once, as its informativeness. No per-record term sets are kept,
and word pairs are kept as ints, not strings.
"""

from __future__ import annotations

import itertools
import math
from bisect import bisect_right
from collections.abc import Callable, Hashable, KeysView, Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from rank_bm25 import BM25Okapi

# What the rows kept from question to question may take, in bytes: each Postings's weight
# rows (eight bytes a record; terms and word pairs alike) and `holdings`'s (one). At 1,000
# records the tuning questions' 347 known terms' rows fit (2.7 MiB; 96% of look-ups find
# theirs kept), and their 140 known pairs' (1.1 MiB).
SCORE_ROWS_BYTES = 4 * 2**20
HELD_ROWS_BYTES = 2**20
# Fewer rows than this in a budget (over 2,048 records for weights, 4,096 for holdings) and
# the common terms do not stay: made again and again, rows cost more than the old way (at
# 10,000 records, p99 of the scores 137 -> 187 µs, of holdings 129 -> 178 µs)
MIN_KEPT_ROWS = 256


def _kept(
    make: Callable[[Any], np.ndarray], budget: int, row_bytes: int
) -> Callable[[Any], np.ndarray] | None:
    """`make` (a row for a key) behind an LRU of as many rows as `budget` bytes hold, or None
    when fewer than MIN_KEPT_ROWS would: then the caller works each question out afresh."""
    rows = budget // max(row_bytes, 1)
    return lru_cache(maxsize=rows)(make) if rows >= MIN_KEPT_ROWS else None


class Postings:
    """Every column's (sorted record ids, a weight in each), in three flat arrays (CSC)."""

    def __init__(self, indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, size: int):
        self.indptr = indptr  # column c is indices[indptr[c]:indptr[c + 1]]
        self._bounds = memoryview(indptr)  # the same, read as Python ints (no numpy scalar each)
        self.indices = indices
        self.data = data
        self.size = size  # records
        # each column's weight in every record, for the columns questions keep asking about
        self._row = _kept(self._row_of, SCORE_ROWS_BYTES, 8 * size)

    def span(self, column: int) -> slice:
        """Where `column`'s postings are in `indices` and `data`."""
        return slice(self._bounds[column], self._bounds[column + 1])

    def sum(self, columns: Sequence[int]) -> np.ndarray:
        """Every record's summed weight for `columns` (repeats count): a new array, the caller's to change.

        Each column's weights in every record are a row, made from its postings
        the first time it is asked about and kept (within SCORE_ROWS_BYTES):
        questions keep asking about the same common terms, and adding a few rows
        costs a third of gathering and scattering their postings again. Added
        column after column, as `bincount` adds them, so the sums are the same
        floats (a test checks). Too many records for enough rows to fit: `bincount`.
        """
        if self._row is None:
            return self.bincount(columns)
        if not columns:
            return np.zeros(self.size)
        rows = [self._row(c) for c in columns]
        if len(rows) == 1:
            return rows[0].copy()
        out = rows[0] + rows[1]  # not a copy, then an add: one pass less over the memory
        for row in rows[2:]:
            out += row
        return out

    def _row_of(self, column: int) -> np.ndarray:
        """A column's weight in every record (read-only, as it is shared)."""
        span = self.span(column)
        row = np.zeros(self.size)
        row[self.indices[span]] = self.data[span]
        row.flags.writeable = False
        return row

    def bincount(self, columns: Sequence[int]) -> np.ndarray:
        """`sum` from the postings themselves: one bincount, which adds in the order given,
        column after column, so each sum is the same float as adding them one by one."""
        size = self.size
        if not columns:
            return np.zeros(size)
        spans = [self.span(c) for c in columns]
        # made as the types bincount works in, which it would otherwise convert them to: one pass fewer
        ids = np.concatenate([self.indices[s] for s in spans], dtype=np.intp)
        weights = np.concatenate([self.data[s] for s in spans], dtype=np.float64)
        return np.bincount(ids, weights=weights, minlength=size)


# How a record holds each of a question's terms: 0 not at all, 1 held, 2 held in its question.
Way = tuple[int, ...]


Fitted = tuple[
    dict, np.ndarray, np.ndarray, np.ndarray
]  # token -> column; column, document, weight of each pair


def _fit(documents: Sequence[Sequence[Hashable]], placeholder: Hashable = "\0") -> Fitted:
    """token -> column, and per (token, document) pair: its column, document id and BM25 weight (rank-bm25's)."""
    model = BM25Okapi([doc or [placeholder] for doc in documents])  # rank-bm25 needs a token per document
    columns: dict = {}
    cols: list[int] = []
    docs: list[int] = []
    tfs: list[int] = []
    for doc_id, freqs in enumerate(model.doc_freqs):
        cols.extend(columns.setdefault(token, len(columns)) for token in freqs)
        docs.extend([doc_id] * len(freqs))
        tfs.extend(freqs.values())
    col_array = np.asarray(cols, dtype=np.int64)
    doc_array = np.asarray(docs, dtype=np.int64)
    tf = np.asarray(tfs, dtype=float)
    idf = np.asarray([model.idf.get(token, 0.0) for token in columns], dtype=float)
    doc_len = np.asarray(model.doc_len, dtype=float)
    norm = model.k1 * (1 - model.b + model.b * doc_len / model.avgdl)
    # the same float64 operations, in the same order, as one token at a time
    weight = idf[col_array] * tf * (model.k1 + 1) / (tf + norm[doc_array])
    return columns, col_array, doc_array, weight.astype(np.float32)


def _packed(width: int, size: int, cols: np.ndarray, docs: np.ndarray, weights: np.ndarray) -> Postings:
    """Postings of `width` columns over `size` records from (column, document, weight) triples,
    no (column, document) twice."""
    order = np.lexsort((docs, cols))
    indptr = np.zeros(width + 1, dtype=np.int64)
    np.cumsum(np.bincount(cols, minlength=width), out=indptr[1:])
    return Postings(indptr, docs[order].astype(np.int32), weights[order], size)


class FieldedBM25:
    """BM25 on a question field and an answer field; the question weighs more."""

    def __init__(
        self,
        questions: Sequence[list[str]],
        answers: Sequence[list[str]],
        question_weight: float = 2.0,
    ):
        self.size = len(questions)
        self.question_weight = question_weight
        columns, a_cols, a_docs, a_weights = _fit(answers)
        q_columns, q_cols, q_docs, q_weights = _fit(questions)
        # the questions' terms join the answers' columns
        q_cols = np.asarray([columns.setdefault(t, len(columns)) for t in q_columns], dtype=np.int64)[q_cols]
        self.columns: dict[str, int] = columns
        width = len(columns)
        question_counts = np.bincount(q_cols, minlength=width).tolist()
        # A record's weight for a term is its answer weight plus its question weight,
        # added in float32 as before; sorted, the two sit side by side.
        cols = np.concatenate([a_cols, q_cols])
        docs = np.concatenate([a_docs, q_docs])
        weights = np.concatenate([a_weights, q_weights * np.float32(question_weight)])
        from_question = np.concatenate([np.zeros(len(a_cols), dtype=bool), np.ones(len(q_cols), dtype=bool)])
        order = np.lexsort((docs, cols))
        cols, docs, weights, from_question = cols[order], docs[order], weights[order], from_question[order]
        first = np.ones(len(cols), dtype=bool)
        first[1:] = (cols[1:] != cols[:-1]) | (docs[1:] != docs[:-1])
        starts = np.flatnonzero(first)
        cols, docs = cols[starts], docs[starts]
        self.postings = _packed(width, self.size, cols, docs, np.add.reduceat(weights, starts))
        # Which record holds which term, as one sorted array of keys
        # ((column * size + record) * 2 + held in its question), in the postings'
        # order: a bisect finds one, and a term's keys sit beside its postings. uint32 while it fits.
        in_question = np.logical_or.reduceat(from_question, starts)
        fits = 2 * (width + 1) * self.size <= 2**32
        self._keys = (((cols * self.size + docs) << 1) | in_question).astype(np.uint32 if fits else np.int64)
        self._key_view = memoryview(self._keys)  # the same, read as Python ints
        # how every record holds a term, one byte each, for the terms questions keep asking
        # about (within HELD_ROWS_BYTES: at 1,000 records, every term the tuning questions ask)
        self._held_row = _kept(self._held_row_of, HELD_ROWS_BYTES, self.size)
        # Every term's informativeness, in the records and in their questions, worked out
        # once (16 bytes a term); the last column is an unknown term's (held nowhere).
        counts = np.diff(self.postings.indptr).tolist()
        rarity = np.array(
            [
                [self._rarity_of(df) for df in [*counts, 0]],
                [self._rarity_of(df) for df in [*question_counts, 0]],
            ]
        )
        # read a few at a time as Python floats: memoryviews give them without a numpy call
        self._rarity = (memoryview(rarity[0]), memoryview(rarity[1]))

    def _rarity_of(self, df: int) -> float:
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))

    @property
    def terms(self) -> KeysView[str]:
        """Every term the index holds (a set view: `term in index.terms`)."""
        return self.columns.keys()

    def scores(self, query: Sequence[str]) -> np.ndarray:
        """BM25 score of every record for the query tokens (repeats count, as in rank-bm25): a new
        array, the caller's to change."""
        columns = self.columns
        return self.postings.sum([c for t in query if (c := columns.get(t)) is not None])

    def knows(self, term: str) -> bool:
        return term in self.columns

    def _held_row_of(self, term: str) -> np.ndarray:
        """How each record holds `term`: a `Way` digit per record (read-only, as it is shared)."""
        row = np.zeros(self.size, dtype=np.uint8)
        column = self.columns.get(term)
        if column is not None:
            span = self.postings.span(column)
            # the keys sit in the postings' order (by column, then record): the last bit of each says
            # whether the record holds the term in its question
            row[self.postings.indices[span]] = 1 + (self._keys[span] & 1)
        row.flags.writeable = False
        return row

    def holdings(self, terms: Sequence[str], doc_ids: Sequence[int]) -> np.ndarray:
        """How each record of `doc_ids` holds each of `terms`, as a matrix: a row per
        term, a column per record, each cell a `Way`'s digit (0 not held, 1 held,
        2 held in its question). For one record, `way` is cheaper.

        Each term's digits for every record are a row of bytes, made from its
        postings the first time it is asked about and kept (within
        HELD_ROWS_BYTES): most questions ask about the same common terms, so
        this is a few rows stacked and the records' columns taken. A
        searchsorted over every key per question cost twice as much, and its
        reads, spread over the whole key array, pushed the rest of the
        question's work out of the CPU's caches. Too many records for enough rows
        to fit: that searchsorted (for the key with the question bit set, the key
        just before where it would go is that (term, record)'s own, if the record
        holds it).
        """
        if not terms:
            return np.zeros((0, len(doc_ids)), dtype=np.uint8)
        if self._held_row is not None:  # a row per term, kept: the common terms come back in most questions
            # np.array, not np.stack: the same matrix from rows of one length, without np.stack's Python checks
            return np.array([self._held_row(t) for t in terms]).take(doc_ids, axis=1)
        width, size, dtype = len(self.columns), self.size, self._keys.dtype
        # (column * size + record) * 2 + 1 for each term and record; an unknown term: a column past the last
        rows = np.array([2 * self.columns.get(t, width) * size + 1 for t in terms], dtype=dtype)
        wanted = rows[:, None] + np.asarray(doc_ids, dtype=dtype) * 2
        # never before the first key: record 0 holds column 0 (its first term, or the placeholder),
        # so keys[0] <= 1 <= any wanted key; the key got is at most the wanted one
        got = self._keys[self._keys.searchsorted(wanted, side="right") - 1]
        # wanted - got: 0 held in its question, 1 held, more not held; as a digit 2, 1, 0
        return (2 - np.minimum(wanted - got, 2)).astype(np.uint8)

    def way(self, terms: Sequence[str], doc_id: int) -> Way:
        """How the record `doc_id` holds each of `terms`: `holdings` for one record, the
        same keys looked up one term at a time by bisect, without numpy's calls."""
        keys, columns, size = self._key_view, self.columns, self.size
        way = []
        for t in terms:
            column = columns.get(t)
            if column is None:
                way.append(0)
                continue
            wanted = 2 * (column * size + doc_id) + 1
            at = bisect_right(keys, wanted) - 1
            got = keys[at] if at >= 0 else 0  # 0: nothing smaller, and never a wanted key | 1
            way.append(2 if got == wanted else 1 if got | 1 == wanted else 0)
        return tuple(way)

    def rarity(self, terms: Sequence[str]) -> tuple[list[float], list[float]]:
        """How much each term says: high when rare, near 0 when in every record; and how
        rare it is among questions: "training" is in most answers but few questions, so
        matching it in a question says more. Ratios of document counts, so they keep
        their meaning as the corpus grows."""
        columns = [self.columns.get(t, -1) for t in terms]
        in_records, in_questions = self._rarity
        return [in_records[c] for c in columns], [in_questions[c] for c in columns]


class PairIndex:
    """BM25 over adjacent word pairs ("secur communiti"): a phrase matched counts beyond its words.

    A pair is kept as one int, first term's column * width + second's (columns
    of `columns`, the index's terms), in a sorted array: tens of thousands of
    pair strings in a dict would be most of the memory at 10,000 records.
    """

    def __init__(
        self,
        term_lists: Sequence[list[str]],
        columns: Mapping[str, int],
        phrases: Sequence[Sequence[list[str]]] | None = None,
    ):
        """Each record's adjacent pairs of `term_lists[i]`, and of each of `phrases[i]` (runs of terms
        from elsewhere in the record; no pair spans two runs)."""
        self.size = len(term_lists)
        self.columns = columns
        self.width = len(columns) + 1
        runs = [[terms, *(phrases[i] if phrases else ())] for i, terms in enumerate(term_lists)]
        pair_columns, cols, docs, weights = _fit(
            [
                [
                    self._key(a, b)
                    for run in record_runs
                    for a, b in itertools.pairwise(run)
                    if a in columns and b in columns
                ]
                for record_runs in runs
            ],
            placeholder=-1,
        )
        keys = np.fromiter(pair_columns, dtype=np.int64, count=len(pair_columns))
        order = keys.argsort()
        self.keys = keys[order]
        self._keys = memoryview(self.keys)  # the same, read as Python ints
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        self.postings = _packed(len(keys), self.size, rank[cols], docs, weights)
        self._column_of = lru_cache(maxsize=16384)(self._column_of_uncached)

    def _key(self, first: str, second: str) -> int:
        return self.columns[first] * self.width + self.columns[second]

    def scores(self, pairs: Sequence[str]) -> np.ndarray | None:
        """Every record's BM25 score for `pairs` ("a b": adjacent terms), repeats counting;
        None when no record holds any of them (nothing to add)."""
        column_of = self._column_of
        found = [c for pair in pairs if (c := column_of(pair)) is not None]
        return self.postings.sum(found) if found else None

    def _column_of_uncached(self, pair: str) -> int | None:
        """The postings' column of `pair` ("a b"), if a record holds it: a bisect on a memoryview,
        without numpy's calls (cached: the same pairs come back question after question)."""
        first, _, second = pair.partition(" ")
        a, b = self.columns.get(first), self.columns.get(second)
        if a is None or b is None:
            return None
        key = a * self.width + b  # as _key makes it
        at = bisect_right(self._keys, key) - 1
        return at if at >= 0 and self._keys[at] == key else None


def adjacent_pairs(terms: Sequence[str]) -> list[str]:
    """Each term with the next one, as one token."""
    return [f"{a} {b}" for a, b in itertools.pairwise(terms)]
