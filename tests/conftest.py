from __future__ import annotations

from pathlib import Path

import pytest

from bot.corpus import DEFAULT_CORPUS_DIR, load_corpus
from bot.engine import Engine
from bot.states import ALL_STATES, State

SEED = DEFAULT_CORPUS_DIR / "arkansas.txt"


def write_state_pages(directory: Path, states: list[State]) -> Path:
    """A synthetic corpus: the Arkansas page re-titled for each state."""
    directory.mkdir(parents=True, exist_ok=True)
    text = SEED.read_text(encoding="utf-8")
    for state in states:
        slug = state.name.lower().replace(" ", "-")
        (directory / f"{slug}.txt").write_text(text.replace("Arkansas", state.name), encoding="utf-8")
    return directory


@pytest.fixture(scope="session")
def records():
    return load_corpus()


@pytest.fixture(scope="session")
def engine(records):
    return Engine(records)


@pytest.fixture(scope="session")
def fifty_state_engine(tmp_path_factory):
    directory = write_state_pages(tmp_path_factory.mktemp("fifty"), list(ALL_STATES))
    return Engine(load_corpus(directory))
