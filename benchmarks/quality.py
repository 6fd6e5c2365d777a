"""Answer quality on the development set: the engine next to plain rank-bm25.

    python benchmarks/quality.py

The baseline is what rank-bm25 gives with no help: lower-case whitespace
split, question + answer as one text, no state handling, no threshold.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rank_bm25 import BM25Okapi

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.answerer import Answerer  # noqa: E402
from bot.corpus import load_corpus  # noqa: E402
from bot.evaluation import evaluate, load_cases  # noqa: E402

DEVSET = ROOT / "tests" / "data" / "devset.tsv"


def main() -> None:
    records = load_corpus()
    cases = load_cases(DEVSET)
    answerer = Answerer(records)

    def engine_rank(query: str) -> tuple[bool, list[str]]:
        reply = answerer.answer(query)
        return reply.answered, [h.record.ref for h in reply.hits]

    plain = BM25Okapi([f"{r.question} {r.answer}".lower().split() for r in records])

    def plain_rank(query: str) -> tuple[bool, list[str]]:
        scores = plain.get_scores(query.lower().split())
        order = sorted(range(len(records)), key=lambda i: -scores[i])[:5]
        return True, [records[i].ref for i in order]

    print(f"dev set: {len(cases)} questions ({DEVSET.relative_to(ROOT)})")
    print(f"{'ranker':<16}{'top-1':>8}{'MRR@5':>8}{'rejected':>10}")
    for name, ranker in [("engine", engine_rank), ("plain rank-bm25", plain_rank)]:
        s = evaluate(cases, ranker)
        print(f"{name:<16}{s.top1:>8.3f}{s.mrr5:>8.3f}{s.rejection:>10.3f}")
    print(f"({s.answerable} answerable, {s.rejectable} that must not be answered)")


if __name__ == "__main__":
    main()
