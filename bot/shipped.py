"""Where the folders shipped with the code are: the templates and the default corpus.

The repository keeps them at its top level (`templates/`, `corpus/`); a wheel
carries them as package data under `bot/data/` (see pyproject.toml). A
checkout, an editable install and an installed wheel all find them here.
"""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def shipped_folder(name: str) -> Path:
    """`name` ("templates" or "corpus") as installed from a wheel, else the checkout's top-level folder."""
    installed = _HERE / "data" / name
    return installed if installed.is_dir() else _HERE.parent / name
