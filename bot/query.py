"""Query understanding: from plain text to the states it names and the index terms it asks about.

Takes plain text (Slack markup is stripped at the Slack edge). State names are
the filter, not search words. A query word the index does not hold is mapped
to the corpus's own word ("cops" -> law enforcement) or corrected when it is
one typo from a corpus word. A real English word is never corrected: "rolls"
is not a misspelt "roles", and reading it so would make an off-topic question
look on-topic (the English word list is pyspellchecker's, loaded on first use).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Set
from functools import cache, lru_cache
from typing import NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein, Indel

from bot.index import adjacent_pairs
from bot.states import Mention, State, find_states
from bot.text import EVERYDAY_WORDS, normalize, related_words, stem, tokens, words

MAX_QUERY_CHARS = 4000
_NEGATED_RE = re.compile(r"\b(?:not|except|excluding|other than)\s+(?:in\s+|the\s+|for\s+)?$", re.IGNORECASE)
# "..., not the MOUs", "(not asking about oversight)", "i don't mean conflicts of interest, i mean ...":
# a topic the asker says they do not mean, from a clause's start to its end, is no search words
_NOT_MEANT_RE = re.compile(
    r"(?:^|(?<=[,.;:?!(\-–—])\s*|\s[-–—]\s)"
    r"(?:not|i (?:don'?t|do not) mean)\s+(?:(?:asking|talking)\s+)?(?:about\s+)?"
    r"[^,.;:?!()\-–—]*?(?=\s*(?:[,.;:?!()\-–—]|\bi mean\b|\bjust\b|\bspecifically\b|\bbut\b|$))",
    re.IGNORECASE,
)
_NOT_MEANT_HINT_RE = re.compile(r"\bnot\s|\bmean\b", re.IGNORECASE)
# How often a word must occur in pyspellchecker's English frequency list to count as a real word
# (names and rare forms like "handel" sit below it, so they can still be corrected).
ENGLISH_WORD_MIN_COUNT = 100


class Query(NamedTuple):
    """A question as read. A NamedTuple, not a frozen dataclass: as immutable, and made in a
    sixth of the time (1.7 µs, every question)."""

    text: str  # normalised, cut to MAX_QUERY_CHARS
    mentions: tuple[Mention, ...]
    words: tuple[str, ...]  # content words, state names and bare numbers left out
    terms: tuple[str, ...]  # index terms, each once, in order
    word_terms: dict[str, tuple[str, ...]]  # the index terms each word was read as
    pairs: tuple[str, ...]  # adjacent content words, stemmed, as one token each
    strange: tuple[str, ...] = ()  # content words the pages never use, even when corrected,
    # and not said in a phrase the pages have a word for ("job" in "the job of state agencies": role)
    excluded: tuple[State, ...] = ()  # states said not to be meant ("not arkansas")

    @property
    def named_states(self) -> list[State]:
        return list(dict.fromkeys(m.state for m in self.mentions))


class QueryReader:
    """Reads questions against one corpus's vocabulary (built once, used for every question)."""

    def __init__(self, vocabulary: Iterable[str], known_terms: Set[str]):
        self.vocabulary = frozenset(vocabulary)
        self.known_terms = known_terms
        # candidates for a typo share its first letter and nearly its length
        self._by_start_and_length: dict[tuple[str, int], list[str]] = {}
        for word in sorted(self.vocabulary):
            self._by_start_and_length.setdefault((word[0], len(word)), []).append(word)
        self._correct = lru_cache(maxsize=16384)(self._correct_uncached)
        # words recur from question to question: each is read once (its terms, and whether it is strange)
        self._read_word = lru_cache(maxsize=16384)(self._read_word_uncached)

    def read(self, text: str) -> Query:
        text = normalize(text)[:MAX_QUERY_CHARS]
        found = find_states(text, self.vocabulary)
        rest = text
        for m in reversed(found):
            rest = rest[: m.start] + " " + rest[m.end :]
        lowered = rest.lower()
        if may_say_not_meant(rest, lowered):  # most questions have neither word: 10 µs saved
            rest = _NOT_MEANT_RE.sub(" ", rest)
            lowered = rest.lower()
        mentions, excluded = _meant(text, found)
        in_order = [w for w in words(rest) if not w.isdigit()]
        query_words = tuple(dict.fromkeys(in_order))
        related_phrases, phrased = related_words(lowered)
        related = [t for pages_words in related_phrases for t in _pages_terms(pages_words)]
        word_terms: dict[str, tuple[str, ...]] = {}
        strange = []
        explained = set()  # words the pages lack, said in a phrase for one of theirs: read as it
        for w in query_words:
            word_terms[w], is_strange = self._read_word(w)
            if is_strange and w in phrased:
                explained.add(w)
            elif is_strange:
                strange.append(w)
        own = (t for w in query_words if w not in explained for t in word_terms[w])
        terms = tuple(dict.fromkeys([*own, *related]))
        pairs = tuple(dict.fromkeys(adjacent_pairs([word_terms[w][0] for w in in_order if word_terms[w]])))
        return Query(text, mentions, query_words, terms, word_terms, pairs, tuple(strange), excluded)

    def _read_word_uncached(self, word: str) -> tuple[tuple[str, ...], bool]:
        """A query word's terms, and whether it is strange: none of them is a term the pages use."""
        terms = self.terms_for(word)
        return terms, not any(t in self.known_terms for t in terms)

    def terms_for(self, word: str) -> tuple[str, ...]:
        """The index terms for a query word: its stem, the corpus's word for it, or a typo fixed."""
        term = stem(word)
        if term in self.known_terms:
            return (term,)
        if word in EVERYDAY_WORDS:
            return tuple(tokens(EVERYDAY_WORDS[word]))
        return (self._correct(word),)

    def _correct_uncached(self, word: str) -> str:
        """The stem of the corpus word one typo away (two for long words), else the word's stem."""
        if len(word) < 5 or not word.isalpha() or is_english_word(word):
            return stem(word)
        limit = 1 if len(word) <= 8 else 2
        candidates = [
            candidate
            for length in range(len(word) - limit, len(word) + limit + 1)
            for candidate in self._by_start_and_length.get((word[0], length), ())
        ]
        # An edit costs at most two insertions or deletions, so words more than twice the limit
        # apart in those alone are out: one bit-parallel pass over hundreds of candidates (at
        # 10,000 records, under 0.11 ms where an edit distance each took up to 1.8 ms), then the few left
        near = process.extract(word, candidates, scorer=Indel.distance, score_cutoff=2 * limit, limit=None)
        best: tuple[int, str] | None = None
        for candidate, _, _ in near:
            distance = DamerauLevenshtein.distance(word, candidate)
            if distance <= limit and (best is None or (distance, candidate) < best):
                best = (distance, candidate)
        return stem(best[1]) if best else stem(word)


def may_say_not_meant(text: str, lowered: str) -> bool:
    """Whether `text` (`lowered`: its lower case) has "not" or "mean" as a word, which saying
    what is not meant needs. The words are looked for as strings first: re tries a pattern
    that starts with \\b at every position of the text."""
    return ("not" in lowered or "mean" in lowered) and _NOT_MEANT_HINT_RE.search(text) is not None


def _meant(text: str, found: list[Mention]) -> tuple[tuple[Mention, ...], tuple[State, ...]]:
    """The mentions of states meant, and the states said not to be meant: "virginia (not
    west virginia)"; a state said not to be meant is no filter."""
    if not found:  # most questions: nothing to look for
        return (), ()
    negated = [bool(_NEGATED_RE.search(text, 0, m.start)) for m in found]
    mentions = tuple(m for m, no in zip(found, negated, strict=True) if not no)
    excluded = tuple(dict.fromkeys(m.state for m, no in zip(found, negated, strict=True) if no))
    return mentions, excluded


@cache
def _pages_terms(pages_words: str) -> tuple[str, ...]:
    """The terms of a related phrase's words (a few dozen phrases: each tokenised once)."""
    return tuple(tokens(pages_words))


@cache
def _english_frequencies() -> dict[str, int]:
    from spellchecker import SpellChecker  # 0.1 s to load: only once a word needs correcting

    return SpellChecker(language="en", distance=1).word_frequency.dictionary


def is_english_word(word: str) -> bool:
    return _english_frequencies().get(word, 0) >= ENGLISH_WORD_MIN_COUNT
