"""Asking every page's own questions: what an editor needs to know when a page is dropped in.

Each record's question is asked as written (it must come back as that record)
and without its state's name but with that state as the filter (likewise). A
question that comes back as another record, or from another state, is a
problem with the page or with the answering, reported with both refs.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.answerer import Answerer


@dataclass(frozen=True)
class SelfCheckProblem:
    ref: str
    how: str  # "as written" or "within its state"
    got: str | None  # the ref that came back as the answer, or None when none did
    kind: str  # the answerer's decision (answer, clarify, no_match...)

    def __str__(self) -> str:
        if self.got is None:
            return f"{self.ref} asked {self.how}: not answered ({self.kind})"
        other_state = self.got.split("-")[0] != self.ref.split("-")[0]
        return f"{self.ref} asked {self.how}: answered {self.got}" + (
            " (another state!)" if other_state else ""
        )


def ask_every_question(answerer: Answerer) -> list[SelfCheckProblem]:
    problems = []
    for record in answerer.records:
        as_written = answerer.answer(record.question)
        without_state = record.question.replace(record.state.name, " ")
        within_state = answerer.answer(without_state, states=[record.state])
        for how, reply in (("as written", as_written), ("within its state", within_state)):
            got = reply.best.record.ref if reply.best else None
            # a question whose text names no state is rightly answered with a choice of states
            offered = reply.kind == "choose_state" and record.ref in {h.record.ref for h in reply.hits}
            if got != record.ref and not offered:
                problems.append(SelfCheckProblem(record.ref, how, got, reply.kind))
    return problems
