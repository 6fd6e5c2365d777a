"""Text handling shared by the corpus index and queries: clean-up and tokens.

Tokens are lower-cased, stop words dropped, Snowball-stemmed (PyStemmer), and
acronyms folded together with their spelled-out forms, so "MOU" matches
"memoranda of understanding" and back.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

import Stemmer
from stop_words import get_stop_words

from bot.alternation import Alternation

# Spelled-out forms and the acronym each one folds to (applied to lower case).
ACRONYMS: dict[str, str] = {
    r"(?:u\.?s\.?\s+)?customs\s+(?:and|&)\s+border\s+protection": "cbp",
    r"border\s+patrol": "cbp",
    r"immigration\s+(?:and|&)\s+customs\s+enforcement": "ice",
    r"memorand(?:um|ums|a)\s+of\s+understanding|mous?\b|moas?\b": "mou",
    r"(?:u\.?s\.?\s+)?department\s+of\s+homeland\s+security|homeland\s+security": "dhs",
    r"immigration\s+and\s+nationality\s+act": "ina",
}
ACRONYM_TERMS = frozenset(ACRONYMS.values())
# Words that say a question is about the pages' subject: a question that names no state
# and speaks of things the pages never mention needs one of these, or an acronym the
# pages use (or two of the everyday ones below), before it is answered, or "best
# practices for code review" is read as on topic. Not their title's other words,
# everyday English ("task force", "coordination", "role"), nor MOU (any two firms
# sign one), nor "customs"; "ice" counts only written as the agency, ICE (see
# subject_terms).
TOPIC_WORDS = (
    "immigration immigrant immigrants migrant migrants deportation deportations deport deported detention "
    "detainer detainers detainee homeland undocumented noncitizen noncitizens 287g"
)
# Words of the subject that are also everyday words ("travel agency", "border of a table",
# "a joke about cops"): one of them alone does not tie such a question to the pages; two do.
EVERYDAY_TOPIC_WORDS = "federal feds agency agencies enforcement police border sheriff sheriffs joint"
# ICE in capitals, or spelled out (the form `fold_acronyms` reads as "ice")
_AGENCY_ICE_RE = re.compile(
    r"\bICE\b|(?i:" + next(p for p, acronym in ACRONYMS.items() if acronym == "ice") + ")"
)


# Letters re's IGNORECASE matches to an ASCII letter that lower() leaves as they are ("ſ" is
# "s", "ı" is "i"): a text with one may match a pattern without holding its words in lower case
_FOLDED_BY_RE = ("ı", "ſ")


def _may_hold_folded(lowered: str) -> bool:
    return not lowered.isascii() and any(c in lowered for c in _FOLDED_BY_RE)


def names_the_agency_ice(text: str) -> bool:
    """Whether `text` names ICE the agency (in capitals or spelled out), not ice."""
    # Python's re tries a pattern that starts with \b at every position (10 µs on a long
    # question); a text without either word cannot match
    lowered = text.lower()
    if "ICE" not in text and "customs" not in lowered and not _may_hold_folded(lowered):
        return False
    return _AGENCY_ICE_RE.search(text) is not None


# The look-ahead on first letters lets most positions fail at once (5x faster on long answers).
_ACRONYM_RE = re.compile(
    r"\b(?=[bcdhimu])(?:" + "|".join(f"(?P<g{i}>{p})" for i, p in enumerate(ACRONYMS)) + ")", re.IGNORECASE
)
_ACRONYM_BY_GROUP = {f"g{i}": a for i, a in enumerate(ACRONYMS.values())}
# A word every spelled-out form has: a text without any of them (nor a letter re folds) has none to fold
_ACRONYM_WORDS = ("border", "customs", "homeland", "memorand", "moa", "mou", "nationality")

# The stop-words package's English list is broad; these words carry meaning here.
_KEEP = {
    "information",
    "right",
    "rights",
    "system",
    "systems",
    "problem",
    "problems",
    "interest",
    "interests",
    "member",
    "members",
    "group",
    "groups",
    "value",
    "values",
    "case",
    "cases",
    "research",
    "changes",
    "order",
    "public",
    "act",
    "effect",
    "present",
    "importance",
}
# Chat filler that says nothing about the topic ("hey bot, help please").
_CHATTER = {
    "hey",
    "hiya",
    "hello",
    "howdy",
    "yo",
    "thanks",
    "thank",
    "thx",
    "cheers",
    "please",
    "pls",
    "bot",
    "question",
    "questions",
    "answer",
    "answers",
    "wondering",
    "curious",
    "quick",
    "faq",
    "happen",
    "happens",
    "anyone",
    "tell",
    "explain",
    "info",
    "details",
    "detail",
    "stuff",
}
# The light verb of "what role do they play": the role is the word that says something.
_LIGHT_VERBS = {"play", "plays", "played", "playing"}
# Everyday words people type, and the corpus's words for them; used only for
# query words the corpus does not contain.
EVERYDAY_WORDS: dict[str, str] = {
    **dict.fromkeys(
        ["problem", "problems", "obstacles", "difficulties", "hurdles", "barriers", "struggles"], "challenges"
    ),
    **dict.fromkeys(["cops", "police", "policing", "sheriff", "sheriffs", "deputies"], "law enforcement"),
    **dict.fromkeys(["raid", "raids", "sweep", "sweeps", "ops"], "operations"),
    **dict.fromkeys(["complain", "complained", "grievance", "grievances"], "complaints"),
    **dict.fromkeys(["oversee", "oversees", "overseeing", "watchdog", "supervises"], "oversight"),
    **dict.fromkeys(["lobby", "lobbies", "lobbying"], "advocating"),
    **dict.fromkeys(["deport", "deportation", "deportations", "removals"], "immigration enforcement"),
    **dict.fromkeys(["county", "counties", "municipal", "city", "cities"], "local"),
    "intel": "intelligence",
    "feds": "federal",
    "private": "privacy",
    "money": "funding",
    "budget": "funding",
    "trampled": "violations",
}

# Words and phrases people use for a concept the pages name otherwise, and the
# pages' words for it. They are added to the question's own words (which still
# count), so "what's their part in it" also looks for "role". Stop words may be
# part of a phrase here. Patterns are matched on lower-cased text, whole words.
RELATED_PHRASES: dict[str, str] = {
    r"goals?|aims?|aiming|purposes?|mission|accomplish|achieve|what'?s the point": "objectives",
    r"contribut\w*|lends?|supply|supplies|bring to the table|bring|hand over": "resources support provide",
    r"gear|equipment": "equipment resources",
    r"steps|carr(?:y|ying|ied) out|execute|put together": "planned executed",
    r"publish\w*|disclos\w*|openness|open and|answerable|stay open": "transparency accountability",
    r"measure\w*|(?:is|it'?s|actually|really) working|success\w*|metrics|paying off|pay off|results": "effectiveness impact",
    r"decide\w*|deciding|justify": "criteria determining necessity",
    r"(?:their|its|the state'?s?) part|part in|job|responsible for|(?:actually|really) do": "role",
    r"prep|courses?|classes|workshops|sign up": "training",
    r"headaches?|snags?|friction|hard|difficult\w*|struggle\w*|obstacles?|hurdles?|barriers?": "challenges",
    r"freedoms?|constitutional|due process": "civil rights liberties protected",
    r"loyalt\w*|competing stakes|stakes": "conflicts interest",
    r"skin colou?r|racial|singl\w* (?:people )?out|ethnic\w*": "racial profiling discrimination",
    r"takeaways?|what worked|flopped|lessons?": "lessons learned best practices",
    r"swap\w*|exchang\w*|pass(?:es|ing)? (?:on|along)": "information sharing",
    r"watch\w* over|watchdogs?|keeps? an eye|checks? on|polices? the police|feet to the fire": "oversight accountability",
    r"exposure|sued|lawsuits?|bad press|reputation\w*": "risks liabilities",
    r"leak\w*|misus\w*|sensitive records|sensitive data": "securely privacy protected",
    r"square|weigh\w* (?:against|up)|trade-?offs?": "balance",
    r"disagree\w*|sort(?:ed)? out|at odds": "conflicts",
    r"panels?": "oversight committees",
}
# One pass for all of them: a named group per phrase list, each tried only where it can start.
_RELATED = Alternation([(f"r{i}", rf"\b(?:{pattern})\b") for i, pattern in enumerate(RELATED_PHRASES)])
_RELATED_BY_GROUP = {f"r{i}": words for i, words in enumerate(RELATED_PHRASES.values())}


def related_words(lowered: str) -> tuple[list[str], set[str]]:
    """The pages' words for the concepts `lowered` names in other words (once each), and the
    words it names them with ("job" in "the job of state agencies")."""
    found = list(_RELATED.finditer(lowered))
    pages_words = list(dict.fromkeys(_RELATED_BY_GROUP[m.lastgroup] for m in found))
    return pages_words, {w for m in found for w in _WORD_RE.findall(m.group())}


STOP_WORDS = frozenset((set(get_stop_words("en")) - _KEEP) | _CHATTER | _LIGHT_VERBS)

_STEMMER = Stemmer.Stemmer("english")
_WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]+")


def normalize(text: str) -> str:
    """Unicode-normalised text with straight quotes and no invisible characters."""
    if text.isascii():  # already so (and the check is free: CPython marks ASCII strings)
        return text
    text = unicodedata.normalize("NFKC", text)
    if _INVISIBLE_RE.search(text):  # rare; str.translate with a table costs 10 µs on any long text
        text = _INVISIBLE_RE.sub("", text)
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')


def fold_acronyms(lowered: str) -> str:
    if not any(w in lowered for w in _ACRONYM_WORDS) and not _may_hold_folded(lowered):  # most: 7 µs saved
        return lowered
    return _ACRONYM_RE.sub(lambda m: f" {_ACRONYM_BY_GROUP[m.lastgroup]} ", lowered)


def words(text: str) -> list[str]:
    """Content words of `text`, lower-cased, acronyms folded, stop words dropped."""
    lowered = fold_acronyms(normalize(text).lower())
    return [w for t in _WORD_RE.findall(lowered) if (w := t.removesuffix("'s")) not in STOP_WORDS]


# Words the stemmer folds into another word's stem ("government" into "governs").
_STEM_EXCEPTIONS = {"government": "government", "governments": "government"}


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _STEM_EXCEPTIONS.get(word) or _STEMMER.stemWord(word)


# Runs of capitalised words ("Secure Communities", "Complaint Boards", "Immigration and
# Nationality Act"): names of programmes and laws, and the headings of an answer's lists.
_NAMED_PHRASE_RE = re.compile(r"\b[A-Z][\w-]*(?:\s+(?:(?:of|and|the|for)\s+)*[A-Z][\w-]*)+")


def named_phrases(text: str) -> list[str]:
    """The capitalised phrases of `text` (two words or more)."""
    return _NAMED_PHRASE_RE.findall(text)


# PyStemmer's own cache off: the corpus's words are stemmed once, at start-up.
_CORPUS_STEMMER = Stemmer.Stemmer("english", 0)


def stems(words: Iterable[str]) -> dict[str, str]:
    """Each distinct word and its stem, as `stem` gives it, but kept out of `stem`'s cache:
    a corpus's tens of thousands of words would stay there for nothing (questions' words do not)."""
    distinct = list(dict.fromkeys(words))
    return {
        w: _STEM_EXCEPTIONS.get(w) or s
        for w, s in zip(distinct, _CORPUS_STEMMER.stemWords(distinct), strict=True)
    }


def tokens(text: str) -> list[str]:
    """BM25 tokens: stems of the content words."""
    return [stem(w) for w in words(text)]


TOPIC_TERMS = frozenset(tokens(TOPIC_WORDS)) | (ACRONYM_TERMS - {"mou"})
EVERYDAY_TOPIC_TERMS = frozenset(tokens(EVERYDAY_TOPIC_WORDS))
# The title's own everyday words: a long question naming no state needs one of them, or a subject word
TITLE_TERMS = frozenset(tokens("task force operation op"))


def subject_terms(text: str, terms: Sequence[str]) -> tuple[list[str], frozenset[str], frozenset[str]]:
    """For the subject rule (`decision.on_topic`): the question's terms that count in its share
    of strange words, the terms that say the pages' subject, and those that say it only two
    together. "ice" is of the first kind when written as the agency, ICE; in lower case it is
    of the second ("cooperate w ice" may be the agency; "ice on my windshield" is not) and
    does not count in the share."""
    if names_the_agency_ice(text):
        return list(terms), TOPIC_TERMS, EVERYDAY_TOPIC_TERMS
    return [t for t in terms if t != "ice"], _TOPIC_TERMS_BUT_ICE, _EVERYDAY_TOPIC_TERMS_AND_ICE


_TOPIC_TERMS_BUT_ICE = TOPIC_TERMS - {"ice"}
_EVERYDAY_TOPIC_TERMS_AND_ICE = EVERYDAY_TOPIC_TERMS | {"ice"}
