"""A cheap test before slow work gives what the slow work alone gives.

Python's re tries a pattern that starts with \\b at every position of a text,
so the words such a pattern needs are looked for as plain strings first; and
str.translate with a table costs 10 µs on any long text, so invisible
characters are looked for before they are dropped. These tests run each
shortcut and the bare slow work on the pages' texts and on random mixes of
the forms each one must still find.
"""

from __future__ import annotations

import random

import pytest

from bot import query, text

_FORMS = (
    "Customs and Border Protection|U.S. Customs & Border Protection|us customs  and border protection|"
    "border patrol|Border Patrol|BORDER PATROL|border|customs|Immigration and Customs Enforcement|"
    "immigration & customs enforcement|Immigration and Cuſtoms Enforcement|ICE|Ice|ice|ICED|DICE|MOU|MOUs|mou|moa|MOAs|mouse|memoranda of understanding|"
    "Memorandum of Understanding|Department of Homeland Security|homeland security|homeland|"
    "Immigration and Nationality Act|Immigratıon and Nationalıty Act|— and ‘quotes’ —|nationality|not|NOT|Not|knot|nothing|mean|MEAN|meant|meaning|"
    "i don't mean|(not asking about oversight)|café|naïve|Ｃｕｓｔｏｍｓ|state agencies|task force|training"
).split("|")


def _texts(records) -> list[str]:
    rng = random.Random(11)
    out = [t for r in records for t in (r.question, r.answer)]
    for _ in range(4000):
        out.append("".join(rng.choice(_FORMS) + rng.choice([" ", "", ", ", "-", ". "]) for _ in range(8)))
    return out


@pytest.fixture(scope="module")
def texts(records) -> list[str]:
    return _texts(records)


def test_acronyms_are_folded_as_the_regex_folds_them(texts):
    folded = 0
    for sample in texts:
        lowered = sample.lower()
        expected = text._ACRONYM_RE.sub(lambda m: f" {text._ACRONYM_BY_GROUP[m.lastgroup]} ", lowered)
        assert text.fold_acronyms(lowered) == expected, sample
        folded += expected != lowered
    assert folded > 1000  # the texts do hold forms to fold


def test_the_agency_ice_is_found_as_the_regex_finds_it(texts):
    found = 0
    for sample in texts:
        expected = text._AGENCY_ICE_RE.search(sample) is not None
        assert text.names_the_agency_ice(sample) == expected, sample
        found += expected
    assert 100 < found < len(texts) - 100


def test_a_topic_said_not_to_be_meant_is_looked_for_as_the_hint_regex_finds_it(texts):
    hinted = 0
    for sample in texts:
        expected = query._NOT_MEANT_HINT_RE.search(sample) is not None
        assert query.may_say_not_meant(sample, sample.lower()) == expected, sample
        hinted += expected
    assert 100 < hinted < len(texts) - 100


def test_invisible_characters_are_dropped_as_a_translate_table_drops_them(texts):
    import unicodedata

    invisible = "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    table = dict.fromkeys(map(ord, invisible))
    rng = random.Random(3)
    dropped = 0
    for sample in texts[-2000:]:
        for c in rng.sample(invisible, 3):
            at = rng.randrange(len(sample) + 1)
            sample = sample[:at] + c * rng.randint(1, 2) + sample[at:]
        expected = unicodedata.normalize("NFKC", sample).translate(table)
        expected = (
            expected.replace("\u2019", "'")
            .replace("\u2018", "'")
            .replace("\u201c", '"')
            .replace("\u201d", '"')
        )
        assert text.normalize(sample) == expected
        dropped += len(expected) < len(sample)
    assert dropped == 2000
