"""Many named regex alternatives, matched as their alternation would be, tried only where they can start.

Python's re tries every alternative of a long alternation at every position:
for the related phrases (bot/text.py) and the kinds of facts the pages do not
hold (bot/scope.py), tens of microseconds a question. Each of those
alternatives begins with a word boundary and one of a few known characters, so
here each is tried only at the word boundaries whose character can start it.
The matches are the same (the same alternative wins, at the same places, and
the scan goes on after each match as `re.finditer`'s does) for a fraction of
the work. The characters an alternative can start with are read from its
parse; if that is not plain for one of them (a dot, a character category, an
inline flag), or one does not begin with a word boundary, the plain
alternation is used.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from re import _constants as sre  # re's own parser: private, but stable since Python 3.11
from re import _parser as sre_parse

_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
_ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)  # consume nothing: the first character comes after


def _first(items: Sequence[tuple]) -> tuple[set[str] | None, bool]:
    """The characters a match of the parsed `items` can start with (None: not plain), and
    whether it can match the empty string."""
    out: set[str] = set()
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        if op is sre.LITERAL:
            out.add(chr(av))
            return out, False
        if op is sre.IN:
            for kind, value in av:
                if kind is sre.LITERAL:
                    out.add(chr(value))
                elif kind is sre.RANGE and value[1] - value[0] < 256:
                    out.update(map(chr, range(value[0], value[1] + 1)))
                else:
                    return None, False
            return out, False
        if op is sre.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if add_flags or del_flags:
                return None, False
            chars, empty = _first(sub.data)
        elif op is sre.BRANCH:
            chars, empty = set(), False
            for branch in av[1]:
                branch_chars, branch_empty = _first(branch.data)
                if branch_chars is None:
                    return None, False
                chars |= branch_chars
                empty = empty or branch_empty
        elif op in _REPEATS:
            low, _high, sub = av
            chars, empty = _first(sub.data)
            empty = empty or low == 0
        else:
            return None, False
        if chars is None:
            return None, False
        out |= chars
        if not empty:
            return out, False
    return out, True


def first_chars(pattern: str) -> frozenset[str] | None:
    """The characters a match of `pattern` can start with; None when that is not plain from its parse."""
    try:
        parsed = sre_parse.parse(pattern)
    except re.error:
        return None
    if parsed.state.flags & ~sre.SRE_FLAG_UNICODE:
        return None
    chars, empty = _first(parsed.data)
    return None if chars is None or empty else frozenset(chars)


def _starts_at_boundary(pattern: str) -> bool:
    data = sre_parse.parse(pattern).data
    return bool(data) and data[0] == (sre.AT, sre.AT_BOUNDARY)


class Alternation:
    """`(?P<name>pattern)|...` for the named patterns, in order, as `regex.finditer` finds them."""

    def __init__(self, named: Sequence[tuple[str, str]]):
        self.regex = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in named))
        self._by_char: dict[str, re.Pattern[str]] | None = None
        starts = [first_chars(p) if _starts_at_boundary(p) else None for _, p in named]
        if any(s is None for s in starts):
            return  # not plain: the one regex
        by_char: dict[str, list[str]] = {}
        for (name, pattern), chars in zip(named, starts, strict=True):
            for c in sorted(chars):  # type: ignore[union-attr]
                by_char.setdefault(c, []).append(f"(?P<{name}>{pattern})")
        # Each character's patterns in their order: where the character is, the same one wins.
        self._by_char = {c: re.compile("|".join(patterns)) for c, patterns in by_char.items()}
        # where any of them could start: a word boundary before one of their first characters
        self._starts = re.compile(r"\b[" + "".join(map(re.escape, sorted(by_char))) + "]")

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """The matches `self.regex.finditer(text)` gives (groups and spans alike)."""
        if self._by_char is None:
            yield from self.regex.finditer(text)
            return
        end = 0
        for start in self._starts.finditer(text):
            at = start.start()
            if at < end:  # inside the last match: the scan goes on from its end
                continue
            m = self._by_char[text[at]].match(text, at)
            if m is not None:
                end = m.end()
                yield m

    def search(self, text: str) -> bool:
        """Whether any of the patterns matches anywhere in `text`."""
        return next(self.finditer(text), None) is not None
