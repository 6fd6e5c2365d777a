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
of overhead each, more than most terms' postings. Which record holds a term,
and how many do, are read from the postings rather than from per-record term
sets.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import KeysView, Sequence

import numpy as np
from rank_bm25 import BM25Okapi


class Postings:
    """term -> (sorted record ids, a weight in each), every term's in the same three flat arrays."""

    def __init__(self, columns: dict[str, int], indptr: np.ndarray, indices: np.ndarray, data: np.ndarray):
        self.columns = columns  # term -> column; may be shared by postings of the same terms
        self.indptr = indptr
        self.indices = indices
        self.data = data

    def _spans(self, terms: Sequence[str]) -> list[slice]:
        indptr, columns = self.indptr, self.columns
        return [slice(indptr[c], indptr[c + 1]) for t in terms if (c := columns.get(t)) is not None]

    def ids(self, term: str) -> np.ndarray:
        """The sorted ids of the records holding `term` (empty if none)."""
        column = self.columns.get(term)
        if column is None:
            return self.indices[:0]
        return self.indices[self.indptr[column] : self.indptr[column + 1]]

    def count(self, term: str) -> int:
        column = self.columns.get(term)
        return 0 if column is None else int(self.indptr[column + 1] - self.indptr[column])

    def sum(self, terms: Sequence[str], size: int) -> np.ndarray:
        """Every record's summed weight for `terms` (repeats count).

        One bincount over the terms' postings: it adds in the order given, term
        after term, so each sum is the same float as adding the terms one by one.
        """
        spans = self._spans(terms)
        if not spans:
            return np.zeros(size)
        ids = np.concatenate([self.indices[s] for s in spans])
        weights = np.concatenate([self.data[s] for s in spans])
        return np.bincount(ids, weights=weights, minlength=size)

    def matches(self, terms: Sequence[str], doc_ids: np.ndarray, size: int) -> np.ndarray:
        """Whether each record of `doc_ids` holds each term: a len(terms) x len(doc_ids) bool matrix.

        One searchsorted for all of them: every (row, record) pair as one key,
        row * size + record, which the postings give already sorted.
        """
        out = np.zeros((len(terms), len(doc_ids)), dtype=bool)
        indptr, columns = self.indptr, self.columns
        rows, spans = [], []
        for row, term in enumerate(terms):
            column = columns.get(term)
            if column is not None and indptr[column + 1] > indptr[column]:
                rows.append(row)
                spans.append(slice(indptr[column], indptr[column + 1]))
        if not spans or not len(doc_ids):
            return out
        held = np.concatenate([self.indices[s] for s in spans])
        lengths = [s.stop - s.start for s in spans]
        keys = np.repeat(np.asarray(rows, dtype=np.int64) * size, lengths) + held
        wanted = np.arange(len(terms), dtype=np.int64)[:, None] * size + np.asarray(doc_ids, dtype=np.int64)
        at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
        return keys[at] == wanted


def _fit(documents: Sequence[list[str]]) -> tuple[dict[str, int], np.ndarray, np.ndarray, np.ndarray]:
    """term -> column, and per (term, document) pair: its column, document id and BM25 weight (rank-bm25's)."""
    model = BM25Okapi([doc or ["\0"] for doc in documents])  # rank-bm25 needs a token per document
    columns: dict[str, int] = {}
    cols: list[int] = []
    docs: list[int] = []
    tfs: list[int] = []
    for doc_id, freqs in enumerate(model.doc_freqs):
        cols.extend(columns.setdefault(term, len(columns)) for term in freqs)
        docs.extend([doc_id] * len(freqs))
        tfs.extend(freqs.values())
    col_array = np.asarray(cols, dtype=np.int32)
    doc_array = np.asarray(docs, dtype=np.int32)
    tf = np.asarray(tfs, dtype=float)
    idf = np.asarray([model.idf.get(term, 0.0) for term in columns], dtype=float)
    doc_len = np.asarray(model.doc_len, dtype=float)
    norm = model.k1 * (1 - model.b + model.b * doc_len / model.avgdl)
    # the same float64 operations, in the same order, as one term at a time
    weight = idf[col_array] * tf * (model.k1 + 1) / (tf + norm[doc_array])
    return columns, col_array, doc_array, weight.astype(np.float32)


def _packed(
    columns: dict[str, int], cols: np.ndarray, docs: np.ndarray, weights: np.ndarray | None
) -> Postings:
    """Postings from (column, document, weight) triples with no repeated (column, document)."""
    order = np.lexsort((docs, cols))
    indptr = np.zeros(len(columns) + 1, dtype=np.int64)
    np.cumsum(np.bincount(cols, minlength=len(columns)), out=indptr[1:])
    data = weights[order] if weights is not None else np.zeros(0, dtype=np.float32)
    return Postings(columns, indptr, docs[order].astype(np.int32), data)


def _postings(documents: Sequence[list[str]]) -> Postings:
    columns, cols, docs, weights = _fit(documents)
    return _packed(columns, cols, docs, weights)


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
        to_column = np.asarray([columns.setdefault(t, len(columns)) for t in q_columns], dtype=np.int32)
        q_cols = to_column[q_cols] if len(q_cols) else q_cols
        self.question_postings = _packed(columns, q_cols, q_docs, None)
        # A record's weight for a term is its answer weight plus its question weight,
        # added in float32 as before; the pairs are sorted so the two sit side by side.
        cols = np.concatenate([a_cols, q_cols])
        docs = np.concatenate([a_docs, q_docs])
        weights = np.concatenate([a_weights, q_weights * np.float32(question_weight)])
        order = np.lexsort((docs, cols))
        cols, docs, weights = cols[order], docs[order], weights[order]
        first = np.ones(len(cols), dtype=bool)
        first[1:] = (cols[1:] != cols[:-1]) | (docs[1:] != docs[:-1])
        starts = np.flatnonzero(first)
        weights = np.add.reduceat(weights, starts) if len(starts) else weights
        self.postings = _packed(columns, cols[starts], docs[starts], weights)

    @property
    def terms(self) -> KeysView[str]:
        """Every term the index holds (a set view: `term in index.terms`)."""
        return self.postings.columns.keys()

    def scores(self, query: Sequence[str]) -> np.ndarray:
        """BM25 score of every record for the query tokens (repeats count, as in rank-bm25)."""
        return self.postings.sum(query, self.size)

    def knows(self, term: str) -> bool:
        return term in self.postings.columns

    def holds(self, term: str, doc_ids: np.ndarray, *, in_question: bool = False) -> np.ndarray:
        """For each of `doc_ids`, whether that record holds `term` (in its question, with `in_question`)."""
        return self.matches([term], doc_ids, in_question=in_question)[0]

    def matches(self, terms: Sequence[str], doc_ids: np.ndarray, *, in_question: bool = False) -> np.ndarray:
        """Whether each record of `doc_ids` holds each of `terms` (rows: terms, columns: records)."""
        postings = self.question_postings if in_question else self.postings
        return postings.matches(terms, doc_ids, self.size)

    def informativeness(self, term: str, in_question: bool = False) -> float:
        """How much a term says: high when rare, near 0 when in every record.

        With `in_question`, how rare it is among questions: "training" is in
        most answers but few questions, so matching it in a question says more.
        A ratio of document counts, so it keeps its meaning as the corpus grows.
        """
        df = (self.question_postings if in_question else self.postings).count(term)
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))


class PairIndex:
    """BM25 over adjacent word pairs ("secur communiti"): a phrase matched counts beyond its words."""

    def __init__(self, pair_lists: Sequence[list[str]]):
        self.size = len(pair_lists)
        self.postings = _postings(pair_lists)

    def scores(self, pairs: Sequence[str]) -> np.ndarray:
        return self.postings.sum(pairs, self.size)


def adjacent_pairs(terms: Sequence[str]) -> list[str]:
    """Each term with the next one, as one token."""
    return [f"{a} {b}" for a, b in itertools.pairwise(terms)]
