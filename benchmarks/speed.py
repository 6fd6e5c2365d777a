"""Index build time and per-question latency, next to plain rank-bm25, same run.

    python benchmarks/speed.py

Corpora: the real one, and synthetic ones of 1,000 and 10,000 records made
here from the real records under the 50 state names (never shipped as data).
Questions: the development set. The baseline is rank-bm25's own `get_scores`
on the same records (lower-case split, question + answer), so the ratio
column is what the engine costs relative to the library it is built on.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from rank_bm25 import BM25Okapi

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.answerer import Answerer  # noqa: E402
from bot.corpus import Record, load_corpus  # noqa: E402
from bot.evaluation import load_cases  # noqa: E402
from bot.states import ALL_STATES  # noqa: E402

QUESTIONS = [c.query for c in load_cases(ROOT / "tests" / "data" / "devset.tsv")]


def synthetic(real: list[Record], size: int) -> list[Record]:
    """`size` records spread over the 50 states, cycling through the real ones."""
    per_state = size // len(ALL_STATES)
    out = []
    for s_index, state in enumerate(ALL_STATES):
        for n in range(1, per_state + 1):
            source = real[(s_index * per_state + n) % len(real)]
            question = source.question.replace(source.state.name, state.name)
            answer = source.answer.replace(source.state.name, state.name)
            out.append(Record(state, n, question, answer, source.title, "synthetic", n))
    return out


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        for q in QUESTIONS:
            start = time.perf_counter()
            fn(q)
            out.append((time.perf_counter() - start) * 1000)
    return out


def bench(name: str, records: list[Record], repeat: int) -> None:
    start = time.perf_counter()
    answerer = Answerer(records)
    build = time.perf_counter() - start
    start = time.perf_counter()
    plain = BM25Okapi([f"{r.question} {r.answer}".lower().split() for r in records])
    plain_build = time.perf_counter() - start

    answerer.answer("warm up")
    ours = timed(answerer.answer, repeat)
    theirs = timed(lambda q: plain.get_scores(q.lower().split()), repeat)
    med, p99 = statistics.median(ours), percentile(ours, 99)
    b_med, b_p99 = statistics.median(theirs), percentile(theirs, 99)
    print(
        f"{name:<10}{len(records):>7}  build {build:7.3f}s (plain {plain_build:6.3f}s)  "
        f"engine median {med:6.3f} ms p99 {p99:6.3f} ms | "
        f"get_scores median {b_med:6.3f} ms p99 {b_p99:6.3f} ms | p99 ratio {p99 / b_p99:5.2f}"
    )


def cold_start(runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "bot", "ask", "civil rights in Arkansas"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    real = load_corpus()
    print(f"{len(QUESTIONS)} questions per pass; latency is a whole answerer.answer() call")
    bench("real", real, repeat=20)
    bench("synthetic", synthetic(real, 1000), repeat=5)
    bench("synthetic", synthetic(real, 10000), repeat=2)
    print(f"cold start of `python -m bot ask` (median of 5): {cold_start():.3f} s")


if __name__ == "__main__":
    main()
