"""The answer engine: from a question to a decision, with the reasons for it.

Knows nothing about Slack. One Engine is built at start-up from the records
and answers any number of questions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import jellyfish
import numpy as np

from bot.corpus import Record
from bot.index import FieldedBM25
from bot.states import Mention, State, find_states, parse_state
from bot.text import ACRONYM_TERMS, EVERYDAY_WORDS, normalize, stem, strip_slack_markup, tokens, words

MAX_QUERY_CHARS = 4000
MAX_RESULTS = 5
# "Answered" is decided from ratios of document counts, which keep their
# meaning as the corpus grows (no raw BM25 cut-off): the best record must
# cover a share of the question's rarity-weighted words, match enough rare
# words, and be anchored (a word matched in its question, a domain acronym,
# or two different words), so one stray word in a long answer is not enough.
MIN_COVERAGE = 0.1
MIN_STRENGTH = 1.5
# Words found nowhere in the corpus count for less than a rare corpus word:
# chat ("journalist", "story") should not sink an on-topic question, but a
# question made only of them has nothing to match.
UNKNOWN_WORD_WEIGHT = 0.5

_REF_AFTER = re.compile(r"\s*[-#:]?\s*(?:q|question|no\.?|number|#)?\s*#?\s*(\d{1,3})\b", re.IGNORECASE)
_REF_BEFORE = re.compile(
    r"(?:\bq|\bquestion|#|\bno\.?|\bnumber)\s*#?\s*(\d{1,3})\s*[,:]?\s+(?:(?:in|for|from|of|on)\s+)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Hit:
    record: Record
    score: float
    matched: tuple[str, ...] = ()


@dataclass
class Reply:
    """What the engine decided for one question, and why."""

    query: str
    kind: str  # answer | lookup | no_match | not_covered | no_such_question
    hits: list[Hit] = field(default_factory=list)
    states: list[State] = field(default_factory=list)  # the state filter applied
    missing_states: list[State] = field(default_factory=list)  # named, not in the corpus
    others: list[Hit] = field(default_factory=list)  # closest question in each other state
    coverage: float = 0.0
    number: int | None = None  # the question number asked for, on a look-up

    @property
    def answered(self) -> bool:
        return self.kind in ("answer", "lookup")

    @property
    def best(self) -> Hit | None:
        return self.hits[0] if self.answered and self.hits else None


class Engine:
    def __init__(self, records: Sequence[Record], question_weight: float = 2.0):
        if not records:
            raise ValueError("the corpus has no records")
        self.records = list(records)
        self.by_ref = {r.ref: r for r in self.records}
        self.states = sorted({r.state for r in self.records})
        self._ids_by_state = {
            s: np.array([i for i, r in enumerate(self.records) if r.state == s]) for s in self.states
        }
        question_words = [words(r.question) for r in self.records]
        answer_words = [words(r.answer) for r in self.records]
        self.index = FieldedBM25(
            [[stem(w) for w in ws] for ws in question_words],
            [[stem(w) for w in ws] for ws in answer_words],
            question_weight=question_weight,
        )
        vocabulary = {w for ws in question_words + answer_words for w in ws}
        state_words = {w.lower() for s in self.states for w in s.name.split()}
        self.vocabulary = frozenset(vocabulary - state_words)
        self._vocabulary_by_length: dict[int, list[str]] = {}
        for w in self.vocabulary:
            self._vocabulary_by_length.setdefault(len(w), []).append(w)
        self._correct = lru_cache(maxsize=16384)(self._correct_uncached)

    # -- public ---------------------------------------------------------------

    def record_count(self, state: State) -> int:
        return len(self._ids_by_state.get(state, ()))

    def records_of(self, state: State) -> list[Record]:
        return [self.records[i] for i in self._ids_by_state.get(state, ())]

    def parse_state(self, text: str) -> State | None:
        return parse_state(normalize(text), self.vocabulary)

    def split_state(self, text: str) -> tuple[State | None, str]:
        """A leading state ("wv 12", "West Virginia training", "Ark.") and the rest of the text."""
        parts = normalize(text).split()
        for size in (3, 2, 1):
            if len(parts) < size:
                continue
            head = " ".join(parts[:size])
            if len(head) == 2:
                state = parse_state(head)
            else:
                found = find_states(head, self.vocabulary)
                state = (
                    found[0].state
                    if len(found) == 1 and (found[0].start, found[0].end) == (0, len(head))
                    else None
                )
            if state is not None:
                return state, " ".join(parts[size:])
        return None, text.strip()

    def answer(self, query: str, states: Sequence[State] | None = None) -> Reply:
        """Decide how to answer `query`; `states` forces the state filter."""
        text = normalize(strip_slack_markup(query))[:MAX_QUERY_CHARS]
        mentions = find_states(text, self.vocabulary)
        named = list(dict.fromkeys(m.state for m in mentions)) if states is None else list(states)
        covered = [s for s in named if s in self._ids_by_state]
        missing = [s for s in named if s not in self._ids_by_state]

        lookup = _find_lookup(text, mentions if states is None else [])
        if lookup is None and states is not None and len(states) == 1:
            only_number = re.fullmatch(r"\s*(?:q|question|#|no\.?)?\s*#?\s*(\d{1,3})\s*", text, re.IGNORECASE)
            if only_number:
                lookup = (states[0], int(only_number.group(1)))
        if lookup is not None:
            return self._lookup(query, *lookup)
        if named and not covered:
            return Reply(query, "not_covered", states=named, missing_states=missing)

        for m in reversed(mentions):  # state names are the filter, not search words
            text = text[: m.start] + " " + text[m.end :]
        query_words = [w for w in words(text) if not w.isdigit()]
        terms = list(dict.fromkeys(t for w in query_words for t in self._terms(w)))
        if not terms:
            return Reply(query, "no_match", states=covered, missing_states=missing)

        scores = self.index.scores(terms)
        pool = (
            np.concatenate([self._ids_by_state[s] for s in covered])
            if covered
            else np.arange(len(self.records))
        )
        ranked = [i for i in _top(pool, scores, MAX_RESULTS) if scores[i] > 0]
        hits = [self._hit(i, scores[i], terms, query_words) for i in ranked]
        if not hits:
            return Reply(query, "no_match", states=covered, missing_states=missing)

        coverage, strength, anchored = self._coverage(terms, ranked[0])
        answered = coverage >= MIN_COVERAGE and strength >= MIN_STRENGTH and anchored
        others = []
        if answered and not covered:
            top_state = hits[0].record.state
            for s in self.states:
                if s != top_state:
                    ids = self._ids_by_state[s]
                    best = ids[int(np.argmax(scores[ids]))]
                    if scores[best] > 0:
                        others.append(self._hit(best, scores[best], terms, query_words))
        return Reply(
            query,
            "answer" if answered else "no_match",
            hits=hits[:MAX_RESULTS] if answered else hits[:3],
            states=covered,
            missing_states=missing,
            others=others,
            coverage=coverage,
        )

    def related(self, record: Record, limit: int = MAX_RESULTS) -> list[Hit]:
        """Other records of the same state closest in meaning to `record`."""
        terms = list(dict.fromkeys(tokens(record.question)))
        scores = self.index.scores(terms)
        ranked = _top(self._ids_by_state[record.state], scores, limit + 1)
        return [self._hit(i, scores[i], terms, []) for i in ranked if self.records[i].ref != record.ref][
            :limit
        ]

    def compare(self, record: Record) -> list[Hit]:
        """The closest question to `record` in each other state (numbers do not line up)."""
        # the question twice: it says what the record is about more than its answer
        query = tokens(f"{record.question} {record.question} {record.answer}")
        terms = list(dict.fromkeys(query))
        scores = self.index.scores(query)
        out = []
        for s in self.states:
            if s == record.state:
                continue
            ids = self._ids_by_state[s]
            best = ids[int(np.argmax(scores[ids]))]
            out.append(self._hit(best, scores[best], terms, []))
        return out

    # -- internals ------------------------------------------------------------

    def _lookup(self, query: str, state: State, number: int) -> Reply:
        if state not in self._ids_by_state:
            return Reply(query, "not_covered", states=[state], missing_states=[state], number=number)
        record = self.by_ref.get(f"{state.code}-{number}")
        if record is None:
            return Reply(query, "no_such_question", states=[state], number=number)
        return Reply(query, "lookup", hits=[Hit(record, 0.0)], states=[state], coverage=1.0, number=number)

    def _terms(self, word: str) -> tuple[str, ...]:
        """The index terms for a query word: its stem, the corpus's word for it, or a typo fixed."""
        term = stem(word)
        if term in self.index.df:
            return (term,)
        if word in EVERYDAY_WORDS:
            return tuple(tokens(EVERYDAY_WORDS[word]))
        return (self._correct(word),)

    def _correct_uncached(self, word: str) -> str:
        """The stem of the corpus word one typo away (two for long words), else the stem."""
        if len(word) < 5 or not word.isalpha():
            return stem(word)
        limit = 1 if len(word) <= 8 else 2
        best: tuple[int, str] | None = None
        for length in range(len(word) - limit, len(word) + limit + 1):
            for candidate in self._vocabulary_by_length.get(length, ()):
                if candidate[0] != word[0]:
                    continue
                distance = jellyfish.damerau_levenshtein_distance(word, candidate)
                if distance <= limit and (best is None or (distance, candidate) < best):
                    best = (distance, candidate)
        return stem(best[1]) if best else stem(word)

    def _hit(self, doc_id: int, score: float, terms: list[str], query_words: list[str]) -> Hit:
        record_terms = self.index.doc_terms[doc_id]
        matched = [w for w in dict.fromkeys(query_words) if any(t in record_terms for t in self._terms(w))]
        if not query_words:
            matched = [t for t in terms if t in record_terms]
        return Hit(self.records[doc_id], float(score), tuple(matched))

    def _coverage(self, terms: list[str], doc_id: int) -> tuple[float, float, bool]:
        """How well one record matches: coverage, strength, and whether it is anchored.

        Coverage is the share of the question's rarity-weighted words that the
        record holds. Strength adds up the rarity of the matched words, counting
        a word matched in the record's question at its rarity among questions
        ("training" is in most answers but few questions, so it says more there).
        """
        in_record = self.index.doc_terms[doc_id]
        in_question = self.index.question_terms[doc_id]
        total = covered = strength = 0.0
        matched = 0
        anchored = False
        for term in terms:
            info = self.index.informativeness(term)
            if term not in self.index.df:
                info *= UNKNOWN_WORD_WEIGHT
            total += info
            if term in in_record:
                matched += 1
                covered += info
                strength += self.index.informativeness(term, in_question=term in in_question)
                anchored = anchored or term in in_question or term in ACRONYM_TERMS
        return (covered / total if total else 0.0), strength, anchored or matched >= 2


def _top(ids: np.ndarray, scores: np.ndarray, k: int) -> np.ndarray:
    """The k best of `ids` by score, best first, without sorting them all."""
    if len(ids) > k:
        ids = np.sort(ids[np.argpartition(-scores[ids], k - 1)[:k]])
    return ids[np.argsort(-scores[ids], kind="stable")]


def _find_lookup(text: str, mentions: list[Mention]) -> tuple[State, int] | None:
    """A direct look-up ("AR-7", "Arkansas Q7", "#3 in WV"), if the text is one."""
    for m in mentions:
        after = _REF_AFTER.match(text, m.end)
        if after:
            return m.state, int(after.group(1))
        before = _REF_BEFORE.search(text[: m.start])
        if before:
            return m.state, int(before.group(1))
    return None
