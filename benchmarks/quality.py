"""Answer quality: the answerer next to plain rank-bm25, on the tuning and the held-out question sets.

    python benchmarks/quality.py            # the table
    python benchmarks/quality.py --misses   # and every miss of the tuning set

tests/data/tuning.tsv is what thresholds and word lists were fitted on;
tests/data/heldout.tsv was written from the pages by helpers who had not
seen the engine, and nothing is fitted on it: no threshold, word or pattern
came from its questions, though its totals were read after each change.
tests/data/heldout_fresh.tsv was written the same way by another helper,
committed before it was run, and run once, after the last change: the least
tuned figure there is. Each fresh set joins the held-out one when a newer
one replaces it.
The baseline is what rank-bm25 gives with no help: lower-case whitespace
split, question + answer as one text, no state handling, always answering.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rank_bm25 import BM25Okapi

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.answerer import Answerer  # noqa: E402
from bot.corpus import load_corpus  # noqa: E402
from bot.evaluation import evaluate, load_cases  # noqa: E402

SETS = {
    "tuning": ROOT / "tests/data/tuning.tsv",
    "held-out": ROOT / "tests/data/heldout.tsv",
    "fresh": ROOT / "tests/data/heldout_fresh.tsv",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true", help="list the tuning set's misses")
    args = parser.parse_args()
    records = load_corpus()
    answerer = Answerer(records)

    def answerer_rank(query: str) -> tuple[bool, list[str]]:
        reply = answerer.answer(query)
        return reply.answered, [h.record.ref for h in reply.hits]

    plain = BM25Okapi([f"{r.question} {r.answer}".lower().split() for r in records])

    def plain_rank(query: str) -> tuple[bool, list[str]]:
        scores = plain.get_scores(query.lower().split())
        order = sorted(range(len(records)), key=lambda i: -scores[i])[:5]
        return True, [records[i].ref for i in order]

    print(f"{'set':<10}{'ranker':<17}{'right':>7}{'wrong':>7}{'offered':>9}{'out-of-scope answered':>23}")
    for set_name, path in SETS.items():
        cases = load_cases(path)
        for name, ranker in [("answerer", answerer_rank), ("plain rank-bm25", plain_rank)]:
            s = evaluate(cases, ranker)
            print(
                f"{set_name:<10}{name:<17}{s.right_rate:>7.3f}{s.wrong_rate:>7.3f}"
                f"{s.offered_rate:>9.3f}{s.out_of_scope_rate:>23.3f}"
            )
        print(f"{'':<10}({s.answerable} answerable, {s.out_of_scope} the pages cannot answer; {path.name})")
    if args.misses:
        s = evaluate(load_cases(SETS["tuning"]), answerer_rank)
        for case, answered, refs in s.misses:
            wanted = ",".join(sorted(case.refs)) or "-"
            print(f"{case.line:>4} want {wanted:<12} got {'A' if answered else '.'} {refs[:3]}  {case.query}")


if __name__ == "__main__":
    main()
