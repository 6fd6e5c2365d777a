"""BM25 over two fields (question, answer), built once, scored in microseconds.

rank-bm25 fits the model (idf, document lengths, k1, b). Its `get_scores`
walks every document for every query term in Python, which is too slow for
10,000 records, so each term's BM25 weight in each document is computed once
here from the fitted model and kept as a posting list. A query's scores are
then the same numbers `get_scores` gives (a test checks this), summed over
far fewer documents.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
from rank_bm25 import BM25Okapi


def _postings(model: BM25Okapi) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """term -> (document ids, BM25 weight of the term in each of them)."""
    ids: dict[str, list[int]] = {}
    tfs: dict[str, list[int]] = {}
    for doc_id, freqs in enumerate(model.doc_freqs):
        for term, tf in freqs.items():
            ids.setdefault(term, []).append(doc_id)
            tfs.setdefault(term, []).append(tf)
    doc_len = np.asarray(model.doc_len, dtype=float)
    norm = model.k1 * (1 - model.b + model.b * doc_len / model.avgdl)
    out = {}
    for term, doc_ids in ids.items():
        id_array = np.asarray(doc_ids, dtype=np.int64)
        tf = np.asarray(tfs[term], dtype=float)
        weight = model.idf.get(term, 0.0) * tf * (model.k1 + 1) / (tf + norm[id_array])
        out[term] = (id_array, weight)
    return out


class FieldedBM25:
    """BM25 on a question field and an answer field; the question weighs more."""

    def __init__(
        self,
        questions: Sequence[list[str]],
        answers: Sequence[list[str]],
        question_weight: float = 2.0,
    ):
        self.size = len(questions)
        self.question_model = BM25Okapi(list(questions))
        self.answer_model = BM25Okapi(list(answers))
        self.question_weight = question_weight
        self.postings = _postings(self.answer_model)
        for term, (ids, weight) in _postings(self.question_model).items():
            self.postings[term] = _merge(self.postings.get(term), ids, weight * question_weight)
        self.question_terms = [frozenset(q) for q in questions]
        self.doc_terms = [frozenset(q) | frozenset(a) for q, a in zip(questions, answers, strict=True)]
        self.df = _document_frequencies(self.doc_terms)
        self.question_df = _document_frequencies(self.question_terms)

    def scores(self, query: Sequence[str]) -> np.ndarray:
        """BM25 score of every record for the query tokens (repeats count, as in rank-bm25)."""
        out = np.zeros(self.size)
        for term in query:
            posting = self.postings.get(term)
            if posting is not None:
                out[posting[0]] += posting[1]
        return out

    def informativeness(self, term: str, in_question: bool = False) -> float:
        """How much a term says: high when rare, near 0 when in every record.

        With `in_question`, how rare it is among questions: "training" is in
        most answers but few questions, so matching it in a question says more.
        A ratio of document counts, so it keeps its meaning as the corpus grows.
        """
        df = (self.question_df if in_question else self.df).get(term, 0)
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))


def _document_frequencies(term_sets: Sequence[frozenset[str]]) -> dict[str, int]:
    df: dict[str, int] = {}
    for terms in term_sets:
        for term in terms:
            df[term] = df.get(term, 0) + 1
    return df


def _merge(
    existing: tuple[np.ndarray, np.ndarray] | None, ids: np.ndarray, weight: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    if existing is None:
        return ids, weight
    merged = np.zeros(int(max(existing[0].max(), ids.max())) + 1)
    merged[existing[0]] += existing[1]
    merged[ids] += weight
    keep = np.union1d(existing[0], ids)
    return keep, merged[keep]


class PairIndex:
    """BM25 over adjacent word pairs ("secur communiti"): a phrase matched counts beyond its words."""

    def __init__(self, pair_lists: Sequence[list[str]]):
        self.size = len(pair_lists)
        # rank-bm25 needs one token per document at least; an empty record gets a placeholder
        model = BM25Okapi([pairs or ["\0"] for pairs in pair_lists])
        self.postings = _postings(model)

    def scores(self, pairs: Sequence[str]) -> np.ndarray:
        out = np.zeros(self.size)
        for pair in pairs:
            posting = self.postings.get(pair)
            if posting is not None:
                out[posting[0]] += posting[1]
        return out


def adjacent_pairs(terms: Sequence[str]) -> list[str]:
    """Each term with the next one, as one token."""
    return [f"{a} {b}" for a, b in itertools.pairwise(terms)]
