"""Installing the project as a user would: the wheel (and an editable install) carry the templates and corpus.

The project's files are copied out of the checkout, built with the setuptools
already installed (nothing is downloaded) and installed into a fresh virtual
environment that borrows the installed dependencies (the running environment's
site-packages, as plain path entries).
The question is then asked from an empty folder, so nothing can come from the
repository by accident.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "How does Arkansas protect civil rights during joint operations?"
WHERE = (
    "import bot, bot.render as r, bot.corpus as c; print(bot.__file__, r.TEMPLATES_DIR, c.DEFAULT_CORPUS_DIR)"
)

pytestmark = pytest.mark.slow  # about 5 s: builds a wheel and two virtual environments


def run(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None):
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def clean_env(**extra: str) -> dict[str, str]:
    """No PYTHONPATH and no settings from the developer's shell."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "CORPUS_DIR")}
    return {**env, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INDEX": "1", **extra}


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    """What a fresh clone holds for the build (no build/ or egg-info left in the checkout)."""
    copy = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, copy / name)
    for name in ("bot", "templates", "corpus"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def fresh_venv(path: Path) -> Path:
    """A new environment that borrows this one's installed dependencies, not its copy of the project.

    Without its own pip or setuptools: the outer pip installs into it, the installed setuptools builds.
    The borrowed folders are plain sys.path entries (a .pth line), so an editable install of the
    project there is not activated, and the environment's own site-packages comes first.
    """
    run(sys.executable, "-m", "venv", "--without-pip", path)
    python = path / "bin" / "python"
    own = run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))").stdout.strip()
    borrowed = [p for p in sys.path if p.endswith(("site-packages", "dist-packages")) and Path(p).is_dir()]
    (Path(own) / "borrowed.pth").write_text("\n".join(borrowed) + "\n")
    return python


def pip_into(python: Path, *args: str | Path) -> None:
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", *args, env=clean_env())


def ask_from_elsewhere(
    python: Path, folder: Path, question: str = QUESTION, **env: str
) -> tuple[str, list[str]]:
    folder.mkdir(exist_ok=True)
    answer = run(python, "-m", "bot", "ask", question, cwd=folder, env=clean_env(**env)).stdout
    where = run(python, "-c", WHERE, cwd=folder, env=clean_env(**env)).stdout.split()
    return answer, where


def test_the_wheel_carries_templates_and_corpus(source, tmp_path):
    run(
        sys.executable,
        *("-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", tmp_path / "dist", source),
        env=clean_env(),
    )
    [wheel] = (tmp_path / "dist").glob("*.whl")
    python = fresh_venv(tmp_path / "venv")
    pip_into(python, wheel)
    shutil.rmtree(source / "build", ignore_errors=True)

    answer, where = ask_from_elsewhere(python, tmp_path / "elsewhere")
    assert answer.startswith("*Arkansas · Q8 · AR-8*")
    venv = str(tmp_path / "venv")
    assert all(path.startswith(venv) for path in where), where  # code, templates and corpus from the wheel
    assert where[1].endswith("bot/data/templates") and where[2].endswith("bot/data/corpus")

    # CORPUS_DIR still overrides the shipped corpus.
    other = tmp_path / "other-corpus"
    other.mkdir()
    text = (ROOT / "corpus" / "arkansas.txt").read_text(encoding="utf-8")
    (other / "ohio.txt").write_text(text.replace("Arkansas", "Ohio"), encoding="utf-8")
    answer, _ = ask_from_elsewhere(python, tmp_path / "elsewhere", "OH-8", CORPUS_DIR=str(other))
    assert answer.startswith("*Ohio · Q8 · OH-8*")


def test_an_editable_install_finds_the_top_level_folders(source, tmp_path):
    python = fresh_venv(tmp_path / "venv")
    pip_into(python, "--no-build-isolation", "-e", source)
    answer, where = ask_from_elsewhere(python, tmp_path / "elsewhere")
    assert answer.startswith("*Arkansas · Q8 · AR-8*")
    assert where[1:] == [str(source / "templates"), str(source / "corpus")]


def test_every_package_under_bot_is_in_the_wheel():
    """pyproject.toml lists the packages (so it can map templates/ and corpus/): none may be forgotten."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    on_disk = {
        ".".join(path.relative_to(ROOT).parts)
        for path in [ROOT / "bot", *(ROOT / "bot").rglob("*")]
        if path.is_dir() and path.name != "__pycache__" and any(path.glob("*.py"))
    }
    assert on_disk <= listed, on_disk - listed


def test_requirements_pin_every_dependency_within_pyproject_ranges():
    """requirements.txt (what a platform installs) pins exactly, and agrees with pyproject.toml."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version and " " not in line, f"not an exact pin: {line!r}"
            pins[canonicalize_name(name)] = version
    for dependency in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]:
        wanted = Requirement(dependency)
        name = canonicalize_name(wanted.name)
        assert name in pins, f"{wanted.name} is not pinned in requirements.txt"
        assert wanted.specifier.contains(pins[name]), f"{wanted.name}=={pins[name]} is outside {wanted}"
    for extra in ("greenlet", "psycopg-binary"):  # from sqlalchemy[asyncio] and psycopg[binary]
        assert extra in pins


def test_python_version_is_pinned_for_platforms():
    assert (ROOT / ".python-version").read_text().strip() == "3.11"
    assert tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"] == ">=3.11"
