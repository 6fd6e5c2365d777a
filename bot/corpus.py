"""Load the FAQ pages in corpus/ into records, refusing malformed files.

A page is a title line "State Coordination With CBP And ICE Task Forces in
<State>", then questions "1. ...?", "2. ...?" in order, each followed by its
answer. Answers often hold their own numbered lists ("1. ...", restarting at
1, some items ending with "?"); those are answer text, not questions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.shipped import shipped_folder
from bot.states import State, state_by_name

DEFAULT_CORPUS_DIR = shipped_folder("corpus")  # CORPUS_DIR (bot/settings.py) overrides it

TITLE_RE = re.compile(
    r"^State Coordination With CBP And ICE Task Forces in (?P<state>.+?)\s*$", re.IGNORECASE
)
NUMBERED_RE = re.compile(r"^(?P<number>\d{1,3})\.\s+(?P<text>\S.*)$")


@dataclass(frozen=True)
class Record:
    state: State
    number: int
    question: str
    answer: str
    title: str
    path: str
    line: int

    @property
    def ref(self) -> str:
        return f"{self.state.code}-{self.number}"


class CorpusError(ValueError):
    """A corpus file that cannot be used, with where and what was expected."""

    def __init__(self, path: str, line: int | None, message: str):
        self.path = path
        self.line = line
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")


def _decode(path: Path, raw: bytes) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise CorpusError(str(path), line, "not UTF-8 text (save the file as UTF-8)") from None
    return text.removeprefix("\ufeff")


def parse_page(path: Path, text: str) -> list[Record]:
    """Parse one page's text into its records; raise CorpusError on any problem."""
    lines = [line.rstrip() for line in text.splitlines()]
    name = str(path)

    title_index = next((i for i, line in enumerate(lines) if TITLE_RE.match(line.strip())), None)
    if title_index is None:
        raise CorpusError(
            name, 1, 'no title line: expected "State Coordination With CBP And ICE Task Forces in <State>"'
        )
    title = lines[title_index].strip()
    state_text = TITLE_RE.match(title).group("state")
    state = state_by_name(state_text)
    if state is None:
        raise CorpusError(name, title_index + 1, f'title names "{state_text}", which is not a US state')

    # Lines that could be question headers, to look ahead when a numbered
    # line could be either the next question or the next item of a list.
    candidates = [
        (i, int(m.group("number")))
        for i in range(title_index + 1, len(lines))
        if (m := NUMBERED_RE.match(lines[i].strip())) and lines[i].endswith("?")
    ]
    headers: list[tuple[int, int, str]] = []  # (line index, number, question)
    seen: dict[int, int] = {}
    list_item = 0  # last item number of the numbered list in the current answer
    for i in range(title_index + 1, len(lines)):
        m = NUMBERED_RE.match(lines[i].strip())
        if not m:
            continue
        number = int(m.group("number"))
        continues_list = bool(headers) and number in (1, list_item + 1)
        if not lines[i].endswith("?"):
            list_item = number if continues_list else list_item
            continue
        expected = len(headers) + 1
        header_later = any(n == expected for j, n in candidates if j > i)
        if number == expected and not (continues_list and header_later):
            headers.append((i, number, m.group("text")))
            seen[number] = i
            list_item = 0
        elif continues_list:
            list_item = number
        elif number in seen:
            raise CorpusError(
                name,
                i + 1,
                f"question {number} repeated (first at line {seen[number] + 1}); expected question {expected}",
            )
        else:
            raise CorpusError(
                name, i + 1, f"question numbered {number} out of order; expected question {expected}"
            )
    if not headers:
        raise CorpusError(name, title_index + 2, 'no questions: expected "1. <question>?"')

    records = []
    for k, (i, number, question) in enumerate(headers):
        end = headers[k + 1][0] if k + 1 < len(headers) else len(lines)
        answer = "\n".join(lines[i + 1 : end]).strip()
        answer = re.sub(r"\n{3,}", "\n\n", answer)
        if not answer:
            raise CorpusError(name, i + 1, f"question {number} has no answer before the next question")
        records.append(Record(state, number, question, answer, title, name, i + 1))
    return records


def load_file(path: Path) -> list[Record]:
    return parse_page(path, _decode(path, path.read_bytes()))


def check_corpus(directory: Path = DEFAULT_CORPUS_DIR) -> tuple[list[Record], list[CorpusError]]:
    """Records of every good state page in `directory` (*.txt), and every problem found."""
    directory = Path(directory)
    if not directory.is_dir():
        return [], [CorpusError(str(directory), None, "corpus folder not found")]
    records: list[Record] = []
    errors: list[CorpusError] = []
    first_file: dict[State, str] = {}
    for path in sorted(directory.glob("*.txt")):
        try:
            page = load_file(path)
        except CorpusError as err:
            errors.append(err)
            continue
        state = page[0].state
        if state in first_file:
            errors.append(
                CorpusError(
                    str(path), None, f"a second file for {state.name} (the first is {first_file[state]})"
                )
            )
            continue
        first_file[state] = str(path)
        records.extend(page)
    if not records and not errors:
        errors.append(CorpusError(str(directory), None, "no state pages (*.txt) in the corpus folder"))
    return records, errors


def load_corpus(directory: Path = DEFAULT_CORPUS_DIR) -> list[Record]:
    """All records of every state page in `directory`; CorpusError on the first problem."""
    records, errors = check_corpus(directory)
    if errors:
        raise errors[0]
    return records
