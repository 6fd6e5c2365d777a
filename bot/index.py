"""BM25 over two fields (question, answer), built once, scored in microseconds.

rank-bm25 fits the model (idf, document lengths, k1, b). Its `get_scores`
walks every document for every query term in Python, which is too slow for
10,000 records, so each term's BM25 weight in each document is computed once
here from the fitted model and kept as a posting list; the fitted models are
then dropped. A query's scores are the same numbers `get_scores` gives (a test
checks this), summed over far fewer documents. Postings are the only thing
kept per term (int32 ids, float32 weights): which record holds a term, and how
many do, are read from them rather than from per-record term sets.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
from rank_bm25 import BM25Okapi

Posting = tuple[np.ndarray, np.ndarray]  # (sorted record ids, the term's BM25 weight in each)


def _postings(documents: Sequence[list[str]]) -> dict[str, Posting]:
    """term -> (document ids, BM25 weight of the term in each of them), fitted by rank-bm25."""
    model = BM25Okapi([doc or ["\0"] for doc in documents])  # rank-bm25 needs a token per document
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
        id_array = np.asarray(doc_ids, dtype=np.int32)
        tf = np.asarray(tfs[term], dtype=float)
        weight = model.idf.get(term, 0.0) * tf * (model.k1 + 1) / (tf + norm[id_array])
        out[term] = (id_array, weight.astype(np.float32))
    return out


def _sum(postings: dict[str, Posting], terms: Sequence[str], size: int) -> np.ndarray:
    out = np.zeros(size)
    for term in terms:
        posting = postings.get(term)
        if posting is not None:
            out[posting[0]] += posting[1]
    return out


def _holds(ids: np.ndarray | None, doc_ids: np.ndarray) -> np.ndarray:
    """For each of `doc_ids`, whether it is in the sorted `ids` (a few numpy calls, any count)."""
    if ids is None or not len(ids):
        return np.zeros(len(doc_ids), dtype=bool)
    at = np.searchsorted(ids, doc_ids)
    return ids[np.minimum(at, len(ids) - 1)] == doc_ids


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
        in_questions = _postings(questions)
        self.postings = _postings(answers)
        for term, (ids, weight) in in_questions.items():
            self.postings[term] = _merge(self.postings.get(term), ids, weight * np.float32(question_weight))
        self.question_ids = {term: ids for term, (ids, _) in in_questions.items()}

    def scores(self, query: Sequence[str]) -> np.ndarray:
        """BM25 score of every record for the query tokens (repeats count, as in rank-bm25)."""
        return _sum(self.postings, query, self.size)

    def knows(self, term: str) -> bool:
        return term in self.postings

    def holds(self, term: str, doc_ids: np.ndarray, *, in_question: bool = False) -> np.ndarray:
        """For each of `doc_ids`, whether that record holds `term` (in its question, with `in_question`)."""
        if in_question:
            return _holds(self.question_ids.get(term), doc_ids)
        posting = self.postings.get(term)
        return _holds(posting[0] if posting else None, doc_ids)

    def informativeness(self, term: str, in_question: bool = False) -> float:
        """How much a term says: high when rare, near 0 when in every record.

        With `in_question`, how rare it is among questions: "training" is in
        most answers but few questions, so matching it in a question says more.
        A ratio of document counts, so it keeps its meaning as the corpus grows.
        """
        if in_question:
            df = len(self.question_ids.get(term, ()))
        else:
            posting = self.postings.get(term)
            df = len(posting[0]) if posting else 0
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))


def _merge(existing: Posting | None, ids: np.ndarray, weight: np.ndarray) -> Posting:
    if existing is None:
        return ids, weight
    keep = np.union1d(existing[0], ids).astype(np.int32)
    merged = np.zeros(len(keep), dtype=np.float32)
    merged[np.searchsorted(keep, existing[0])] += existing[1]
    merged[np.searchsorted(keep, ids)] += weight
    return keep, merged


class PairIndex:
    """BM25 over adjacent word pairs ("secur communiti"): a phrase matched counts beyond its words."""

    def __init__(self, pair_lists: Sequence[list[str]]):
        self.size = len(pair_lists)
        self.postings = _postings(pair_lists)

    def scores(self, pairs: Sequence[str]) -> np.ndarray:
        return _sum(self.postings, pairs, self.size)


def adjacent_pairs(terms: Sequence[str]) -> list[str]:
    """Each term with the next one, as one token."""
    return [f"{a} {b}" for a, b in itertools.pairwise(terms)]
