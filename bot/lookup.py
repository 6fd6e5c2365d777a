"""Direct look-ups by reference: "AR-7", "Arkansas Q7", "#3 in WV", "/state wv 12"."""

from __future__ import annotations

import re
from collections.abc import Set

from bot.states import Mention, State, find_states, parse_state

# A number right after a state: "AR-7", "ar 7", "Arkansas Q7", "WV #12", "west virginia question 12".
_NUMBER_AFTER = re.compile(r"\s*[-#:]?\s*(?:q|question|no\.?|number|#)?\s*#?\s*(\d{1,3})\b", re.IGNORECASE)
# A number just before a state: "Q7 Arkansas", "#3 in WV", "question 3, WV".
_NUMBER_BEFORE = re.compile(
    r"(?:\bq|\bquestion|#|\bno\.?|\bnumber)\s*#?\s*(\d{1,3})\s*[,:]?\s+(?:(?:in|for|from|of|on)\s+)?$",
    re.IGNORECASE,
)
# Only a number, once the state is known ("/state wv 12", "/state wv q12").
_NUMBER_ONLY = re.compile(r"\s*(?:q|question|#|no\.?)?\s*#?\s*(\d{1,3})\s*", re.IGNORECASE)


def find_lookup(text: str, mentions: list[Mention]) -> tuple[State, int] | None:
    """The (state, question number) that `text` asks for by reference, if it is a look-up."""
    for m in mentions:
        after = _NUMBER_AFTER.match(text, m.end)
        if after:
            return m.state, int(after.group(1))
        before = _NUMBER_BEFORE.search(text[: m.start])
        if before:
            return m.state, int(before.group(1))
    return None


def number_only(text: str) -> int | None:
    """The question number when `text` is nothing but one ("12", "q12", "#12")."""
    m = _NUMBER_ONLY.fullmatch(text)
    return int(m.group(1)) if m else None


def split_state(text: str, known_words: Set[str] = frozenset()) -> tuple[State | None, str]:
    """A leading state ("wv 12", "West Virginia training", "Ark.") and the rest of the text."""
    parts = text.split()
    for size in (3, 2, 1):
        if len(parts) < size:
            continue
        head = " ".join(parts[:size])
        if len(head) == 2:
            state = parse_state(head)
        else:
            found = find_states(head, known_words)
            whole = len(found) == 1 and (found[0].start, found[0].end) == (0, len(head))
            state = found[0].state if whole else None
        if state is not None:
            return state, " ".join(parts[size:])
    return None, text.strip()
