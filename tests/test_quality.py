"""Answer quality on the tuning set and on the held-out sets (nothing is fitted on them).

Floors sit just under what each set measured after the last round of tuning:
tuning (1,914) right 0.919, wrong 0.020, out-of-scope answered 0.011; held-out
(1,149 questions, totals read during the work) right 0.927, wrong 0.024,
out-of-scope answered 0.021; fresh (145, run once) right 0.949, wrong 0.025,
out-of-scope answered 0.030. Issue 8 asks for held-out right >= 0.90, wrong
<= 0.04 and out-of-scope answered <= 0.05: both held-out sets meet all three.
"""

from pathlib import Path

import pytest

from bot.evaluation import evaluate, load_cases

DATA = Path(__file__).parent / "data"


def rank_with(answerer):
    def rank(query):
        reply = answerer.answer(query)
        return reply.answered, [h.record.ref for h in reply.hits]

    return rank


def report(scores) -> str:
    return "\n".join(
        f"line {c.line}: {c.query!r} -> {answered} {refs[:3]}" for c, answered, refs in scores.misses
    )


@pytest.mark.parametrize("name", ["tuning.tsv", "heldout.tsv", "heldout_fresh.tsv"])
def test_question_sets_are_big_and_varied_enough(name):
    cases = load_cases(DATA / name)
    assert len(cases) >= 130
    assert sum(not c.refs for c in cases) >= 40


def test_quality_on_the_tuning_set(answerer):
    scores = evaluate(load_cases(DATA / "tuning.tsv"), rank_with(answerer))
    assert scores.right_rate >= 0.915, report(scores)
    assert scores.wrong_rate <= 0.025, report(scores)
    assert scores.out_of_scope_rate <= 0.015, report(scores)


def test_quality_on_the_held_out_set(answerer):
    scores = evaluate(load_cases(DATA / "heldout.tsv"), rank_with(answerer))
    # no miss report here: the held-out misses are not read while tuning
    assert scores.right_rate >= 0.92
    assert scores.wrong_rate <= 0.028
    assert scores.out_of_scope_rate <= 0.025


def test_quality_on_the_fresh_held_out_set(answerer):
    scores = evaluate(load_cases(DATA / "heldout_fresh.tsv"), rank_with(answerer))
    assert scores.right_rate >= 0.94
    assert scores.wrong_rate <= 0.03
    assert scores.out_of_scope_rate <= 0.035  # batch 9 as first run: 2 of 66
