"""Build time, index memory and per-question latency, next to rank-bm25 and bm25s in the same run.

    python benchmarks/speed.py            # about a minute
    python benchmarks/speed.py --quick    # smaller repeats

Corpora: the real one (2 states); fifty states made from the real pages as the
tests make them (tests/support/corpora.py); and synthetic ones of 1,000 and
10,000 records whose answers are all distinct, with lengths that vary like the
real pages' and a vocabulary that grows with the corpus (real words, Zipf
weighted, mixed with made-up ones). Nothing here is shipped as data.

Per corpus: build time and index memory (tracemalloc, what the build keeps),
then per question median/p99 of: the whole answer (`Answerer.answer`: state
names, query understanding, ranking, decision); ranking alone (scores and
top 5); rank-bm25's `get_scores`; bm25s's `retrieve` (top 5). Ratios are
against bm25s, measured in the same run, since these machines are noisy. First,
the machine's own tail: the same fixed 100 µs of Python work timed again and
again (its p99 over its median is what the machine adds to any p99 here). Last,
per corpus, questions a server that has been up a while has not seen (warmed on
the held-out questions, then the tuning ones once).
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import bm25s
from rank_bm25 import BM25Okapi

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.answerer import Answerer  # noqa: E402
from bot.corpus import Record, load_corpus  # noqa: E402
from bot.evaluation import load_cases  # noqa: E402
from bot.states import ALL_STATES  # noqa: E402
from bot.text import words  # noqa: E402
from tests.support.corpora import write_many_state_corpus  # noqa: E402

QUESTIONS = [c.query for c in load_cases(ROOT / "tests" / "data" / "tuning.tsv")]
# other questions, to warm a server up on before it is asked ones it has not seen
WARM_UP = [c.query for c in load_cases(ROOT / "tests" / "data" / "heldout.tsv")]


def synthetic(real: list[Record], size: int, seed: int = 7) -> list[Record]:
    """`size` distinct records over the 50 states, vocabulary growing with `size`."""
    rng = random.Random(seed)
    counts = Counter(w for r in real for w in (r.question + " " + r.answer).lower().split())
    real_words, real_weights = zip(*counts.most_common(), strict=True)
    syllables = ["ka", "ro", "mi", "te", "su", "na", "vel", "dor", "ith", "gan", "pre", "lo", "quin", "zu"]
    made_up = ["".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(size * 3)]
    made_up_weights = [1 / (i + 1) for i in range(len(made_up))]  # Zipf
    lengths = [len(r.answer.split()) for r in real]
    per_state = size // len(ALL_STATES)

    def text(n: int) -> str:
        real_part = rng.choices(real_words, real_weights, k=int(n * 0.75))
        new_part = rng.choices(made_up, made_up_weights, k=n - len(real_part))
        mixed = real_part + new_part
        rng.shuffle(mixed)
        return " ".join(mixed)

    out = []
    for state in ALL_STATES:
        for n in range(1, per_state + 1):
            question = f"How do {text(rng.randint(6, 14))} in {state.name}?"
            answer = text(max(30, int(rng.choice(lengths) * rng.uniform(0.6, 1.4))))
            out.append(Record(state, n, question, answer, f"synthetic {state.name}", "synthetic", n))
    return out


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed(fn: Callable[[str], object], questions: list[str], repeat: int) -> tuple[float, float]:
    """Median and p99 in microseconds."""
    out = []
    for _ in range(repeat):
        for q in questions:
            start = time.perf_counter()
            fn(q)
            out.append((time.perf_counter() - start) * 1e6)
    return statistics.median(out), percentile(out, 99)


def built(make: Callable[[], object]) -> tuple[object, float, float]:
    """What `make` builds, its build time (s) and the memory it keeps (MiB)."""
    tracemalloc.start()
    start = time.perf_counter()
    thing = make()
    seconds = time.perf_counter() - start
    kept = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return thing, seconds, kept / 2**20


def bench(name: str, records: list[Record], repeat: int) -> None:
    answerer, build, memory = built(lambda: Answerer(records))
    texts = [[w for w in words(f"{r.question} {r.answer}")] for r in records]
    plain, plain_build, plain_memory = built(lambda: BM25Okapi(texts))

    def bm25s_index():
        retriever = bm25s.BM25()
        retriever.index(
            bm25s.tokenize([f"{r.question} {r.answer}" for r in records], show_progress=False),
            show_progress=False,
        )
        return retriever

    other, other_build, other_memory = built(bm25s_index)
    k = min(5, len(records))

    def ranking_only(q: str) -> object:
        query = answerer.reader.read(q)
        scores = answerer.ranker.scores(query.terms, query.pairs)
        return answerer.ranker.top(scores, answerer.ranker.pool([]), 5)

    answerer.warm_up()
    ours = timed(answerer.answer, QUESTIONS, repeat)
    unseen = unseen_on_a_warm_server(records)
    ranking = timed(ranking_only, QUESTIONS, repeat)
    theirs = timed(lambda q: plain.get_scores(words(q)), QUESTIONS, max(1, repeat // 4))
    bm25s_time = timed(
        lambda q: other.retrieve(bm25s.tokenize([q], show_progress=False), k=k, show_progress=False),
        QUESTIONS,
        repeat,
    )
    print(
        f"{name:<12}{len(records):>6} | build {build:6.2f}s  rank-bm25 {plain_build:5.2f}s  bm25s {other_build:5.2f}s"
        f" | memory {memory:6.1f} MiB  rank-bm25 {plain_memory:6.1f}  bm25s {other_memory:6.1f}"
        f" ({memory / other_memory:4.1f}x bm25s)"
    )
    print(
        f"{'':<18} | answer {ours[0]:7.0f} / {ours[1]:7.0f} µs  ranking {ranking[0]:6.0f} / {ranking[1]:6.0f}"
        f"  get_scores {theirs[0]:7.0f} / {theirs[1]:7.0f}  bm25s {bm25s_time[0]:5.0f} / {bm25s_time[1]:5.0f}"
        f"  (median / p99; answer p99 {ours[1] / bm25s_time[1]:4.1f}x bm25s)"
    )
    print(f"{'':<18} | unseen questions on a warm server {unseen[0]:7.0f} / {unseen[1]:7.0f} µs")


def unseen_on_a_warm_server(records: list[Record]) -> tuple[float, float]:
    """Median and p99 (µs) of questions a server that has been up a while has not seen: a new
    answerer, warmed on the held-out questions, then asked the tuning ones once. The answer
    column above times each question three times, the first with every cache cold, the others
    repeats; here the answerer's own caches (words, word pairs, rows) hold only what the other
    questions brought, though process-wide ones (stems, near state names) already hold these."""
    answerer = Answerer(records)
    answerer.warm_up()
    for question in WARM_UP:
        answerer.answer(question)
    return timed(answerer.answer, QUESTIONS, 1)


def machine_noise(repeat: int = 3000) -> tuple[float, float]:
    """Median and p99 (µs) of the same fixed Python work done again and again: nothing in it
    varies, so its p99 above its median is what the machine adds at the tail in this run."""

    def fixed_work(_: str) -> int:
        total = 0
        for i in range(2500):
            total += i * i
        return total

    return timed(fixed_work, ["the same"], repeat)


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
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    repeat = 1 if args.quick else 3
    real = load_corpus()
    print(f"{len(QUESTIONS)} questions per pass (tests/data/tuning.tsv)")
    median, p99 = machine_noise()
    print(
        f"machine: the same fixed work, median {median:.0f} / p99 {p99:.0f} µs (p99 {p99 / median:.2f}x median)"
    )
    bench("real", real, repeat * 5)
    with tempfile.TemporaryDirectory() as folder:
        fifty = load_corpus(write_many_state_corpus(Path(folder), 50))
    bench("fifty states", fifty, repeat)
    bench("synthetic", synthetic(real, 1000), repeat)
    bench("synthetic", synthetic(real, 10000), repeat)
    print(f"cold start of `python -m bot ask` (median of 5): {cold_start():.3f} s")


if __name__ == "__main__":
    main()
