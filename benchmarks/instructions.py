"""Instructions per question, counted by valgrind's callgrind: a figure the machine's noise does not move.

    python benchmarks/instructions.py     # about 6 minutes; needs valgrind on PATH

Wall-clock figures on a shared 2-core machine move by up to 1.5x from run to
run (benchmarks/speed.py); instruction counts stay put to a fraction of a
percent, so they show what a change did. Per corpus (the real one, fifty
states made from the real pages, the synthetic 1,000 of speed.py): the
tuning questions that name no state (at many states, the choice of states:
the slowest questions) and the rest, each answered once to warm up and then
counted; bm25s's `retrieve` (top 5) on the same records is the peer.

Only the code between the markers is counted: each measured loop runs through
`PyRun_SimpleString`, which callgrind is told to count inside (and to write
out after), and nothing else calls it.
"""

from __future__ import annotations

import argparse
import ctypes
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CORPORA = ("real", "fifty states", "synthetic 1000")
# what each measured loop runs, in the child's namespace
LOOPS = {
    "no state named": "for q in no_state: answerer.answer(q)",
    "a state named": "for q in named: answerer.answer(q)",
    "bm25s": "for q in everything: top5(q)",
    "nothing": "pass",  # the markers' own cost, taken off the others
}


def child(corpus: str) -> None:
    """Build `corpus`, warm up, then run each loop of LOOPS inside the markers."""
    import bm25s

    from benchmarks.speed import QUESTIONS, synthetic
    from bot.answerer import Answerer
    from bot.corpus import load_corpus
    from tests.support.corpora import write_many_state_corpus

    records = load_corpus()
    if corpus == "fifty states":
        with tempfile.TemporaryDirectory() as folder:
            records = load_corpus(write_many_state_corpus(Path(folder), 50))
    elif corpus == "synthetic 1000":
        records = synthetic(records, 1000)
    answerer = Answerer(records)
    answerer.warm_up()
    retriever = bm25s.BM25()
    retriever.index(
        bm25s.tokenize([f"{r.question} {r.answer}" for r in records], show_progress=False),
        show_progress=False,
    )

    def top5(q: str) -> object:
        return retriever.retrieve(bm25s.tokenize([q], show_progress=False), k=5, show_progress=False)

    namespace = {
        "answerer": answerer,
        "top5": top5,
        "everything": QUESTIONS,
        "no_state": [q for q in QUESTIONS if not answerer.reader.read(q).named_states],
        "named": [q for q in QUESTIONS if answerer.reader.read(q).named_states],
    }
    for q in QUESTIONS:  # warm: caches filled, the English word list loaded
        answerer.answer(q)
        top5(q)
    sys.modules["__main__"].__dict__.update(namespace)  # where PyRun_SimpleString runs
    print(len(namespace["no_state"]), len(namespace["named"]), len(QUESTIONS), flush=True)
    for code in LOOPS.values():
        ctypes.pythonapi.PyRun_SimpleString(code.encode())


def count(corpus: str, folder: Path) -> dict[str, float]:
    """Instructions per question of each loop, for `corpus`."""
    out = folder / "callgrind.out"
    run = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--collect-atstart=no",
            "--toggle-collect=PyRun_SimpleStringFlags",
            "--dump-after=PyRun_SimpleStringFlags",
            f"--callgrind-out-file={out}",
            sys.executable,
            __file__,
            "--child",
            corpus,
        ],
        capture_output=True,
        text=True,
    )
    if run.returncode:
        ours = [line for line in run.stderr.splitlines() if line.strip() and not line.startswith("==")]
        last = ours[-1] if ours else "no output"  # the child's error, not valgrind's summary
        sys.exit(f"benchmarks/instructions.py: the {corpus} run under valgrind failed: {last}")
    sizes = [int(n) for n in run.stdout.split()]
    totals = [_summary(Path(f"{out}.{i}")) for i in range(1, len(LOOPS) + 1)]
    markers = totals[-1]
    per = dict(zip(LOOPS, [(t - markers) / n for t, n in zip(totals, [*sizes, 1], strict=True)], strict=True))
    per.pop("nothing")
    return per


def _summary(dump: Path) -> int:
    for line in dump.read_text().splitlines():
        if line.startswith("summary:"):
            return int(line.split()[1])
    raise ValueError(f"{dump}: no summary line")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", choices=CORPORA)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    if shutil.which("valgrind") is None:
        sys.exit("benchmarks/instructions.py needs valgrind (Debian: apt install valgrind)")
    print("instructions per question (millions); tuning questions, each answered once warm")
    print(f"{'corpus':<16}{'no state named':>16}{'a state named':>16}{'bm25s top 5':>14}")
    for corpus in CORPORA:
        with tempfile.TemporaryDirectory() as folder:
            per = count(corpus, Path(folder))
        print(
            f"{corpus:<16}{per['no state named'] / 1e6:>16.3f}{per['a state named'] / 1e6:>16.3f}"
            f"{per['bm25s'] / 1e6:>14.3f}"
        )


if __name__ == "__main__":
    main()
