"""Many named regex alternatives, matched as their alternation would be, tried only where they can start.

Python's re tries every alternative of a long alternation at every position:
for the related phrases (bot/text.py) and the kinds of facts the pages do not
hold (bot/scope.py), tens of microseconds a question. Each of those
alternatives begins with a word boundary and one of a few known characters, so
here each is tried only at the word boundaries whose character can start it,
and only where the next few characters begin like one of them (most words do
not: "the", "task"). The matches are the same (the same alternative wins, at
the same places, and the scan goes on after each match as `re.finditer`'s
does) for a fraction of the work. The characters an alternative can start
with, and its first few, are read from its parse; if the first is not plain
for one of them (a dot, a character category, an inline flag), or one does
not begin with a word boundary, the plain alternation is used.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
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
    return _first_chars(parsed)


def _first_chars(parsed: sre_parse.SubPattern) -> frozenset[str] | None:
    if parsed.state.flags & ~sre.SRE_FLAG_UNICODE:
        return None
    chars, empty = _first(parsed.data)
    return None if chars is None or empty else frozenset(chars)


# In a prefix below: the next character is not plain (a category, any character), so any may follow.
_ANY_NEXT = "\0"


def _prefixes(items: Sequence[tuple], limit: int) -> set[str]:
    """The first `limit` characters that matches of the parsed `items` can begin with.

    A shorter string is a whole match, or ends in _ANY_NEXT; either way anything may
    follow it. Lookarounds and boundaries are passed over: they only narrow what matches.
    """
    out = {""}
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        grown = set()
        for prefix in out:
            if len(prefix) == limit or prefix.endswith(_ANY_NEXT):
                grown.add(prefix)
            else:
                grown.update(prefix + more for more in _item_prefixes(op, av, limit - len(prefix)))
        out = grown
    return out


def _item_prefixes(op: object, av: object, limit: int) -> set[str]:
    """`_prefixes` of one parsed item."""
    if op is sre.LITERAL:
        return {chr(av)}  # type: ignore[arg-type]
    if op is sre.IN:
        chars, _ = _first([(op, av)])
        return chars or {_ANY_NEXT}
    if op is sre.SUBPATTERN:
        _group, add_flags, del_flags, sub = av  # type: ignore[misc]
        return {_ANY_NEXT} if add_flags or del_flags else _prefixes(sub.data, limit)
    if op is sre.BRANCH:
        return set().union(*(_prefixes(branch.data, limit) for branch in av[1]))  # type: ignore[index]
    if op in _REPEATS:
        low, high, sub = av  # type: ignore[misc]
        # more than `limit` repeats beyond the least add nothing new to the first `limit` characters,
        # but after that many, more may follow
        most = min(high, low + limit)
        out: set[str] = set()
        for count in range(low, most + 1):
            out |= _prefixes(list(sub.data) * count, limit)
        if high > most:
            out = {p if len(p) == limit or p.endswith(_ANY_NEXT) else p + _ANY_NEXT for p in out}
        return out
    return {_ANY_NEXT}


def _starts_at_boundary(parsed: sre_parse.SubPattern) -> bool:
    return bool(parsed.data) and parsed.data[0] == (sre.AT, sre.AT_BOUNDARY)


# How many first characters say where an alternative may start: with six, most words
# ("the", "task", "agencies") begin like none of them, so they are passed over at once,
# and so do words that only begin like one ("state" like "statistics": with four it
# was tried, a third of the slow questions' scope check).
_PREFIX_LENGTH = 6


def _starts_like(patterns: Iterable[sre_parse.SubPattern]) -> str:
    """A regex for what matches of the parsed `patterns` (their first characters plain) can
    begin with: their first `_PREFIX_LENGTH` characters, as a trie."""
    trie: dict = {}
    for parsed in patterns:
        for prefix in _prefixes(parsed.data, _PREFIX_LENGTH):
            node = trie
            for c in prefix.removesuffix(_ANY_NEXT):
                node = node.setdefault(c, {})
            node[_ANY_NEXT] = {}  # anything may follow here
    return _trie_regex(trie)


def _trie_regex(node: dict) -> str:
    """`node`'s strings as nested alternatives (each tried only after its first character)."""
    if _ANY_NEXT in node:
        return ""
    return "(?:" + "|".join(re.escape(c) + _trie_regex(child) for c, child in sorted(node.items())) + ")"


class Alternation:
    """`(?P<name>pattern)|...` for the named patterns, in order, as `regex.finditer` finds them."""

    def __init__(self, named: Sequence[tuple[str, str]]):
        self.regex = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in named))
        self._by_char: dict[str, re.Pattern[str]] | None = None
        parsed = [sre_parse.parse(p) for _, p in named]  # each once: parsing is most of the set-up
        starts = [_first_chars(p) if _starts_at_boundary(p) else None for p in parsed]
        if any(s is None for s in starts):
            return  # not plain: the one regex
        by_char: dict[str, list[str]] = {}
        for (name, pattern), chars in zip(named, starts, strict=True):
            for c in sorted(chars):  # type: ignore[union-attr]
                by_char.setdefault(c, []).append(f"(?P<{name}>{pattern})")
        # Each character's patterns in their order: where the character is, the same one wins.
        self._by_char = {c: re.compile("|".join(patterns)) for c, patterns in by_char.items()}
        # where any of them could start: a word boundary before what one of them can begin with
        self._starts = re.compile(r"\b(?=" + _starts_like(parsed) + ")")

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
