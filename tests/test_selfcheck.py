"""`corpus check` asks every page's own questions, and says which do not come back as themselves."""

from __future__ import annotations

from dataclasses import replace

from bot.answerer import Answerer
from bot.selfcheck import ask_every_question


def test_the_real_pages_answer_their_own_questions(answerer):
    assert ask_every_question(answerer) == []


def test_fifty_states_answer_their_own_questions_from_their_own_state(fifty_state_answerer):
    assert ask_every_question(fifty_state_answerer) == []


def test_a_question_that_comes_back_as_another_record_is_reported(records):
    # AR-7's question made a copy of AR-8's: one of the two can no longer be told apart
    ar8 = next(r for r in records if r.ref == "AR-8")
    broken = [replace(r, question=ar8.question) if r.ref == "AR-7" else r for r in records]
    problems = [str(p) for p in ask_every_question(Answerer(broken))]
    assert any(p.startswith(("AR-7 asked", "AR-8 asked")) for p in problems), problems
