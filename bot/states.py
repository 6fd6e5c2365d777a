"""US states: names and codes (from the `us` package) and finding them in text.

Detection must stay right with all 50 states in the corpus, so two-letter
codes that are also English words ("in", "or", "me", "hi", "ok") count only
when clearly written as a state, and fuzzy matching (for "Arkansaw",
"west virgina") never fires on a real word nor reads a misspelt two-word
name ("W Virgina") as the shorter state inside it ("Virginia").

`find_states` runs once per question, so it walks the words once and does
its edit-distance work only for the few words that could be a state.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass
from functools import lru_cache
from string import ascii_lowercase

import us
from rapidfuzz.distance import DamerauLevenshtein


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
# The District of Columbia is no state, but "Washington, D.C." must not read as Washington
# state: it is found, as a place no page covers.
DISTRICT_OF_COLUMBIA = State("District of Columbia", "DC")
_BY_CODE = {s.code: s for s in (*ALL_STATES, DISTRICT_OF_COLUMBIA)}

# Two-letter codes that are also words or common abbreviations in English.
AMBIGUOUS_CODES = frozenset(
    "in or me hi ok la oh de pa ma al co id mo ms mt ne ga va wa il md mi ut ca nd sc ct".split()
)
# Words before a code that show it is meant as a state ("in OR", "for ME").
STATE_CONTEXT_BEFORE = frozenset("in for from about of at to with than re vs versus and state".split())
# ...of which these join two things, so they show it only after a state ("AR and OR",
# not "CBP and ICE, OR is there none").
_JOINING_WORDS = frozenset("and or than vs versus".split())
# Words that start a sentence before a comma and are not a city ("Yes, OK" is not "Portland, ME").
_NOT_PLACES = frozenset(
    "yes no ok okay well so hmm right fine sure thanks hi hello hey great cool good".split()
)
# Real words one or two typos from a state name (checked against a dictionary):
# never read as a misspelt state.
NOT_FUZZY = frozenset(
    "indian indians texan texans origin virgin georgian georgina main maines marine maxine florid".split()
)
# Real words one typo from the first word of a two-word name ("best Virginia" is Virginia).
# Not "wet" and "wets": before "Virginia" they are "West" with a letter dropped or swapped.
_NOT_HEADS = frozenset(
    "best fest jest lest nest pest rest test vest zest went wept weft welt wist wrest "
    "forth worth mouth youth sooth sough rhoda rhone rode "
    "anew dew few hew jew knew lew mew ned neg neo net news newt now pew sew yew".split()
)
# Real words one typo from the second word of a two-word name ("new work" is not New York).
_NOT_TAILS = frozenset(
    "bork cork dork fork pork work yock yolk yore caroline caroling lakota hersey inland".split()
)
# AP abbreviations whose letters are a common word ("Ill.", "Miss.", "Wash."):
# these count only written exactly, capital and dot included.
_WORDLIKE_AP = frozenset("ill. miss. wash. mass. ind. del. ore. la. pa. mo. ga. va. md. conn. me.".split())
# Fuzzy matching starts at this many letters: shorter words are too often real.
_MIN_FUZZY = 6
_NO_MATCH = 99  # edits beyond any limit


def state_by_name(text: str) -> State | None:
    """The state with exactly this name (any case, any spacing), else None."""
    return _BY_NAME.get(" ".join(text.lower().split()))


def state_by_code(code: str) -> State | None:
    return _BY_CODE.get(code.strip().upper())


def parse_state(text: str, known_words: Iterable[str] = frozenset()) -> State | None:
    """The one state that `text` names (name, code, abbreviation or near miss)."""
    text = text.strip()
    if len(text) == 2:  # a bare code is unambiguous on its own
        return state_by_code(text)
    mentions = find_states(text, known_words)
    states = {m.state for m in mentions}
    return mentions[0].state if len(states) == 1 else None


def _typo_limit(name: str) -> int:
    """Edits allowed to a name: one, or two for names longer than eight letters."""
    return 1 if len(name) <= 8 else 2


def _distance(a: str, b: str) -> int:
    return DamerauLevenshtein.distance(a, b)


def _one_edit(word: str) -> set[str]:
    """Every string one deletion, insertion, substitution or swap away from `word`."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return (
        {a + b[1:] for a, b in splits if b}
        | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
        | {a + c + b[1:] for a, b in splits if b for c in ascii_lowercase}
        | {a + c + b for a, b in splits for c in ascii_lowercase}
    )


# -- abbreviations: AP style ("W. Va.", "Ark.") and common short forms ("W Va", "N Carolina")


def _ap_pattern(ap: str) -> str:
    parts = [p for p in ap.split(".") if p]
    body = r"\.\s?".join(re.escape(p) for p in parts)
    # multi-part ones ("W.Va.", "N.Y.") may drop the final dot; "Ark." may not
    tail = r"\.?" if len(parts) > 1 else r"\."
    pattern = rf"(?<![A-Za-z.]){body}{tail}(?![A-Za-z])"
    return pattern if ap.lower() in _WORDLIKE_AP else f"(?i:{pattern})"


# Short forms people type that are not in AP style: "W Va", "WVa", "W. Virginia",
# "N Carolina", "S. Dak.": (first words, second words, code).
_SHORT_FORMS = [
    (("w", "west"), ("va.", "virg.", "virginia"), "WV"),
    (("n", "north"), ("car.", "carolina"), "NC"),
    (("s", "south"), ("car.", "carolina"), "SC"),
    (("n", "north"), ("dak.", "dakota"), "ND"),
    (("s", "south"), ("dak.", "dakota"), "SD"),
]
# AP abbreviations written without their dot ("Ark").
_DOTLESS_AP = {
    "ark": "AR",
    "calif": "CA",
    "ariz": "AZ",
    "colo": "CO",
    "fla": "FL",
    "okla": "OK",
    "tenn": "TN",
    "minn": "MN",
    "mich": "MI",
    "wyo": "WY",
    "nev": "NV",
    "neb": "NE",
}


def _short_form_pattern(heads: tuple[str, ...], tails: tuple[str, ...]) -> str:
    tail = "|".join(re.escape(t.rstrip(".")) + (r"\.?" if t.endswith(".") else "") for t in tails)
    return rf"(?i:(?<![A-Za-z])(?:{'|'.join(heads)})\.?\s*(?:{tail})(?![A-Za-z]))"


# Other written forms: (pattern, code, the word it starts with). The District of Columbia's
# names, and "W.V." (not AP style, that is "W.Va.", but often typed; both dots: "w v" is not it).
_OTHER_FORMS = [
    (r"(?i:(?<![A-Za-z])washington,?\s*d\.?\s?c\b\.?)", "DC", "washington"),
    (r"(?i:(?<![A-Za-z])district\s+of\s+columbia\b)", "DC", "district"),
    (r"(?i:(?<![A-Za-z.])d\.\s?c\.?(?![A-Za-z]))", "DC", "d"),
    (r"(?i:(?<![A-Za-z.])w\.\s?v\.(?![A-Za-z]))", "WV", "w"),
]


def _abbreviations() -> list[tuple[str, str, set[str]]]:
    """Every abbreviation: its pattern, its state's code, and the words it can start with
    (a typed word: "w" in "W. Va.", "wva" run together), longest first where it matters."""
    out: list[tuple[str, str, set[str]]] = [(p, code, {start}) for p, code, start in _OTHER_FORMS]
    for heads, tails, code in _SHORT_FORMS:
        # run together ("WVa", "SDak"), but "scar" is a word
        joined = {h + t.rstrip(".") for h in heads for t in tails if h + t.rstrip(".") != "scar"}
        out.append((_short_form_pattern(heads, tails), code, {*heads, *joined}))
    # Longest first, so "W. Va." is read before "Va." could claim part of it.
    for s in sorted(us.states.STATES, key=lambda s: -len(s.ap_abbr)):
        if "." in s.ap_abbr:
            out.append((_ap_pattern(s.ap_abbr), s.abbr, {s.ap_abbr.split(".")[0].lower()}))
    for ap, code in _DOTLESS_AP.items():
        out.append((rf"(?i:(?<![A-Za-z]){ap}(?![A-Za-z])\.?)", code, {ap}))
    return out


def _by_start(abbreviations: list[tuple[str, str, set[str]]]) -> dict[str, re.Pattern[str]]:
    """For each word an abbreviation can start with, one pattern for those that can (group
    names say the state; in their order): a word is tried against its few, not against all."""
    by_start: dict[str, list[str]] = {}
    for i, (pattern, code, starts) in enumerate(abbreviations):
        for start in starts:
            by_start.setdefault(start, []).append(f"(?P<{code}{i}>{pattern})")
    return {start: re.compile("|".join(patterns)) for start, patterns in by_start.items()}


_ABBREVIATIONS_BY_START = _by_start(_abbreviations())


# -- names: one-word spellings ("arkansas", "westvirginia") and two-word names


@dataclass(frozen=True)
class _Spelling:
    text: str
    state: State
    limit: int  # edits allowed
    rivals: tuple[str, ...] = ()  # other states' spellings a word could be as close to


def _solo_spellings() -> dict[str, _Spelling]:
    """Every state as one word: its name, or a two-word name run together ("newyork")."""
    texts = {name.replace(" ", ""): state for name, state in _BY_NAME.items()}
    out = {}
    for text, state in texts.items():
        limit = _typo_limit(text)
        # A word within `limit` of this name and as close to another is ambiguous
        # ("akansas": Arkansas or Kansas); by the triangle inequality such a rival is
        # within 2 * limit of the name.
        rivals = tuple(
            other for other, s in texts.items() if s != state and _distance(text, other) <= 2 * limit
        )
        out[text] = _Spelling(text, state, limit, rivals)
    return out


def _by_initial(spellings: Iterable[_Spelling]) -> dict[str, tuple[_Spelling, ...]]:
    out: dict[str, list[_Spelling]] = {}
    for s in spellings:
        out.setdefault(s.text[0], []).append(s)
    return {initial: tuple(group) for initial, group in out.items()}


_SOLO = _solo_spellings()
# A typo rarely hits the first letter, so only names with the word's first letter are
# tried: a handful of edit distances per word instead of fifty.
_SOLO_BY_INITIAL = _by_initial(_SOLO.values())


@dataclass(frozen=True)
class _Compound:
    """A two-word name as reached from a typed first word."""

    head_edits: int  # 0: the word itself ("west") or its initial ("w"); 1: a typo ("wst")
    tail: str
    state: State
    limit: int


# What a state's people are called ("Arkansans", "West Virginians") names it, written exactly
# (or, for two-word names, as the name may be). Not "Georgian" (also the country's),
# "Hawaiian" (also a people) nor "Washingtonian" (also the capital's).
_DEMONYMS = {
    "AL": "alabamian alabaman",
    "AK": "alaskan",
    "AZ": "arizonan arizonian",
    "AR": "arkansan",
    "CA": "californian",
    "CO": "coloradan coloradoan",
    "CT": "connecticuter",
    "DE": "delawarean",
    "FL": "floridian",
    "ID": "idahoan",
    "IL": "illinoisan",
    "IN": "hoosier indianan",
    "IA": "iowan",
    "KS": "kansan",
    "KY": "kentuckian",
    "LA": "louisianian louisianan",
    "ME": "mainer",
    "MD": "marylander",
    "MA": "massachusettsan",
    "MI": "michigander michiganian",
    "MN": "minnesotan",
    "MS": "mississippian",
    "MO": "missourian",
    "MT": "montanan",
    "NE": "nebraskan",
    "NV": "nevadan",
    "OH": "ohioan",
    "OK": "oklahoman",
    "OR": "oregonian",
    "PA": "pennsylvanian",
    "TN": "tennessean",
    "TX": "texan",
    "UT": "utahn utahan",
    "VT": "vermonter",
    "VA": "virginian",
    "WI": "wisconsinite",
    "WY": "wyomingite",
    # two-word names: the second word's form
    "NH": "hampshirite",
    "NJ": "jerseyan jerseyite",
    "NM": "mexican",
    "NY": "yorker",
    "NC": "carolinian",
    "SC": "carolinian",
    "ND": "dakotan",
    "SD": "dakotan",
    "RI": "islander",
    "WV": "virginian",
}


def _people(code: str) -> list[str]:
    """A state's demonyms, singular and plural."""
    return [form for word in _DEMONYMS.get(code, "").split() for form in (word, word + "s")]


_PEOPLE_OF = {
    form: _BY_CODE[code] for code in _DEMONYMS if " " not in _BY_CODE[code].name for form in _people(code)
}


def _compounds() -> dict[str, tuple[_Compound, ...]]:
    """Typed first word -> the two-word names it can start."""
    out: dict[str, list[_Compound]] = {}
    for name, state in _BY_NAME.items():
        if " " not in name:
            continue
        head, tail = name.split(" ")
        forms = {head: 0, head[0]: 0}
        # A typo may change even the first letter ("est Virginia"), or the second
        # word alone would be read as a state ("Virginia"); real words stay out.
        forms |= {f: 1 for f in _one_edit(head) - _NOT_HEADS if len(f) > 1 and f not in forms}
        for form, edits in forms.items():
            for second in (tail, *_people(state.code)):  # "West Virginia", "West Virginians"
                out.setdefault(form, []).append(_Compound(edits, second, state, _typo_limit(name)))
    return {form: tuple(c) for form, c in out.items()}


_COMPOUNDS = _compounds()
_WORD_RE = re.compile(r"[A-Za-z]+")
_LOWER_WORD_RE = re.compile(r"[a-z]+")
_CODE_WORDS = frozenset(code.lower() for code in _BY_CODE)
_NUMBER_AFTER_RE = re.compile(r"\s*(?:-|#|q\b|question\b)?\s*\d", re.IGNORECASE)


# -- finding states in text


class _Walk:
    """One pass over the words of a text, claiming the states it names."""

    def __init__(self, text: str, known: Container[str]):
        self.text = text
        self.known = known
        if text.isascii():  # lower() leaves each character where it was: the words come lower-cased
            self.words = [(m.start(), m.end(), m.group()) for m in _LOWER_WORD_RE.finditer(text.lower())]
        else:
            self.words = [(m.start(), m.end(), m.group().lower()) for m in _WORD_RE.finditer(text)]
        self.mentions: list[Mention] = []
        self.claimed_up_to = 0  # words starting before this are part of a mention
        self._shouting: bool | None = None

    def run(self) -> list[Mention]:
        for i, (start, _, word) in enumerate(self.words):
            if start < self.claimed_up_to:
                continue
            for reading in _readings(word):  # the first reading that fits claims the words
                if reading(self, i):
                    break
        return self.mentions

    def _claim(self, start: int, end: int, state: State) -> bool:
        self.mentions.append(Mention(state, start, end))
        self.claimed_up_to = end
        return True

    def _abbreviation(self, i: int) -> bool:
        start, _, word = self.words[i]
        pattern = _ABBREVIATIONS_BY_START.get(word)
        if pattern is None:
            return False
        m = pattern.match(self.text, start)
        return m is not None and self._claim(start, m.end(), _BY_CODE[m.lastgroup[:2]])

    def _compound(self, i: int) -> bool:
        """A two-word name, either word possibly misspelt ("W Virgina", "Weast Virginia")."""
        forms = _COMPOUNDS.get(self.words[i][2])
        if not forms or i + 1 == len(self.words) or not self._adjacent(i):
            return False
        tail_word = self.words[i + 1][2]
        matches = [
            (edits, c.state)
            for c in forms
            if (edits := c.head_edits + self._tail_edits(tail_word, c.tail)) <= c.limit
        ]
        if not matches:
            return False
        fewest = min(edits for edits, _ in matches)
        states = {state for edits, state in matches if edits == fewest}
        if len(states) > 1:
            return False  # "sorth carolina": North or South, can't tell
        return self._claim(self.words[i][0], self.words[i + 1][1], states.pop())

    def _tail_edits(self, word: str, tail: str) -> int:
        """0 for the second word itself, 1 for a typo of it, else more than any limit."""
        if word == tail:
            return 0
        if abs(len(word) - len(tail)) > 1 or word in self.known or word in _NOT_TAILS:
            return _NO_MATCH
        return 1 if _distance(word, tail) == 1 else _NO_MATCH

    def _adjacent(self, i: int) -> bool:
        """Words i and i + 1 are one name: a space or hyphen between, or "W. Virgina"."""
        gap = self.text[self.words[i][1] : self.words[i + 1][0]]
        if len(self.words[i][2]) == 1 and gap.startswith("."):  # an initial may take a dot
            gap = gap[1:] or " "
        return gap == " " or gap == "-" or gap.isspace()

    def _people(self, i: int) -> bool:
        """A state's people: "Arkansans", "Texan"."""
        start, end, word = self.words[i]
        state = _PEOPLE_OF.get(word)
        return state is not None and self._claim(start, end, state)

    def _name(self, i: int) -> bool:
        start, end, word = self.words[i]
        spelling = _SOLO.get(word)
        state = spelling.state if spelling else _near_name(word, self.known)
        return state is not None and self._claim(start, end, state)

    def _code(self, i: int) -> bool:
        start, end, word = self.words[i]
        state = _BY_CODE.get(word.upper()) if len(word) == 2 else None
        if state is None or (word in AMBIGUOUS_CODES and not self._written_as_state(i)):
            return False
        return self._claim(start, end, state)

    def _written_as_state(self, i: int) -> bool:
        """An ambiguous code ("OR", "ME") is a state only in capitals, in a sentence that
        is not shouted, and with a sign of a state around it."""
        start, end, _ = self.words[i]
        if not self.text[start:end].isupper() or self.shouting:
            return False
        return bool(
            self._state_word_before(i)
            or _NUMBER_AFTER_RE.match(self.text, end)  # "OK-3", "ME 12"
            or self._after_place_and_comma(i)  # "Portland, ME"
        )

    def _state_word_before(self, i: int) -> bool:
        before = self.words[i - 1][2] if i else ""
        if before not in _JOINING_WORDS:
            return before in STATE_CONTEXT_BEFORE
        # a joining word counts only right after a state: "AR and OR"
        last = self.mentions[-1].end if self.mentions else -1
        return last >= 0 and not self.text[last : self.words[i - 1][0]].strip()

    def _after_place_and_comma(self, i: int) -> bool:
        if i == 0:
            return False
        start, end, word = self.words[i - 1]
        place = self.text[start:end]
        return (
            self.text[end : self.words[i][0]].strip() == ","
            and place[0].isupper()
            and place[1:].islower()
            and word not in _NOT_PLACES
        )

    @property
    def shouting(self) -> bool:
        """Mostly capitals: then capitals say nothing about a code."""
        if self._shouting is None:
            letters = sum(c.isalpha() for c in self.text)
            self._shouting = letters >= 12 and sum(c.isupper() for c in self.text) > 0.6 * letters
        return self._shouting


def find_states(text: str, known_words: Iterable[str] = frozenset()) -> list[Mention]:
    """Every state mentioned in `text`, in order of appearance.

    `known_words` are real words (e.g. the corpus vocabulary) that must never
    be read as a misspelt state name; pass a set or frozenset, used as is.
    """
    known = known_words if isinstance(known_words, (set, frozenset)) else frozenset(known_words)
    return _Walk(text, known).run()


@lru_cache(maxsize=16384)
def _readings(word: str) -> tuple[Callable[[_Walk, int], bool], ...]:
    """The readings the walk tries for `word`, in their order, whatever words are known: only
    those that can fit it, and for most words ("the", "agencies") none. Cached: one look-up a
    word, where the walk tried each reading in turn ("in": four that cannot fit, then its code)."""
    readings: list[Callable[[_Walk, int], bool]] = []
    if word in _ABBREVIATIONS_BY_START:
        readings.append(_Walk._abbreviation)
    if word in _COMPOUNDS:
        readings.append(_Walk._compound)
    if word in _PEOPLE_OF:
        readings.append(_Walk._people)
    if word in _SOLO or (
        len(word) >= _MIN_FUZZY
        and word[0] in _SOLO_BY_INITIAL
        and word not in NOT_FUZZY
        and _nearest_name(word) is not None  # a misspelt name: the walk checks it is no known word
    ):
        readings.append(_Walk._name)
    if word in _CODE_WORDS:  # "of", "to": no state's code
        readings.append(_Walk._code)
    return tuple(readings)


def _near_name(word: str, known: Container[str]) -> State | None:
    """The state whose one-word spelling is within its typo limit of `word`, if no
    other state's spelling is as close."""
    if len(word) < _MIN_FUZZY or word in known or word in NOT_FUZZY:
        return None
    return _nearest_name(word)


@lru_cache(maxsize=16384)
def _nearest_name(word: str) -> State | None:
    """`_near_name` for a word that may be a misspelt name; cached, as the same words ("during",
    "should": stop words, in no corpus's vocabulary) come question after question."""
    best: tuple[int, _Spelling] | None = None
    for s in _SOLO_BY_INITIAL.get(word[0], ()):
        if abs(len(s.text) - len(word)) > s.limit:
            continue
        distance = _distance(word, s.text)
        if distance <= s.limit and (best is None or distance < best[0]):
            best = (distance, s)
    if best is None:
        return None
    distance, spelling = best
    if any(_distance(word, rival) <= distance for rival in spelling.rivals):
        return None  # "akansas": as close to Kansas as to Arkansas
    return spelling.state
