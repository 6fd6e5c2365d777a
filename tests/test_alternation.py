"""Alternatives tried only where they can start find exactly what their plain alternation finds."""

from __future__ import annotations

import random

import pytest

from bot import scope, text
from bot.alternation import _ANY_NEXT, Alternation, _prefixes, first_chars

_FRAGMENTS = (
    "goal goals aims what's the point whats the point bring to the table bring carry out carried out "
    "it's working its working is working their part the state's part the states part part in really do "
    "sign up due process skin colour single out singling people out what worked pass on passes along "
    "watching over keep an eye polices the police feet to the fire bad press sensitive data weighing up "
    "trade-off tradeoffs sorted out at odds panel panels measure successful hand over openness open and "
    "how many how much who is the who chairs name of 2019 2024 yesterday my cousin am i should i new mexico "
    "mexico uk u.k. right now today phone e-mail is it legal do you think pdf waste of money x ' - ,"
).split(" ")


def _texts(records):
    rng = random.Random(8)
    out = [t.lower() for r in records for t in (r.question, r.answer)]
    for _ in range(5000):
        out.append("".join(rng.choice(_FRAGMENTS) + rng.choice([" ", "", "-", ", ", "'"]) for _ in range(12)))
    return out


def test_related_phrases_are_found_as_by_the_plain_alternation(records):
    for lowered in _texts(records):
        expected = [(m.span(), m.lastgroup) for m in text._RELATED.regex.finditer(lowered)]
        assert [(m.span(), m.lastgroup) for m in text._RELATED.finditer(lowered)] == expected


def test_the_scope_check_finds_a_fact_pattern_exactly_when_one_matches(records):
    for lowered in _texts(records):
        plain = any(p.regex.search(lowered) for _, p in scope._PATTERNS)
        assert scope._ANY.search(lowered) == plain


def test_each_kind_of_fact_is_found_as_by_its_plain_alternation(records):
    assert all(p._by_char is not None for _, p in scope._PATTERNS)  # each tried only where it can start
    for lowered in _texts(records):
        for _, pattern in scope._PATTERNS:
            expected = [(m.span(), m.lastgroup) for m in pattern.regex.finditer(lowered)]
            assert [(m.span(), m.lastgroup) for m in pattern.finditer(lowered)] == expected


def test_first_characters_are_read_from_the_pattern():
    assert first_chars(r"\b(?:goals?|aims?|what'?s the point)\b") == frozenset("gaw")
    assert first_chars(r"\b(?:19|20)\d\d\b") == frozenset("12")
    assert first_chars(r"(?:the )?state") == frozenset("ts")
    assert first_chars(r"\b\w+") is None  # a category: not plain
    assert first_chars(r"(?i:ark)") is None  # an inline flag
    assert first_chars(r"x?") is None  # can match nothing


def _begins(pattern: str, limit: int = 4) -> set[str]:
    from re import _parser

    return {p.replace(_ANY_NEXT, "*") for p in _prefixes(_parser.parse(pattern).data, limit)}


def test_first_characters_of_a_match_are_read_from_the_pattern():
    assert _begins(r"\b(?:how (?:many|much))\b") == {"how "}
    assert _begins(r"\b(?:19|20)\d\d\b") == {"19*", "20*"}  # a category: any may follow
    assert _begins(r"\ba?b") == {"ab", "b"}  # a whole match shorter than four: anything may follow
    assert _begins(r"\bper[- ]?(?:day|diem)\b") == {"per-", "per ", "perd"}
    assert _begins(r"\b(?:more|less) (?:\w+ ){0,6}than\b") == {"more", "less"}
    assert _begins(r"\bi (?:\w+ ){0,2}x", 6) == {"i *", "i x"}
    # two repeats may end the match, and more may follow: anything may, after "abab"
    assert _begins(r"\b(?:ab){2,}", 6) == {"abab*", "ababab"}
    assert _begins(r"\bx(?:ab)*") == {"x*", "xab*", "xaba"}


def test_words_that_begin_like_no_alternative_are_passed_over():
    alternation = Alternation([("p0", r"\bhow many\b"), ("p1", r"\bthe (?:\w+ )?text\b")])
    # "how th": not "how ma"; "then", "thereof": not "the "
    text = "how the task then thereof how many"
    assert [m.start() for m in alternation._starts.finditer(text)] == [4, 26]


@pytest.mark.parametrize("patterns", [[r"\bab", r"cd"], [r"\b\w+x", r"\bq"]])
def test_patterns_without_a_plain_start_use_the_plain_alternation(patterns):
    alternation = Alternation([(f"p{i}", p) for i, p in enumerate(patterns)])
    for sample in ["ab cd", "qx abx", "xq q"]:
        expected = [(m.span(), m.lastgroup) for m in alternation.regex.finditer(sample)]
        assert [(m.span(), m.lastgroup) for m in alternation.finditer(sample)] == expected
