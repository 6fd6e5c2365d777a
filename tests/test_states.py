import pytest

from bot.states import ALL_STATES, find_states, parse_state, state_by_code, state_by_name


def codes(text, known=()):
    return [m.state.code for m in find_states(text, known)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("training in Arkansas", ["AR"]),
        ("TRAINING IN ARKANSAS", ["AR"]),
        ("west virginia training", ["WV"]),
        ("West  Virginia", ["WV"]),
        ("AR-7", ["AR"]),
        ("ar 7", ["AR"]),
        ("what about wv", ["WV"]),
        ("Ark. training", ["AR"]),
        ("training in W. Va. today", ["WV"]),
        ("W.Va. training", ["WV"]),
        ("training in W.Va", ["WV"]),
        ("Arkansaw police", ["AR"]),
        ("west virgina police", ["WV"]),
        ("Virginia and West Virginia", ["VA", "WV"]),
        ("Kansas, not Arkansas", ["KS", "AR"]),
        ("civil rights in Arkansas\u2019s operations", ["AR"]),
        ("how does w virginia handle it", ["WV"]),
        ("W Va and WVa and West Va. and W. Virginia", ["WV", "WV", "WV", "WV"]),
        ("ark cultural competency", ["AR"]),
        ("N Carolina, S. Dak.", ["NC", "SD"]),
        # a state's people name it
        ("how are West Virginians' rights protected", ["WV"]),
        ("do arkansans get a say", ["AR"]),
        ("new yorkers, texans and a virginian", ["NY", "TX", "VA"]),
        ("w virginians and n carolinians", ["WV", "NC"]),
        ("west virginans", ["WV"]),  # a typo in the second word, as in the name
        ("W.V. - where do complaints go?", ["WV"]),
        ("complaints in w. v.", ["WV"]),
        # the capital is no state, and not Washington state
        ("ICE in Washington, D.C.", ["DC"]),
        ("washington dc task forces", ["DC"]),
        ("the District of Columbia and Virginia", ["DC", "VA"]),
        ("D.C. police", ["DC"]),
        ("washington state police", ["WA"]),
    ],
)
def test_state_names_codes_abbreviations_and_misspellings(text, expected):
    assert codes(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "hi, can you tell me more?",
        "ok so what is in it for me",
        "oh la la, is it ok or not",
        "Hi, I was in the office",
        "HELP ME OR ELSE",  # shouting: capitals say nothing
        "Indian tribes and ICE",
        "the main origin of the problem",
        "is it co-ordinated",
        "me and my co-workers",
        "I feel ill.",
        "Mexico and CBP",
        "Does ICE train officers? OK thanks",
        "What is the MOU between CBP and ICE, OR is there none?",
        "IN the meantime, who pays for it?",
        "OK so who pays for it?",
        "ME too",
        "Yes, OK.",
        "HI there, quick question",
        "CBP and OR",  # "and" joins a code to a state only after a state
        "is there new work on training",  # a real word is not "York" misspelt
        "a marine unit",
        "the scar it left",
        "the virgin origin of the main indian marine",
        "a georgian wine and hawaiian shirts",  # the country's, a people's: not the states'
    ],
)
def test_common_words_are_not_states(text):
    assert codes(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("training in OR", ["OR"]),
        ("what about IN, compared to OH?", ["IN", "OH"]),
        ("OK-3", ["OK"]),
        ("ME 12", ["ME"]),
        ("Portland, ME", ["ME"]),
        ("question 5 in HI", ["HI"]),
        ("training for IN", ["IN"]),
        ("Portland, ME police", ["ME"]),
        ("AR and OR", ["AR", "OR"]),
    ],
)
def test_word_like_codes_count_when_clearly_written_as_a_state(text, expected):
    assert codes(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("W Virgina", "WV"),
        ("wst virginia", "WV"),
        ("Weast Virginia", "WV"),
        ("w. virgina", "WV"),
        ("est Virginia", "WV"),
        ("Nrth Carolina", "NC"),
        ("n carolna", "NC"),
        ("Soth Carolina", "SC"),
        ("north dakta", "ND"),
        ("S Dakota", "SD"),
        ("New Hampshre", "NH"),
        ("new jersy", "NJ"),
        ("Nw Mexico", "NM"),
        ("new yrok", "NY"),
        ("Rhode Islnd", "RI"),
        ("rhod island", "RI"),
        ("Arkanss", "AR"),
        ("Arknsas", "AR"),
        ("westvirginia", "WV"),
        ("westvirgina", "WV"),
        ("northcarolina", "NC"),
        ("newyork", "NY"),
        ("rhodeisland", "RI"),
        ("Virginia", "VA"),
        ("Kansas", "KS"),
        ("the best Virginia program", "VA"),  # a real word before it is not a misspelt "West"
    ],
)
def test_a_misspelt_name_is_that_state_never_a_shorter_one_inside_it(text, expected):
    assert codes(f"how does {text} train officers") == [expected]


def test_a_misspelling_as_close_to_two_states_is_neither():
    assert codes("akansas") == []  # Arkansas or Kansas
    assert codes("sorth carolina") == []  # North or South


def _one_typo_variants(name: str) -> set[str]:
    """One deletion, insertion ('a', 'e' or a doubled letter) or swap, and the name run together."""
    variants = {name[:i] + name[i + 1 :] for i in range(len(name)) if name[i] != " "}
    for i in range(len(name) + 1):
        variants |= {name[:i] + c + name[i:] for c in ("a", "e", name[max(i - 1, 0)])}
    variants |= {name[:i] + name[i + 1] + name[i] + name[i + 2 :] for i in range(len(name) - 1)}
    variants.add(name.replace(" ", ""))
    return variants


@pytest.mark.parametrize("state", ALL_STATES, ids=lambda s: s.code)
def test_one_typo_in_any_state_name_is_that_state_or_none(state):
    wrong = []
    for variant in sorted(_one_typo_variants(state.name)):
        if state_by_name(variant) not in (None, state):
            continue  # the typo spells another state exactly (none does today)
        for typed in (variant, variant.lower()):
            found = codes(f"how does {typed} train officers")
            if found not in ([], [state.code]):
                wrong.append((typed, found))
    assert wrong == []


def test_known_words_are_used_as_given():
    vocabulary = frozenset({"virgina", "training"})
    assert codes("virgina training", vocabulary) == []
    assert codes("virgina training", ["virgina"]) == []  # any iterable still works
    assert codes("virgina training") == ["VA"]


def test_parse_state_takes_a_name_code_or_abbreviation():
    assert parse_state("arkansas").code == "AR"
    assert parse_state("AR").code == "AR"
    assert parse_state("ok").code == "OK"  # a bare code on its own is unambiguous
    assert parse_state("Ark.").code == "AR"
    assert parse_state("W. Va.").code == "WV"
    assert parse_state("west virgina").code == "WV"
    assert parse_state("atlantis") is None
    assert parse_state("") is None
    assert state_by_code("wv").name == "West Virginia"


def test_real_words_are_never_read_as_misspelt_states():
    assert codes("the arkansas report") == ["AR"]
    assert codes("virgins") == []  # no near-miss when the word is known to be real...
    assert codes("virgina", known={"virgina"}) == []  # ...including corpus words


def test_every_state_is_found_by_name_and_code_in_a_fifty_state_corpus(fifty_state_answerer):
    assert len(fifty_state_answerer.states) == 50
    for state in ALL_STATES:
        for asked in (state.name, state.name.lower(), state.code):
            reply = fifty_state_answerer.answer(
                f"How are civil rights protected during joint operations in {asked}?"
            )
            assert reply.answered, asked
            assert reply.best.record.state == state, asked
            assert {h.record.state for h in reply.hits} == {state}, asked


@pytest.mark.parametrize(
    "question",
    [
        "hi, how are civil rights protected during joint operations?",
        "ok, how are civil rights protected during joint operations?",
        "me and my colleague want to know how civil rights are protected in joint operations",
        "how are civil rights protected in joint operations or in training?",
    ],
)
def test_function_words_do_not_filter_a_fifty_state_corpus(fifty_state_answerer, question):
    reply = fifty_state_answerer.answer(question)
    assert reply.states == []
    # no state filter: the topic, and every state whose page answers it, to choose from
    assert reply.kind == "choose_state" and len(reply.hits) == 50


@pytest.mark.parametrize(
    "text",
    [
        "İSTANBUL and ARKANSAS",  # "İ" lower-cases to two characters: spans must not shift
        "İstanbul, then Arkansas",
        "training in Arkansas",
    ],
)
def test_a_mention_is_where_the_name_is_written(text):
    (mention,) = find_states(text)
    assert mention.state == state_by_code("AR")
    assert text[mention.start : mention.end].lower() == "arkansas"


def test_abbreviations_are_tried_by_their_first_word_as_all_at_once(records):
    """Each word is tried only against the abbreviations that can start with it: the same
    match, of the same state, as the one pattern of them all would find there."""
    import random
    import re

    from bot.states import _ABBREVIATIONS_BY_START, _abbreviations

    plain = re.compile("|".join(f"(?P<{code}{i}>{p})" for i, (p, code, _) in enumerate(_abbreviations())))
    pieces = (
        "W. Va. W.Va. WVa wva W Va w virg West Va. N.C. N. Car. S Dak SDak N.Y. N.Y Ark. Ark ark. Calif "
        "Miss. miss Ore. ore. Wash. D.C. d.c. Washington, D.C. district of columbia W.V. w.v. Mass. Ind. ind "
        "Tenn Okla. Pa. pa Md. La. la Ky. Vt. Mo. Del. Ga. Ill. Fla. Colo. Conn. Nev. Neb. Wyo. Mich. Minn."
    ).split(" ")
    rng = random.Random(4)
    texts = [f"{r.question} {r.answer}" for r in records]
    texts += [
        " ".join(rng.choice(pieces) + rng.choice(["", ".", ","]) for _ in range(8)) for _ in range(3000)
    ]
    tried = 0
    for text in texts:
        for word in re.finditer(r"[A-Za-z]+", text):
            pattern = _ABBREVIATIONS_BY_START.get(word.group().lower())
            expected = plain.match(text, word.start())
            if pattern is None:
                assert expected is None, (text, word.group())
                continue
            got = pattern.match(text, word.start())
            tried += 1
            assert (got and (got.span(), got.lastgroup[:2])) == (
                expected and (expected.span(), expected.lastgroup[:2])
            ), (text, word.group())
    assert tried > 10000
