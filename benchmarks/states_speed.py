"""Per-question cost of finding states in text (`find_states`).

    python benchmarks/states_speed.py

Questions: the development set (as the engine sees them, normalised) plus
questions naming other states by name, code, AP abbreviation or a typo,
about 200 in all. `known_words` is the real engine's vocabulary, a frozenset,
as in `Engine.answer`, and then none (the most typo checks). Prints median and
p99 in microseconds, overall and for questions with and without a state.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.engine import Engine  # noqa: E402

from bot.corpus import load_corpus  # noqa: E402
from bot.evaluation import load_cases  # noqa: E402
from bot.states import find_states  # noqa: E402
from bot.text import normalize  # noqa: E402

EXTRA = [
    "How does Texas train officers who work with ICE?",
    "what does new york do about civil rights in joint operations",
    "Does ICE train officers? OK thanks",
    "What is the MOU between CBP and ICE, OR is there none?",
    "how does north carolina share data with CBP",
    "is there oversight of the 287(g) program in Calif.",
    "who pays for training in OR and WA",
    "How are complaints handled in Pennsylvania task forces?",
    "how does Masachusetts handle detainers",
    "what about Tennesee and ICE agreements",
    "what does w virgina do with cbp",
    "how is Missisippi involved in Secure Communities",
    "Does Minn. have a policy on sharing data with ICE?",
    "how do agencies in new mexico cooperate with border patrol",
    "training requirements for deputies in rhode island",
    "is arkanss part of any task force",
    "Portland, ME police and ICE detainers",
    "How does the state weigh enforcement against community trust?",
    "what laws govern cooperation with immigration agencies",
    "how transparent are agencies about their work with ICE and CBP",
    "can local police ask about immigration status during a traffic stop",
    "IN the meantime, who funds the joint operations?",
    "how does south dakota evaluate the partnership",
    "georgia and florida: how do they handle 287(g)",
    "what is the role of sheriffs in Wisconsin immigration enforcement",
]


def questions() -> list[str]:
    cases = [c.query for c in load_cases(ROOT / "tests" / "data" / "devset.tsv")]
    return [normalize(q) for q in cases + EXTRA]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed(texts: list[str], known: frozenset[str], repeat: int) -> dict[str, list[float]]:
    """Microseconds per call, grouped by whether the question names a state."""
    out: dict[str, list[float]] = {"no state": [], "with state": []}
    for _ in range(repeat):
        for text in texts:
            start = time.perf_counter_ns()
            found = find_states(text, known)
            elapsed = (time.perf_counter_ns() - start) / 1000
            out["with state" if found else "no state"].append(elapsed)
    return out


def report(title: str, texts: list[str], known: frozenset[str], repeat: int = 50) -> None:
    timed(texts, known, repeat=3)  # warm up
    groups = timed(texts, known, repeat)
    print(title)
    for name, values in [("all", groups["no state"] + groups["with state"]), *groups.items()]:
        print(
            f"  {name:<11} n={len(values) // repeat:>4}  median {statistics.median(values):7.1f} µs  "
            f"p99 {percentile(values, 99):7.1f} µs"
        )


def main() -> None:
    texts = questions()
    print(f"{len(texts)} questions, 50 passes; microseconds per find_states call")
    report(
        "known_words = the engine's vocabulary (as in Engine.answer):",
        texts,
        Engine(load_corpus()).vocabulary,
    )
    report("no known_words (every unknown long word is tried as a typo):", texts, frozenset())


if __name__ == "__main__":
    main()
