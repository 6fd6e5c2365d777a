"""Answer quality on the development set (tests/data/devset.tsv)."""

from pathlib import Path

from bot.evaluation import evaluate, load_cases

DEVSET = Path(__file__).parent / "data" / "devset.tsv"


def test_devset_is_big_and_varied_enough():
    cases = load_cases(DEVSET)
    assert len(cases) >= 150
    assert sum(not c.refs for c in cases) >= 25


def test_engine_quality_on_the_devset(answerer):
    def rank(query):
        reply = answerer.answer(query)
        return reply.answered, [h.record.ref for h in reply.hits]

    scores = evaluate(load_cases(DEVSET), rank)
    report = "\n".join(
        f"line {c.line}: {c.query!r} -> {answered} {refs[:3]}" for c, answered, refs in scores.misses
    )
    assert scores.top1 >= 0.90, report
    assert scores.rejection >= 0.90, report
