import numpy as np
import pytest

from bot.answerer import Answerer
from bot.decision import weigh
from bot.text import tokens


def refs(reply):
    return [h.record.ref for h in reply.hits]


def test_question_about_a_state_is_answered_only_from_that_state(answerer):
    for question, state, expected in [
        ("How does Arkansas protect civil rights during joint operations?", "AR", "AR-8"),
        ("How does West Virginia protect rights and privacy during joint operations?", "WV", "WV-10"),
        ("what training is there in WV", "WV", "WV-8"),
        ("what training and resources are there in Arkansas", "AR", "AR-3"),
    ]:
        reply = answerer.answer(question)
        assert reply.answered and refs(reply)[0] == expected, question
        assert {h.record.state.code for h in reply.hits} == {state}
        assert [s.code for s in reply.states] == [state]


def test_state_not_in_the_corpus_is_said_plainly_and_gets_no_answer(answerer):
    reply = answerer.answer("How does Texas protect civil rights during joint operations?")
    assert reply.kind == "not_covered" and not reply.answered
    assert reply.hits == [] and [s.code for s in reply.missing_states] == ["TX"]


def test_a_covered_and_an_uncovered_state_answers_only_the_covered_one(answerer):
    reply = answerer.answer("civil rights in Texas and Arkansas")
    assert reply.answered and {h.record.state.code for h in reply.hits} == {"AR"}
    assert [s.code for s in reply.missing_states] == ["TX"]


def test_no_state_gets_the_best_match_anywhere_and_the_closest_in_each_other_state(answerer):
    reply = answerer.answer("how are complaints about the conduct of joint operations handled?")
    assert reply.answered and refs(reply)[0] == "WV-19"
    assert reply.states == []
    assert [h.record.state.code for h in reply.others] == ["AR"]
    assert reply.others[0].record.ref == "AR-8"  # matched by meaning, not by number


@pytest.mark.parametrize(
    ("query", "ref"),
    [
        ("AR-7", "AR-7"),
        ("ar 7", "AR-7"),
        ("Arkansas Q7", "AR-7"),
        ("west virginia question 12", "WV-12"),
        ("#3 in WV", "WV-3"),
        ("question 19 for West Virginia", "WV-19"),
        ("W.Va. #8", "WV-8"),
        ("Q7 Arkansas", "AR-7"),
        ("AR7", "AR-7"),
        ("<@U0BOT> AR-20", "AR-20"),
    ],
)
def test_direct_lookup_returns_exactly_that_record(answerer, query, ref):
    reply = answerer.answer(query)
    assert reply.kind == "lookup" and reply.answered
    assert refs(reply) == [ref]


def test_lookup_of_a_number_that_does_not_exist_says_so(answerer):
    reply = answerer.answer("AR-27")
    assert reply.kind == "no_such_question" and not reply.answered and reply.number == 27
    assert answerer.answer("TX-3").kind == "not_covered"


def test_lookup_with_a_forced_state_takes_a_bare_number(answerer):
    wv = answerer.parse_state("wv")
    assert refs(answerer.answer("12", states=[wv])) == ["WV-12"]
    assert refs(answerer.answer("q12", states=[wv])) == ["WV-12"]
    reply = answerer.answer("training", states=[wv])
    assert refs(reply)[0] == "WV-8" and {h.record.state.code for h in reply.hits} == {"WV"}


@pytest.mark.parametrize(
    "query",
    ["", "   ", "hello", "help", "thanks!", "a pizza recipe", "what is the capital of Arkansas", "ICE", "👋"],
)
def test_no_good_match_is_not_answered_and_offers_at_most_three_refs(answerer, query):
    reply = answerer.answer(query)
    assert reply.kind == "no_match" and not reply.answered and reply.best is None
    assert len(reply.hits) <= 3


def test_every_answer_says_why_it_was_chosen(answerer):
    reply = answerer.answer("racial profiling in Arkansas")
    best = reply.best
    assert best.score > 0
    assert [s.code for s in reply.states] == ["AR"]
    assert best.matched == ("racial", "profiling")
    assert 0 < reply.coverage <= 1


def test_acronyms_match_their_spelled_out_forms_and_back():
    assert tokens("Immigration and Customs Enforcement") == tokens("ICE")
    assert tokens("U.S. Customs and Border Protection") == tokens("CBP")
    assert tokens("Memoranda of Understanding") == tokens("MOUs") == tokens("memorandum of understanding")
    assert tokens("Department of Homeland Security") == tokens("DHS")


def test_spelled_out_question_matches_the_acronym_record(answerer):
    reply = answerer.answer("how do agreements like a memorandum of understanding work in West Virginia")
    assert reply.answered and "mou" in tokens(reply.best.record.answer)


def test_question_text_weighs_more_than_the_answer(records):
    heavy, light = Answerer(records, question_weight=2.0), Answerer(records, question_weight=0.0)
    q = tokens("cultural competency")
    assert heavy.index.scores(q)[11] > light.index.scores(q)[11]  # AR-12: the words are in its question


def test_scores_are_exactly_rank_bm25_get_scores(answerer, records):
    from rank_bm25 import BM25Okapi

    from bot.text import stem, words

    index = answerer.index
    question_model = BM25Okapi([[stem(w) for w in words(r.question)] for r in records])
    answer_model = BM25Okapi([[stem(w) for w in words(r.answer)] for r in records])
    for query in ["civil rights joint operations", "training training privacy", "mou ice cbp", "zzz"]:
        q = tokens(query)
        expected = index.question_weight * question_model.get_scores(q) + answer_model.get_scores(q)
        assert np.allclose(index.scores(q), expected, rtol=1e-5)


@pytest.mark.parametrize(
    "query",
    [
        "civil rights " * 700,  # over 4,000 characters
        "🚓🚓 civil rights 🚓 Arkansas",
        "\u05d6\u05db\u05d5\u05d9\u05d5\u05ea civil rights \u0627\u0644\u062d\u0642\u0648\u0642",  # right-to-left text
        "civil\u200b rights\u200d in Ark\u200bansas",
        "<!channel> <@U123> <#C123|general> civil rights in Arkansas &amp; &lt;b&gt;",
        "\x00\x01\x02",
    ],
)
def test_any_input_gets_a_decision_not_a_crash(answerer, query):
    reply = answerer.answer(query)
    assert reply.kind in {"answer", "no_match", "lookup"}


def test_zero_width_characters_do_not_hide_a_state(answerer):
    assert [s.code for s in answerer.answer("civil\u200b rights in Ark\u200bansas").states] == ["AR"]


def test_compare_finds_the_closest_question_in_each_other_state(answerer):
    ar8 = answerer.by_ref["AR-8"]
    closest = answerer.compare(ar8)
    assert [h.record.ref for h in closest] == ["WV-10"]
    related = answerer.related(ar8)
    assert related and all(h.record.state.code == "AR" and h.record.ref != "AR-8" for h in related)


def test_an_answers_capitalised_phrases_are_matched_as_phrases(answerer):
    # "Secure Communities" is named only in AR-13's answer, never in a question
    scores = answerer.ranker.pairs.scores(["secur communiti"])
    assert [answerer.records[i].ref for i in np.flatnonzero(scores)] == ["AR-13"]


@pytest.mark.parametrize(
    ("question", "kind", "states"),
    [
        (
            "virginia (not west virginia) - how are joint operations with ICE planned there",
            "not_covered",
            ["VA"],
        ),
        ("how are joint operations planned in west virginia, not arkansas", "answer", ["WV"]),
        ("how are civil rights protected in joint ops with ICE, in any state except arkansas", "answer", []),
    ],
)
def test_a_state_said_not_to_be_meant_is_no_filter(answerer, question, kind, states):
    reply = answerer.answer(question)
    assert reply.kind == kind and [s.code for s in reply.states] == states
    assert not any(h.record.state.code not in {"VA", "WV"} for h in [*reply.hits, *reply.others])


@pytest.mark.parametrize(
    ("question", "said_not_meant"),
    [
        (
            "what general training does west virginia give its task force staff? not the cultural awareness stuff",
            "cultur",
        ),
        (
            "arkansas - not asking about oversight committees, i mean how is the public kept informed about ICE work",
            "committe",
        ),
        ("wv: what are the task forces' own objectives (not the state's role)", "role"),
        (
            "AR: i don't mean conflicts of interest, i mean clashes between federal priorities and local values",
            "conflict",
        ),
    ],
)
def test_a_topic_said_not_to_be_meant_gives_no_search_words(answerer, question, said_not_meant):
    query = answerer.reader.read(question)
    assert said_not_meant not in query.terms
    assert query.terms  # the rest of the question is still read


@pytest.mark.parametrize(
    ("question", "ref"),
    [
        (
            "what general training does west virginia give its task force staff? not the cultural awareness stuff",
            "WV-8",
        ),
        (
            "in arkansas what are the general obstacles to working with ICE, like staffing or funding? not conflicts of interest",
            "AR-7",
        ),
    ],
)
def test_the_record_of_a_topic_said_not_to_be_meant_is_not_the_answer(answerer, question, ref):
    reply = answerer.answer(question)
    assert reply.answered and reply.best.record.ref == ref


def test_not_inside_a_clause_is_part_of_the_question(answerer):
    # "not scaring immigrant neighborhoods" is what is asked, not a topic set aside
    query = answerer.reader.read(
        "how does arkansas balance enforcement with not scaring immigrant neighborhoods"
    )
    assert {"scare", "neighborhood"} <= set(query.terms)


@pytest.mark.parametrize(
    "question",
    [
        "how are civil rights protected during joint operations?",
        "conflicts of interest",  # the states' pages hold it word for word alike: scores tie
        "public hearings",
    ],
)
def test_a_choice_of_states_leads_with_the_best_record_and_lists_each_state_once(
    fifty_state_answerer, question
):
    answerer = fifty_state_answerer
    reply = answerer.answer(question)
    assert reply.kind == "choose_state"
    query = answerer.reader.read(question)
    scores = answerer.ranker.scores(query.terms, query.pairs)
    best = scores.max()
    # the best record overall; of equal ones, the first state's
    first_best = min(r.state for i, r in enumerate(answerer.records) if scores[i] == best)
    assert reply.hits[0].score == best and reply.hits[0].record.state == first_best
    assert len({h.record.state for h in reply.hits}) == len(reply.hits)
    assert [h.score for h in reply.hits[1:]] == sorted((h.score for h in reply.hits[1:]), reverse=True)
    # the others: each other state's best record, if it is enough on its own (weighed alone)
    position = {r.ref: i for i, r in enumerate(answerer.records)}
    best_id = position[reply.hits[0].record.ref]
    expected = {
        i
        for i in answerer.ranker.best_in_each_state(scores)
        if i != best_id
        and scores[i] > 0
        and weigh(answerer.index, query.terms, answerer.index.way(query.terms, i)).enough
    }
    assert {position[h.record.ref] for h in reply.hits[1:]} == expected


def test_a_refused_question_naming_no_state_shows_the_closest_records_overall(fifty_state_answerer):
    answerer = fifty_state_answerer
    question = "how many people were detained in joint operations last year?"
    reply = answerer.answer(question)
    assert reply.kind == "not_in_pages" and len(reply.hits) == 3
    query = answerer.reader.read(question)
    scores = sorted(answerer.ranker.scores(query.terms, query.pairs).tolist(), reverse=True)
    assert [h.score for h in reply.hits] == scores[:3]


def test_a_question_about_a_states_people_is_answered_from_that_state(answerer):
    reply = answerer.answer("how are west virginians' civil rights protected in joint operations")
    assert [s.code for s in reply.states] == ["WV"]
    assert reply.answered and reply.best.record.state.code == "WV"


def test_washington_dc_is_not_washington_state(fifty_state_answerer):
    reply = fifty_state_answerer.answer(
        "how are civil rights protected in joint operations in washington, d.c.?"
    )
    assert reply.kind == "not_covered" and [s.name for s in reply.missing_states] == ["District of Columbia"]


@pytest.mark.parametrize(
    "question",
    [
        "what role do state agencies play alongside cbp and ice task forces",
        "what part do state agencies play in the ICE task forces?",
    ],
)
def test_what_role_they_play_is_the_role_not_a_question_that_says_play(answerer, question):
    # "play" is a light verb here: WV-15 ("What role do state agencies play in advocating for
    # policy changes...") must not win on it over the pages' first question, on their role
    reply = answerer.answer(question)
    assert reply.hits[0].record.ref in {"AR-1", "WV-1"}


def test_a_word_the_pages_lack_said_in_a_phrase_for_one_of_theirs_is_read_as_theirs(answerer):
    # "job" is no word of the pages; "the job of" is their "role": read so, not counted as strange
    query = answerer.reader.read("whats the job of w.va. state agencies in the cbp/ice task force setup")
    assert "role" in query.terms and "job" not in query.terms
    assert "job" not in query.strange and "setup" in query.strange
    reply = answerer.answer("whats the job of w.va. state agencies in the cbp/ice task force setup")
    assert reply.answered and reply.best.record.ref == "WV-1"


def test_hits_made_by_tuple_new_are_the_hits_the_named_tuple_makes(answerer):
    from bot.reply import Hit, make_hits

    records = answerer.records[:3]
    hits = make_hits(records, [1.5, 0.0, 2.25])
    expected = [Hit(records[0], 1.5), Hit(records[1], 0.0), Hit(records[2], 2.25)]
    assert hits == expected and [repr(h) for h in hits] == [repr(h) for h in expected]
    assert all(type(h) is Hit and h.matched == () for h in hits)
    assert hits[0]._replace(matched=("a",)).matched == ("a",)
    with pytest.raises(ValueError):
        make_hits(records, [1.0])


def test_words_drop_a_possessive_s_and_then_stop_words():
    from bot.text import words

    text = "The agency's role, O'Sullivan's job: it's ICE's and the states' MOUs"
    assert words(text) == ["agency", "role", "o'sullivan", "job", "ice", "mou"]
