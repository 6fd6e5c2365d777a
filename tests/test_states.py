import pytest

from bot.states import ALL_STATES, find_states, parse_state, state_by_code


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
    ],
)
def test_word_like_codes_count_when_clearly_written_as_a_state(text, expected):
    assert codes(text) == expected


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
    assert reply.answered
    assert len(reply.others) == 49  # no state filter: the closest question in every other state
