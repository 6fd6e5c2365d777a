"""Answer latency of this checkout next to an earlier commit's, in turns, on the same records.

    python benchmarks/versus.py              # against 73af421, the commit issue 9 was filed at
    python benchmarks/versus.py REV --rounds 5

Wall-clock on a shared machine moves by up to 1.7x from one hour to the next,
so a p99 measured alone says little. Here the two versions answer the same
tuning questions on the same synthetic 1,000 records (benchmarks/speed.py's),
each in its own process, one after the other, round after round: each round's
ratio is taken in the same minute. The earlier commit is read with `git
archive` into a temporary folder; it must have `bot.answerer.Answerer(records)`
and `bot.corpus.Record` as this checkout has them (every commit since the
engine was split by stage does).

Issue 9 measured the commit it was filed at on its own machine: p99 1.07 ms at
1,000 records. The median ratio times that is what this checkout would take
there.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILED_AT = "73af421"
FILED_P99_US = 1070  # the issue's own figure for the code at FILED_AT, 1,000 records


def child(root: str, data: str, passes: int) -> None:
    """Answer every question `passes` times with the engine under `root`; print median and p99 (µs)."""
    sys.path.insert(0, root)
    from bot.answerer import Answerer
    from bot.corpus import Record
    from bot.states import ALL_STATES

    by_code = {s.code: s for s in ALL_STATES}
    loaded = json.loads(Path(data).read_text(encoding="utf-8"))
    answerer = Answerer([Record(by_code[code], *rest) for code, *rest in loaded["records"]])
    questions = loaded["questions"]
    for q in questions:  # warm
        answerer.answer(q)
    times = []
    for _ in range(passes):
        for q in questions:
            start = time.perf_counter()
            answerer.answer(q)
            times.append((time.perf_counter() - start) * 1e6)
    times.sort()
    print(statistics.median(times), times[int(len(times) * 0.99)])


def measure(root: Path, data: Path, passes: int) -> tuple[float, float]:
    run = subprocess.run(
        [sys.executable, __file__, "--child", str(root), str(data), str(passes)],
        capture_output=True,
        text=True,
    )
    if run.returncode:
        last = (run.stderr.strip().splitlines() or ["no output"])[-1]
        sys.exit(f"benchmarks/versus.py: the engine at {root} failed: {last}")
    median, p99 = map(float, run.stdout.split())
    return median, p99


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("rev", nargs="?", default=FILED_AT)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--child", nargs=3, metavar=("ROOT", "DATA", "PASSES"))
    args = parser.parse_args()
    if args.child:
        root, data, passes = args.child
        child(root, data, int(passes))
        return
    sys.path.insert(0, str(ROOT))
    from benchmarks.speed import QUESTIONS, synthetic
    from bot.corpus import load_corpus

    with tempfile.TemporaryDirectory() as folder:
        earlier = Path(folder) / "earlier"
        earlier.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.rev], capture_output=True)
        if archive.returncode:
            sys.exit(f"benchmarks/versus.py: git archive {args.rev}: {archive.stderr.decode().strip()}")
        subprocess.run(["tar", "-x", "-C", str(earlier)], input=archive.stdout, check=True)
        data = Path(folder) / "records.json"
        records = synthetic(load_corpus(), 1000)
        rows = [[r.state.code, r.number, r.question, r.answer, r.title, r.path, r.line] for r in records]
        data.write_text(json.dumps({"records": rows, "questions": QUESTIONS}), encoding="utf-8")
        print(f"synthetic 1,000 records, {len(QUESTIONS)} questions x {args.passes} passes; answer µs")
        print(
            f"{'round':<6}{args.rev + ' median':>16}{'p99':>8}{'this median':>14}{'p99':>8}{'p99 ratio':>11}"
        )
        ratios = []
        for n in range(1, args.rounds + 1):
            then = measure(earlier, data, args.passes)
            now = measure(ROOT, data, args.passes)
            ratios.append(now[1] / then[1])
            print(f"{n:<6}{then[0]:>16.0f}{then[1]:>8.0f}{now[0]:>14.0f}{now[1]:>8.0f}{ratios[-1]:>11.3f}")
    ratio = statistics.median(ratios)
    print(f"median p99 ratio {ratio:.3f}", end="")
    if args.rev == FILED_AT:
        print(f"; on the machine issue 9 was measured on: p99 about {ratio * FILED_P99_US:.0f} µs", end="")
    print()


if __name__ == "__main__":
    main()
