"""Query understanding: from plain text to the states it names and the index terms it asks about.

Takes plain text (Slack markup is stripped at the Slack edge). State names are
the filter, not search words. A query word the index does not hold is mapped
to the corpus's own word ("cops" -> law enforcement) or corrected when it is
one typo from a corpus word; terms that exist only through a correction are
marked, so the decision can refuse to rest on them alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from dataclasses import dataclass
from functools import lru_cache

import jellyfish

from bot.states import Mention, State, find_states
from bot.text import EVERYDAY_WORDS, normalize, stem, tokens, words

MAX_QUERY_CHARS = 4000


@dataclass(frozen=True)
class Query:
    text: str  # normalised, cut to MAX_QUERY_CHARS
    mentions: tuple[Mention, ...]
    words: tuple[str, ...]  # content words, state names and bare numbers left out
    terms: tuple[str, ...]  # index terms, each once, in order
    word_terms: dict[str, tuple[str, ...]]  # the index terms each word was read as
    corrected: frozenset[str]  # terms that came only from correcting a typo

    @property
    def named_states(self) -> list[State]:
        return list(dict.fromkeys(m.state for m in self.mentions))


class QueryReader:
    """Reads questions against one corpus's vocabulary (built once, used for every question)."""

    def __init__(self, vocabulary: Iterable[str], known_terms: Set[str]):
        self.vocabulary = frozenset(vocabulary)
        self.known_terms = known_terms
        self._by_length: dict[int, list[str]] = {}
        for word in sorted(self.vocabulary):
            self._by_length.setdefault(len(word), []).append(word)
        self._correct = lru_cache(maxsize=16384)(self._correct_uncached)

    def read(self, text: str) -> Query:
        text = normalize(text)[:MAX_QUERY_CHARS]
        mentions = tuple(find_states(text, self.vocabulary))
        rest = text
        for m in reversed(mentions):
            rest = rest[: m.start] + " " + rest[m.end :]
        query_words = tuple(w for w in dict.fromkeys(words(rest)) if not w.isdigit())
        word_terms = {w: self.terms_for(w) for w in query_words}
        terms = tuple(dict.fromkeys(t for w in query_words for t in word_terms[w]))
        # a term is a correction's own when no word gave it without correcting
        direct = {stem(w) for w in query_words} | {
            t for w in query_words if w in EVERYDAY_WORDS for t in word_terms[w]
        }
        corrected = frozenset(t for t in terms if t not in direct)
        return Query(text, mentions, query_words, terms, word_terms, corrected)

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
        if len(word) < 5 or not word.isalpha():
            return stem(word)
        limit = 1 if len(word) <= 8 else 2
        best: tuple[int, str] | None = None
        for length in range(len(word) - limit, len(word) + limit + 1):
            for candidate in self._by_length.get(length, ()):
                if candidate[0] != word[0]:
                    continue
                distance = jellyfish.damerau_levenshtein_distance(word, candidate)
                if distance <= limit and (best is None or (distance, candidate) < best):
                    best = (distance, candidate)
        return stem(best[1]) if best else stem(word)
