"""What the answerer decided for one question, and why: plain data, no Slack."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from bot.corpus import Record
from bot.states import State

# Reply.kind is one of: answer: given as the answer; lookup: asked for by ref; clarify: a close call, choices offered;
# choose_state: names no state while many are covered; the best record in each state that has it;
# not_in_pages: asks for facts the pages cannot hold (statistics, names, a person's case...);
# no_match, not_covered, no_such_question: not answered.


class Hit(NamedTuple):
    """A record shown for a question. A NamedTuple, not a frozen dataclass: as immutable, with
    the same repr and hash, and made in half the time (a reply may show fifty)."""

    record: Record
    score: float
    # the question's words it holds: given on an answer's best hit, where they are shown
    matched: tuple[str, ...] = ()


def make_hits(records: Iterable[Record], scores: Iterable[float]) -> list[Hit]:
    """Hits of `records`, each with its score (nothing matched), as Hit(record, score) makes them,
    but by tuple's own __new__: Hit's is a Python function, a third of the time of fifty hits."""
    new = tuple.__new__
    return [new(Hit, (record, score, ())) for record, score in zip(records, scores, strict=True)]


@dataclass
class Reply:
    query: str
    kind: str
    hits: list[Hit] = field(default_factory=list)
    states: list[State] = field(default_factory=list)  # the state filter applied
    missing_states: list[State] = field(default_factory=list)  # named, not in the corpus
    others: list[Hit] = field(default_factory=list)  # closest question in each other state
    coverage: float = 0.0
    number: int | None = None  # the question number asked for, on a look-up
    reasons: tuple[str, ...] = ()  # why it was not answered (the decision's words)
    alternatives: list[Hit] = field(default_factory=list)  # close runner-ups: "Did you mean"
    beyond: str | None = None  # on not_in_pages: the kind of fact asked for ("statistics", ...)
    follows: str | None = None  # a follow-up in a thread: the ref it was read in the light of
    by_default: bool = False  # the state filter is the channel's own state, not named in the question

    @property
    def answered(self) -> bool:
        return self.kind in ("answer", "lookup")

    @property
    def best(self) -> Hit | None:
        return self.hits[0] if self.answered and self.hits else None

    def as_json(self) -> dict[str, Any]:
        """The machine-readable form (`ask --json`)."""
        best = self.best
        return {
            "query": self.query,
            "answered": self.answered,
            "kind": self.kind,
            "results": [
                {
                    "ref": h.record.ref,
                    "state": h.record.state.name,
                    "number": h.record.number,
                    "question": h.record.question,
                    "score": round(h.score, 4),
                }
                for h in self.hits
            ],
            "why": {
                "state_filter": [s.code for s in self.states],
                "not_covered": [s.code for s in self.missing_states],
                "matched": list(best.matched) if best else [],
                "coverage": round(self.coverage, 3),
                "reasons": list(self.reasons),
                "follows": self.follows,
                "by_default": self.by_default,
            },
            "alternatives": [{"ref": h.record.ref, "question": h.record.question} for h in self.alternatives],
            "other_states": [{"ref": h.record.ref, "question": h.record.question} for h in self.others],
        }
