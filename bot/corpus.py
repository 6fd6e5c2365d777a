"""Load the FAQ pages in corpus/ into records, refusing malformed files.

A page is a title line "State Coordination With CBP And ICE Task Forces in
<State>", then questions "1. ...?", "2. ...?" in order, each followed by its
answer. Answers often hold their own numbered lists ("1. ...", restarting at
1, some items ending with "?"); those are answer text, not questions.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

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
    title_line: int = 1

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


def _looks_like_a_question(lines: list[str], k: int) -> bool:
    """An unnumbered paragraph of one line ending with "?": a question that may have lost its number."""
    text = lines[k].strip()
    return (
        text.endswith("?")
        and (text[0].isalpha() or text[0] in "\"'“‘")
        and not NUMBERED_RE.match(text)
        and (k == 0 or not lines[k - 1].strip())
    )


def parse_page(path: Path, text: str, warnings: list[CorpusError] | None = None) -> list[Record]:
    """Parse one page's text into its records; raise CorpusError on any problem.

    What is read but looks wrong (a line like a question without its number) is added to `warnings`.
    """
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

    def lost_number(k: int, expected: int, later: int, at: int) -> CorpusError:
        return CorpusError(
            name,
            k + 1,
            f'question {expected} has lost its number: expected "{expected}. {lines[k].strip()}" '
            f"(the next numbered question, at line {at + 1}, is {later})",
        )

    def lost_first(k: int) -> CorpusError:
        return CorpusError(
            name,
            k + 1,
            f'question 1 has lost its number: expected "1. {lines[k].strip()}" '
            "(what comes before question 1 is not read)",
        )

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
    suspects: list[int] = []  # unnumbered lines that read like a question, since the last header
    for i in range(title_index + 1, len(lines)):
        m = NUMBERED_RE.match(lines[i].strip())
        if not m:
            if _looks_like_a_question(lines, i):
                suspects.append(i)
            continue
        number = int(m.group("number"))
        continues_list = bool(headers) and number in (1, list_item + 1)
        if not lines[i].endswith("?"):
            list_item = number if continues_list else list_item
            continue
        expected = len(headers) + 1
        header_later = any(n == expected for j, n in candidates if j > i)
        if number == expected and not (continues_list and header_later):
            if not headers and suspects:
                raise lost_first(suspects[-1])
            headers.append((i, number, m.group("text")))
            seen[number] = i
            list_item = 0
            if warnings is not None:
                warnings.extend(_unnumbered(name, lines, suspects, number - 1))
            suspects = []
        elif suspects and number == expected + 1 and not header_later:
            # The question before this one lost its number: it reads as part of the previous answer.
            raise lost_number(suspects[-1], expected, number, i)
        elif continues_list:
            list_item = number
        elif number in seen:
            raise CorpusError(
                name,
                i + 1,
                f"question {number} repeated (first at line {seen[number] + 1}); expected question {expected}",
            )
        elif suspects and number > expected:
            raise lost_number(suspects[-1], expected, number, i)
        else:
            raise CorpusError(
                name, i + 1, f"question numbered {number} out of order; expected question {expected}"
            )
    if not headers:
        if suspects:
            raise lost_first(suspects[0])
        raise CorpusError(name, title_index + 2, 'no questions: expected "1. <question>?"')
    if warnings is not None:
        warnings.extend(_unnumbered(name, lines, suspects, len(headers)))

    records = []
    for k, (i, number, question) in enumerate(headers):
        end = headers[k + 1][0] if k + 1 < len(headers) else len(lines)
        answer = "\n".join(lines[i + 1 : end]).strip()
        answer = re.sub(r"\n{3,}", "\n\n", answer)
        if not answer:
            raise CorpusError(name, i + 1, f"question {number} has no answer before the next question")
        records.append(Record(state, number, question, answer, title, name, i + 1, title_index + 1))
    return records


def _unnumbered(name: str, lines: list[str], suspects: list[int], number: int) -> list[CorpusError]:
    """Warnings for lines read as part of question `number`'s answer that look like questions."""
    return [
        CorpusError(
            name,
            k + 1,
            f'"{lines[k].strip()}" looks like a question without its number; it is read as part of '
            f"question {number}'s answer (if it is question {number + 1}, write "
            f'"{number + 1}. {lines[k].strip()}")',
        )
        for k in suspects
    ]


def load_file(path: Path, warnings: list[CorpusError] | None = None) -> list[Record]:
    return parse_page(path, _decode(path, path.read_bytes()), warnings)


def file_name_for(state: State) -> str:
    """The page's expected file name: "west-virginia.txt"."""
    return state.name.lower().replace(" ", "-") + ".txt"


def _named_after(path: Path, state: State) -> bool:
    return path.stem.lower().replace("_", "-").replace(" ", "-") + ".txt" == file_name_for(state)


class CorpusCheck(NamedTuple):
    records: list[Record]  # of every good page
    errors: list[CorpusError]  # what stops the corpus being used
    warnings: list[CorpusError]  # what is read, or skipped, but looks like a mistake


def check_corpus(directory: Path = DEFAULT_CORPUS_DIR) -> CorpusCheck:
    """Every state page in `directory` (*.txt, any case: Ohio.TXT too), and every problem found.

    Other files are skipped with a warning (hidden ones, like .gitkeep, silently).
    """
    directory = Path(directory)
    if not directory.is_dir():
        return CorpusCheck([], [CorpusError(str(directory), None, "corpus folder not found")], [])
    errors: list[CorpusError] = []
    warnings: list[CorpusError] = []
    pages: dict[State, list[tuple[Path, list[Record]]]] = {}
    for path in sorted(directory.iterdir(), key=lambda p: p.name.lower()):
        if path.name.startswith(".") or not path.is_file():
            continue
        if path.suffix.lower() != ".txt":
            warnings.append(
                CorpusError(
                    str(path),
                    None,
                    f"not read: state pages are .txt files (if it is one, name it {path.stem}.txt)",
                )
            )
            continue
        try:
            page = load_file(path, warnings)
        except CorpusError as err:
            errors.append(err)
            continue
        pages.setdefault(page[0].state, []).append((path, page))

    records: list[Record] = []
    for state, claims in pages.items():
        # Of two pages for one state, the one named after it keeps it; the other is the mistake.
        owner = next(((p, r) for p, r in claims if _named_after(p, state)), claims[0])
        records.extend(owner[1])
        if not _named_after(owner[0], state):
            warnings.append(
                CorpusError(
                    str(owner[0]),
                    owner[1][0].title_line,
                    f"the title names {state.name} but the file name does not (name it {file_name_for(state)})",
                )
            )
        for path, page in claims:
            if path != owner[0]:
                errors.append(
                    CorpusError(
                        str(path),
                        page[0].title_line,
                        f"a second page for {state.name}, which already has {owner[0]} (title at line "
                        f"{owner[1][0].title_line}): fix this title, or remove one of the two",
                    )
                )
    records.sort(key=lambda r: (Path(r.path).name.lower(), r.number))
    errors.sort(key=lambda e: (Path(e.path).name.lower(), e.line or 0))
    if not records and not errors:
        errors.append(CorpusError(str(directory), None, "no state pages (*.txt) in the corpus folder"))
    return CorpusCheck(records, errors, warnings)


def load_corpus(directory: Path = DEFAULT_CORPUS_DIR) -> list[Record]:
    """All records of every state page in `directory`; CorpusError on the first problem."""
    records, errors, _warnings = check_corpus(directory)
    if errors:
        raise errors[0]
    return records


def page_digests(records: Sequence[Record]) -> dict[str, str]:
    """Each state's page as the sha256 of its text as parsed (title, then each question and answer).

    Parsed, not raw: a page saved again with other line endings, a byte-order
    mark or trailing spaces has the same text, so it keeps its as-of date.
    """
    parts: dict[str, list[str]] = {}
    for r in records:
        parts.setdefault(r.state.code, [r.title]).append(f"{r.number}\0{r.question}\0{r.answer}")
    return {code: hashlib.sha256("\0".join(p).encode()).hexdigest() for code, p in parts.items()}
