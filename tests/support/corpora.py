"""Many-state corpora made at test time from the real pages (never shipped as data).

Each state's page is one of the real pages with the state renamed, its
questions in another order (so numbers do not line up between states) and a
little of its wording varied, so states are alike but not copies.
"""

from __future__ import annotations

import random
from pathlib import Path

from bot.corpus import DEFAULT_CORPUS_DIR, load_corpus
from bot.states import ALL_STATES, State

# Small wording changes, applied to some answers of some states.
_VARIATIONS = [
    ("state agencies", "state departments"),
    ("collaboration", "cooperation"),
    ("ensure", "make sure"),
    ("joint operations", "joint efforts"),
    ("enhance", "improve"),
    ("Furthermore", "In addition"),
]


def page_text(state: State, source: str, seed: int) -> str:
    """A page for `state` made from the real page of the state named `source`."""
    rng = random.Random(seed)
    records = [r for r in load_corpus(DEFAULT_CORPUS_DIR) if r.state.name == source]
    rng.shuffle(records)
    lines = [f"State Coordination With CBP And ICE Task Forces in {state.name}", ""]
    for number, record in enumerate(records, 1):
        answer = record.answer
        for old, new in _VARIATIONS:
            if rng.random() < 0.3:
                answer = answer.replace(old, new)
        question = record.question.replace(source, state.name)
        lines += [f"{number}. {question}", "", answer.replace(source, state.name), ""]
    return "\n".join(lines)


def write_many_state_corpus(directory: Path, count: int = 50) -> Path:
    """`count` state pages in `directory`: Arkansas and West Virginia as they are, then others."""
    directory.mkdir(parents=True, exist_ok=True)
    for path in DEFAULT_CORPUS_DIR.glob("*.txt"):
        (directory / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    others = [s for s in ALL_STATES if s.code not in ("AR", "WV")][: count - 2]
    for i, state in enumerate(others):
        source = "Arkansas" if i % 2 == 0 else "West Virginia"
        slug = state.name.lower().replace(" ", "-")
        (directory / f"{slug}.txt").write_text(page_text(state, source, seed=i), encoding="utf-8")
    return directory
