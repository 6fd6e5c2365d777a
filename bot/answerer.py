"""The answerer: from a plain-text question to a Reply, through the pipeline's stages.

Stages, each in its own module: look-ups by ref (bot/lookup.py), query
understanding (bot/query.py), ranking (bot/ranking.py over bot/index.py) and
the decision (bot/decision.py). Knows nothing about Slack; built once at
start-up, it answers any number of questions.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bot.corpus import Record
from bot.decision import close_calls, on_topic, weigh, weigh_each
from bot.index import FieldedBM25, PairIndex, Way
from bot.lookup import find_lookup, number_only, split_state
from bot.query import Query, QueryReader, is_english_word
from bot.ranking import Ranker
from bot.reply import Hit, Reply, make_hits
from bot.scope import asks_to_compare, beyond_the_pages
from bot.states import State, parse_state
from bot.text import (
    named_phrases,
    normalize,
    stems,
    subject_terms,
    tokens,
    words,
)

MAX_RESULTS = 5
# With more states than this, a question that names none is not answered from one of
# them: the asker picks the state (with two, both are shown: the answer and the other).
FEW_STATES = 2


class Answerer:
    def __init__(self, records: Sequence[Record], question_weight: float = 2.0):
        if not records:
            raise ValueError("the corpus has no records")
        self.records = list(records)
        self.by_ref = {r.ref: r for r in self.records}
        question_words = [words(r.question) for r in self.records]
        answer_words = [words(r.answer) for r in self.records]
        stem_of = stems(w for ws in question_words + answer_words for w in ws)
        question_terms = [[stem_of[w] for w in ws] for ws in question_words]
        answer_terms = [[stem_of[w] for w in ws] for ws in answer_words]
        self.index = FieldedBM25(question_terms, answer_terms, question_weight=question_weight)
        # word pairs from questions only: a record's question says what it is about, and the
        # answers' pairs would be most of the index at 10,000 records (nearly all unique)
        # and from an answer's capitalised phrases: the names of programmes and laws and the
        # headings of its lists ("Secure Communities", "Complaint Boards"), few per record
        phrases = [[tokens(phrase) for phrase in named_phrases(r.answer)] for r in self.records]
        pairs = PairIndex(question_terms, self.index.columns, phrases)
        self.ranker = Ranker(self.records, self.index, pairs)
        self.states = self.ranker.states
        state_words = {w.lower() for s in self.states for w in s.name.split()}
        vocabulary = {w for ws in question_words + answer_words for w in ws} - state_words
        self.reader = QueryReader(vocabulary, self.index.terms)

    def warm_up(self) -> None:
        """Load what the first question would otherwise wait for (the English word list: 0.1 s)."""
        is_english_word("warm")
        self.answer("warm up")

    # -- the corpus ------------------------------------------------------------

    def record_count(self, state: State) -> int:
        return len(self.ranker.ids_by_state.get(state, ()))

    def records_of(self, state: State) -> list[Record]:
        return [self.records[i] for i in self.ranker.ids_by_state.get(state, ())]

    def parse_state(self, text: str) -> State | None:
        return parse_state(normalize(text), self.reader.vocabulary)

    def split_state(self, text: str) -> tuple[State | None, str]:
        """A leading state ("wv 12", "West Virginia training", "Ark.") and the rest of the text."""
        return split_state(normalize(text), self.reader.vocabulary)

    # -- answering -------------------------------------------------------------

    def answer(self, text: str, states: Sequence[State] | None = None, default: State | None = None) -> Reply:
        """Decide how to answer the plain-text question `text`.

        `states` forces the state filter; `default` is the state to read a question
        that names none as (a channel's own state).
        """
        query = self.reader.read(text)
        named = query.named_states if states is None else list(states)
        use_default = default is not None and not named and not find_lookup(query.text, list(query.mentions))
        if use_default:
            reply = self.answer(text, states=[default])
            reply.by_default = True
            return reply
        covered = [s for s in named if s in self.ranker.ids_by_state]
        missing = [s for s in named if s not in self.ranker.ids_by_state]

        lookup = find_lookup(query.text, list(query.mentions) if states is None else [])
        if lookup is None and states is not None and len(states) == 1:
            number = number_only(query.text)
            lookup = (states[0], number) if number is not None else None
        if lookup is not None:
            return self._lookup(text, *lookup)
        if named and not covered:
            return Reply(text, "not_covered", states=named, missing_states=missing)
        if not query.terms:
            return Reply(text, "no_match", states=covered, missing_states=missing)

        scores = self.ranker.scores(query.terms, query.pairs)
        for state in query.excluded:  # "except arkansas": none of its records, as answer or as other
            scores[self.ranker.ids_by_state.get(state, [])] = 0.0
        pool = self.ranker.pool(covered)
        # no state named, many covered: the asker picks a state, from each state's best record;
        # the few closest records overall are looked for only if the question is refused
        choosing = not covered and len(self.states) > FEW_STATES
        if choosing:
            each, each_scores = self.ranker.best_in_each_state_scored(scores)
            at = _best_of(each_scores)  # the best state's place in `each` (None: no record scores)
            ranked = [] if at is None else [each[at]]
            hits = []
        else:
            ranked = self.ranker.top(scores, pool, MAX_RESULTS)
            hits = self._hits(ranked, scores)

        def closest() -> list[Hit]:  # related reading for a refusal
            return hits[:3] if not choosing else self._hits(self.ranker.top(scores, pool, 3), scores)

        # another subject first: "how do i set my slack status" is not a person's case the pages lack
        if not named and not self._on_topic(query):
            return Reply(
                text,
                "no_match",
                hits=closest(),
                reasons=("names no state, and its other words are not the pages' subject",),
            )
        beyond = beyond_the_pages(query.text, [(m.start, m.end) for m in query.mentions])
        if not beyond and covered and missing and asks_to_compare(query.text):
            beyond = "comparisons"  # one side is a state without a page: half an answer would mislead
        if beyond:  # the closest records are related reading, never the answer
            return Reply(
                text,
                "not_in_pages",
                hits=closest(),
                states=covered,
                missing_states=missing,
                reasons=(f"asks for {beyond}, which the pages do not hold",),
                beyond=beyond,
            )
        if not ranked:
            return Reply(text, "no_match", states=covered, missing_states=missing)
        if choosing:  # every state's best at once (most such questions get this far to choose a state)
            evidence, enough = weigh_each(self.index, query.terms, self.index.holdings(query.terms, each), at)
        else:  # looked up once: for the decision and, if it answers, the words it matched
            way = self.index.way(query.terms, ranked[0])
            evidence = weigh(self.index, query.terms, way)
        if not evidence.enough:
            return Reply(
                text,
                "no_match",
                hits=closest(),
                states=covered,
                missing_states=missing,
                coverage=evidence.coverage,
                reasons=evidence.reasons,
            )
        if choosing:
            return self._choose_state(text, each, each_scores, at, enough, evidence.coverage)
        toss_up, rivals = close_calls(
            [h.score for h in hits], [h.record.state == hits[0].record.state for h in hits]
        )
        if toss_up:
            return Reply(
                text,
                "clarify",
                hits=[hits[0], *(hits[i] for i in rivals)],
                states=covered,
                missing_states=missing,
                coverage=evidence.coverage,
                reasons=("two answers are about as close",),
            )
        others = []
        if not covered:
            best_elsewhere = self.ranker.best_in_each_state(scores, skip=hits[0].record.state)
            others = sorted(
                self._hits([i for i in best_elsewhere if scores[i] > 0], scores), key=lambda h: -h.score
            )
        # the words matched are shown with the answer only ("Why this answer"): looked up for it alone
        best = hits[0]._replace(matched=self._matched_words(query, way))
        return Reply(
            text,
            "answer",
            hits=[best, *hits[1:]],
            states=covered,
            missing_states=missing,
            others=others,
            coverage=evidence.coverage,
            alternatives=[hits[i] for i in rivals],
        )

    def _on_topic(self, query: Query) -> bool:
        counted, subject, everyday = subject_terms(query.text, query.terms)
        return on_topic(counted, query.strange, subject, everyday, hints=query.terms)

    def follow_up(self, text: str, previous_ref: str) -> Reply:
        """A question asked in the thread of an answer (`previous_ref`), read in its light.

        A ref, or a question that names a state and a topic, starts afresh.
        "what about West Virginia?" keeps the topic and switches the state;
        "and what training do they get?" keeps the state.
        """
        previous = self.by_ref.get(previous_ref)
        query = self.reader.read(text)
        named = query.named_states
        if previous is None or find_lookup(query.text, list(query.mentions)) or (named and query.terms):
            return self.answer(text)
        if named:  # only a state: the thread's topic, there
            reply = self.answer(previous.question, states=named)
        elif query.terms:  # only a topic: the thread's state
            reply = self.answer(text, states=[previous.state])
        else:
            return self.answer(text)
        reply.query = text
        reply.follows = previous.ref
        return reply

    def related(self, record: Record, limit: int = MAX_RESULTS) -> list[Hit]:
        """Other records of the same state closest in meaning to `record`."""
        terms = list(dict.fromkeys(tokens(record.question)))
        scores = self.ranker.scores(terms)
        ranked = self.ranker.top(scores, self.ranker.ids_by_state[record.state], limit + 1)
        return self._hits([i for i in ranked if self.records[i].ref != record.ref][:limit], scores)

    def compare(self, record: Record) -> list[Hit]:
        """The closest question to `record` in each other state (numbers do not line up)."""
        # the question twice: it says what the record is about more than its answer
        scores = self.ranker.scores(tokens(f"{record.question} {record.question} {record.answer}"))
        closest = self.ranker.best_in_each_state(scores, skip=record.state)
        return sorted(self._hits(closest, scores), key=lambda h: -h.score)

    # -- internals ---------------------------------------------------------------

    def _choose_state(
        self,
        text: str,
        each: list[int],
        values: list[float],
        best: int,
        enough: list[bool],
        coverage: float,
    ) -> Reply:
        """The topic of a question that names no state (`each` state's best record, scored
        `values`: the best of them, at `best`, covering `coverage` of the question), and the
        states whose pages answer it (the others `enough` to answer with)."""
        # some fifty records: kept in lists, numpy's calls on such small arrays cost more than they do
        picked = [j for j, value in enumerate(values) if enough[j] and value > 0 and j != best]
        picked.sort(key=values.__getitem__, reverse=True)  # best first; stable: ties in state order
        shown = [best, *picked]
        records = self.records
        hits = make_hits([records[each[j]] for j in shown], [values[j] for j in shown])
        return Reply(text, "choose_state", hits=hits, coverage=coverage, reasons=("names no state",))

    def _lookup(self, text: str, state: State, number: int) -> Reply:
        if state not in self.ranker.ids_by_state:
            return Reply(text, "not_covered", states=[state], missing_states=[state], number=number)
        record = self.by_ref.get(f"{state.code}-{number}")
        if record is None:
            return Reply(text, "no_such_question", states=[state], number=number)
        return Reply(text, "lookup", hits=[Hit(record, 0.0)], states=[state], coverage=1.0, number=number)

    def _hits(self, doc_ids: Sequence[int], scores: np.ndarray) -> list[Hit]:
        """Records as shown: each with its score."""
        records = self.records
        return make_hits([records[i] for i in doc_ids], scores[doc_ids].tolist())

    def _matched_words(self, query: Query, way: Way) -> tuple[str, ...]:
        """The question's words a record holds (`way`: how it holds the terms): a word matches
        if any term it was read as is held."""
        held = {t for t, how in zip(query.terms, way, strict=True) if how}
        return tuple(w for w in query.words if any(t in held for t in query.word_terms[w]))


def _best_of(values: list[float]) -> int | None:
    """Where the best of `values` is, if positive (ties: the first), else None."""
    best = max(values, default=0.0)
    return values.index(best) if best > 0 else None
