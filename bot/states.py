"""US states: names and codes (from the `us` package) and finding them in text.

Detection must stay right with all 50 states in the corpus, so two-letter
codes that are also English words ("in", "or", "me", "hi", "ok") count only
when clearly written as a state, and fuzzy matching (for "Arkansaw",
"west virgina") never fires on a real word.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

import jellyfish
import us


@dataclass(frozen=True, order=True)
class State:
    name: str
    code: str


@dataclass(frozen=True)
class Mention:
    state: State
    start: int
    end: int


ALL_STATES: tuple[State, ...] = tuple(State(s.name, s.abbr) for s in us.states.STATES)
_BY_NAME = {s.name.lower(): s for s in ALL_STATES}
_BY_CODE = {s.code: s for s in ALL_STATES}

# Two-letter codes that are also words or common abbreviations in English.
AMBIGUOUS_CODES = frozenset(
    "in or me hi ok la oh de pa ma al co id mo ms mt ne ga va wa il md mi ut ca nd sc ct".split()
)
# Words before a code that show it is meant as a state ("in OR", "for ME").
STATE_CONTEXT_BEFORE = frozenset("in for from about of at to with than re vs versus and state".split())
# Real words a letter or two away from a state name.
NOT_FUZZY = frozenset("indian indians texan texans origin virgin georgian main maines".split())
# AP abbreviations whose letters are a common word ("Ill.", "Miss.", "Wash."):
# these count only written exactly, capital and dot included.
_WORDLIKE_AP = frozenset("ill. miss. wash. mass. ind. del. ore. la. pa. mo. ga. va. md. conn. me.".split())


def state_by_name(text: str) -> State | None:
    """The state with exactly this name (any case, any spacing), else None."""
    return _BY_NAME.get(" ".join(text.lower().split()))


def state_by_code(code: str) -> State | None:
    return _BY_CODE.get(code.strip().upper())


def parse_state(text: str, known_words: Iterable[str] = ()) -> State | None:
    """The one state that `text` names (name, code, abbreviation or near miss)."""
    text = text.strip()
    if len(text) == 2:  # a bare code is unambiguous on its own
        return state_by_code(text)
    mentions = find_states(text, known_words)
    states = {m.state for m in mentions}
    return mentions[0].state if len(states) == 1 else None


def _ap_pattern(ap: str) -> re.Pattern[str]:
    parts = [p for p in ap.split(".") if p]
    body = r"\.\s?".join(re.escape(p) for p in parts)
    # multi-part ones ("W.Va.", "N.Y.") may drop the final dot; "Ark." may not
    tail = r"\.?" if len(parts) > 1 else r"\."
    flags = 0 if ap.lower() in _WORDLIKE_AP else re.IGNORECASE
    return re.compile(rf"(?<![A-Za-z.]){body}{tail}(?![A-Za-z])", flags)


# Longest first, so "W. Va." is read before "Va." can claim part of it.
_AP_PATTERNS = [
    (_ap_pattern(s.ap_abbr), _BY_CODE[s.abbr])
    for s in sorted(us.states.STATES, key=lambda s: -len(s.ap_abbr))
    if "." in s.ap_abbr
]
# Short forms people type that are not in AP style: "W Va", "WVa", "W. Virginia",
# "N Carolina", "S. Dak.", and AP abbreviations written without their dot ("Ark").
_SHORT_FORMS = [
    (re.compile(rf"(?<![A-Za-z]){head}\.?\s*{tail}(?![A-Za-z])", re.IGNORECASE), _BY_CODE[code])
    for heads, tails, code in [
        ("w|west", r"va\.?|virg\.?|virginia", "WV"),
        ("n|north", r"car\.?|carolina", "NC"),
        ("s|south", r"car\.?|carolina", "SC"),
        ("n|north", r"dak\.?|dakota", "ND"),
        ("s|south", r"dak\.?|dakota", "SD"),
    ]
    for head, tail in [(f"(?:{heads})", f"(?:{tails})")]
] + [
    (re.compile(rf"(?<![A-Za-z]){ap}(?![A-Za-z])\.?", re.IGNORECASE), _BY_CODE[code])
    for ap, code in [
        ("ark", "AR"),
        ("calif", "CA"),
        ("ariz", "AZ"),
        ("colo", "CO"),
        ("fla", "FL"),
        ("okla", "OK"),
        ("tenn", "TN"),
        ("minn", "MN"),
        ("mich", "MI"),
        ("wyo", "WY"),
        ("nev", "NV"),
        ("neb", "NE"),
    ]
]
_WORD_RE = re.compile(r"[A-Za-z]+")
_NAME_WORDS = {len(name.split()) for name in _BY_NAME}


def find_states(text: str, known_words: Iterable[str] = ()) -> list[Mention]:
    """Every state mentioned in `text`, in order of appearance.

    `known_words` are real words (e.g. the corpus vocabulary) that must never
    be read as a misspelt state name.
    """
    known = set(known_words)
    mentions: list[Mention] = []
    taken = [False] * len(text)

    def claim(start: int, end: int, state: State) -> None:
        mentions.append(Mention(state, start, end))
        taken[start:end] = [True] * (end - start)

    for pattern, state in _SHORT_FORMS + _AP_PATTERNS:
        for m in pattern.finditer(text):
            if not any(taken[m.start() : m.end()]):
                claim(m.start(), m.end(), state)

    words = [m for m in _WORD_RE.finditer(text) if not taken[m.start()]]
    used = [False] * len(words)
    # Longest names first, so "West Virginia" is not read as "Virginia".
    for fuzzy in (False, True):
        for size in sorted(_NAME_WORDS, reverse=True):
            for i in range(len(words) - size + 1):
                window = words[i : i + size]
                if any(used[i : i + size]) or not _adjacent(text, window):
                    continue
                phrase = " ".join(w.group().lower() for w in window)
                state = _BY_NAME.get(phrase)
                if state is None and fuzzy:
                    state = _near_name(phrase, size, known)
                if state is not None:
                    used[i : i + size] = [True] * size
                    claim(window[0].start(), window[-1].end(), state)

    letters = sum(c.isalpha() for c in text)
    shouting = letters >= 12 and sum(c.isupper() for c in text) > 0.6 * letters
    for i, word in enumerate(words):
        code = word.group()
        state = _BY_CODE.get(code.upper()) if len(code) == 2 and not used[i] else None
        if state is None:
            continue
        if code.lower() in AMBIGUOUS_CODES:
            before = words[i - 1].group().lower() if i else ""
            after = text[word.end() :]
            clearly_state = (
                before in STATE_CONTEXT_BEFORE
                or re.match(r"\s*(?:-|#|q\b|question\b)?\s*\d", after, re.IGNORECASE)
                or text[: word.start()].rstrip().endswith(",")
            )
            if not (code.isupper() and not shouting and clearly_state):
                continue
        claim(word.start(), word.end(), state)

    return sorted(mentions, key=lambda m: m.start)


def _adjacent(text: str, window: list[re.Match[str]]) -> bool:
    return all(
        text[a.end() : b.start()] in (" ", "-") or text[a.end() : b.start()].isspace()
        for a, b in itertools.pairwise(window)
    )


def _near_name(phrase: str, size: int, known: set[str]) -> State | None:
    """A state whose name is one typo (two for long names) from `phrase`."""
    if len(phrase) < 6 or phrase in NOT_FUZZY or (size == 1 and phrase in known):
        return None
    limit = 1 if len(phrase) <= 8 else 2
    best = None
    for name, state in _BY_NAME.items():
        if name.count(" ") + 1 != size or name[0] != phrase[0]:
            continue
        distance = jellyfish.damerau_levenshtein_distance(phrase, name)
        if distance <= limit and (best is None or distance < best[0]):
            best = (distance, state)
    return best[1] if best else None
