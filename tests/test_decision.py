"""The answer decision, pinned case by case: answer, refuse, ask which, or say the pages hold no such fact."""

from __future__ import annotations

import random

import numpy as np
import pytest

from bot.decision import CLOSE, TOSS_UP, Evidence, close_calls, on_topic, weigh, weigh_each
from bot.render import render_text
from bot.scope import beyond_the_pages
from bot.text import stem, subject_terms


def refs(reply):
    return [h.record.ref for h in reply.hits]


@pytest.mark.parametrize(
    "question",
    [
        # long and off-topic, sharing one rarer corpus word with the pages
        "my grandmother keeps a garden and wants to know which fertilizer gives the best tomato yield in sandy soil",
        "what is the best way to prepare for a marathon if I only have weekends free for long training runs",
        "can you explain the plot of the latest superhero movie and whether the sequel will be any good at all",
        "which laptop has the best battery life for a student who needs to travel a lot between campuses",
        "how do i make dinner rolls fluffy",  # "rolls" is an English word: never read as "roles"
        "best trainers for running a marathon?",
        # one or two corpus words in work chat: below a fifth of the question's weight
        "how do I update the payroll rolls in workday",
        "sorry, oversight on my part - forgot to attach the deck, resending now",
    ],
)
def test_long_off_topic_questions_are_not_answered(answerer, question):
    assert not answerer.answer(question).answered


def test_a_real_english_word_is_never_corrected_into_a_corpus_word(answerer):
    assert answerer.reader.terms_for("rolls") == ("roll",)
    assert answerer.reader.terms_for("pole") == ("pole",)
    assert answerer.reader.terms_for("chalenges") == ("challeng",)  # not a word: corrected


def _corrected_trying_every_candidate(reader, word):
    """What a typo is corrected to, the plain way: the edit distance to every candidate."""
    from rapidfuzz.distance import DamerauLevenshtein

    from bot.query import is_english_word
    from bot.text import stem

    if len(word) < 5 or not word.isalpha() or is_english_word(word):
        return stem(word)
    limit = 1 if len(word) <= 8 else 2
    within = [
        (DamerauLevenshtein.distance(word, candidate), candidate)
        for candidate in reader.vocabulary
        if candidate[0] == word[0] and abs(len(candidate) - len(word)) <= limit
    ]
    within = [pair for pair in within if pair[0] <= limit]
    return stem(min(within)[1]) if within else stem(word)


def test_a_typo_is_corrected_as_by_trying_every_candidate(answerer):
    """The cheap bound (insertions and deletions only) drops no candidate that is near enough."""
    reader = answerer.reader
    rng = random.Random(7)
    typed = []
    for word in rng.sample(sorted(w for w in reader.vocabulary if len(w) >= 5), 300):
        i = rng.randrange(1, len(word))
        typed += [
            word[:i] + word[i + 1 :],  # a letter left out
            word[:i] + "x" + word[i + 1 :],  # one changed
            word[:i] + word[i : i + 2][::-1] + word[i + 2 :],  # two swapped
            word[:i] + "zq" + word[i + 1 :],  # two edits: corrected only in a long word
            word + "s",
        ]
    corrected = 0
    for word in typed:
        got = reader._correct_uncached(word)
        assert got == _corrected_trying_every_candidate(reader, word), word
        corrected += got != stem(word)
    assert corrected > 500


def test_the_coverage_threshold_is_what_refuses_a_one_word_overlap(answerer):
    question = "what are good training shoes for a muddy trail race in the arkansas mountains"
    reply = answerer.answer(question)
    assert reply.kind == "no_match" and "covers too little of the question" in reply.reasons
    terms = answerer.reader.read(question).terms
    best = answerer.ranker.records.index(reply.hits[0].record)
    assert not weigh(answerer.index, terms, answerer.index.way(terms, best)).enough


@pytest.mark.parametrize(
    "question",
    [
        # no state, a few of the pages' words by chance, the rest about something else
        "best practices for code review on github",
        "how do i set my slack status to away",
        "what are the roles in a theatre play",
        "what should an MOU between two startups for a joint venture include",  # MOU: any two firms
        'what does "customs" mean in anthropology, like cultural customs and traditions',
        # one word of the subject that is also an everyday word is not enough on its own
        "can you suggest a good travel agency for a weekend in lisbon",
        "what does agency mean in philosophy",
        # every word the pages', but four or more and none of the subject's: a board of another kind
        "what does the oversight committee of a nonprofit board review",
    ],
)
def test_a_question_naming_no_state_needs_the_pages_subject_when_it_speaks_of_other_things(
    answerer, question
):
    reply = answerer.answer(question)
    assert reply.kind == "no_match" and not reply.answered
    assert reply.reasons == ("names no state, and its other words are not the pages' subject",)


@pytest.mark.parametrize(
    "question",
    [
        "privacy",  # every word the pages' own
        "how is personal data protected when agencies share it?",  # "personal" is not, "agencies" ties it
        "best practices for sharing lessons in arkansas",  # a state named
        "when federal agents and state troopers disagree in a joint op, who sorts it out",  # two everyday ones
        "do states lobby for policy changes in how they cooperate w ice",  # ice in lower case still counts
        "how are complaints about task force conduct handled",  # the title's "task force"
        "racial profiling",  # short: every word the pages' own
    ],
)
def test_the_subject_rule_leaves_on_topic_questions_answered(answerer, question):
    assert answerer.answer(question).answered


def test_on_topic_wants_a_subject_term_only_when_a_fair_share_of_words_are_strange():
    assert on_topic(["privaci"], [], {"immigr"})
    assert not on_topic(["code", "review", "practic", "github"], ["code", "github"], {"immigr"})
    assert on_topic(["code", "review", "practic", "immigr"], ["code"], {"immigr"})
    # one chatty word among many of the pages' own: still their subject
    assert on_topic(["colleagu", "civil", "right", "protect", "joint", "oper"], ["colleague"], {"immigr"})
    # words of the subject that are everyday words too: two of them, not one
    assert not on_topic(["travel", "agenc", "lisbon"], ["travel", "lisbon"], {"immigr"}, {"agenc", "feder"})
    assert on_topic(["feder", "agenc", "lisbon"], ["lisbon"], {"immigr"}, {"agenc", "feder"})


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        ("best way to keep ice from forming on my windshield overnight", False),
        ("how does ice keep windshield survey data safe", False),  # ice, not ICE
        ("how does ICE keep windshield survey data safe", True),  # the agency
        ("how does immigration and customs enforcement keep windshield survey data safe", True),
    ],
)
def test_ice_says_the_subject_only_as_the_agency(answerer, question, answered):
    assert answerer.answer(question).answered is answered


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("how many people did arkansas state police hand over to ICE last year", "statistics"),
        ("what's the annual budget for west virginia's CBP task force work", "statistics"),
        ("who is the ICE field office director that covers arkansas", "names"),
        ("phone number for the WV state police liaison to ICE?", "contacts"),
        ("my cousin was detained by ICE in Little Rock, what do I do", "a person's case"),
        ("is it legal for me to refuse to answer an ICE agent in arkansas?", "legal advice"),
        ("what did the arkansas governor say about ICE cooperation last week", "names"),
        ("how long is the wait at the CBP checkpoint near charleston wv right now", "statistics"),
        ("which arkansas counties have 287(g) agreements with ICE", "names"),
        ("what's the processing time at the wv field office", "live conditions"),
        ("did arkansas change its ICE work after the march... no, the april executive order", "news"),
        ("does arkansas hand more people to ICE through task forces than west virginia", "statistics"),
        ("which state handles ICE coordination better, AR or WV", "opinions or predictions"),
        ("where exactly is the wv joint operations center located", "contacts"),
        ("which w.va. official drafted the guidance on ICE detainers", "names"),
        ("does ICE reimburse arkansas for holding detainees", "statistics"),
        ("who at the WV attorney general's office approves ICE detainers", "names"),
        ("which state agency leads coordination with CBP in arkansas", "names"),
        (
            "I filed a complaint about a trooper during a wv ICE op, what's the status on it",
            "a person's case",
        ),
        ("what was the outcome of the joint ICE operation in springdale last summer", "news"),
        ("is the arkansas info sharing portal with ICE down rn", "live conditions"),
        ("how does the australian border force work with state police on immigration", "other countries"),
        ("has west virginia ever left an ICE task force over a policy dispute", "news"),
        ("what did the state auditor's review of arkansas ICE task forces conclude", "news"),
        ("any movement on the arkansas bill that would expand 287(g) agreements?", "news"),
        ("what's the exact statute that lets WV troopers hold people for ICE", "names"),
        ("which police academy trains arkansas officers for CBP joint operations", "names"),
        ("when does arkansas's agreement with ICE come up for renewal and expire", "live conditions"),
        ("what time does the CBP office in little rock open", "live conditions"),
        ("how do i get a job on a wv ICE task force", "a person's case"),
        ("what penalties do WV officers face for ignoring an ICE detainer", "legal advice"),
        ("in what year did west virginia begin working with ICE task forces", "news"),
        ("do you reckon arkansas will get sued over its ICE partnership", "opinions or predictions"),
        ("arkansas joining more ice task forces, good move you think?", "opinions or predictions"),
        ("which office of the wv state police handles liaison with CBP", "names"),
        ("which cbp sector office serves arkansas", "names"),
        ("which encrypted case management system do wv agencies use with ICE", "names"),
    ],
)
def test_facts_the_pages_do_not_hold_get_no_answer_and_related_reading(answerer, question, kind):
    reply = answerer.answer(question)
    assert reply.kind == "not_in_pages" and not reply.answered and reply.best is None
    assert reply.beyond == kind
    assert 0 < len(reply.hits) <= 3  # offered as related reading, not as the answer


@pytest.mark.parametrize(
    "question",
    [
        "how does arkansas measure whether its work with ICE is effective",
        "who oversees Arkansas agencies in joint operations with ICE",
        "I'm a policy analyst: how does WV share intelligence with CBP?",
        "does arkansas collect demographic data on the people targeted in joint operations",
        "does arkansas get legal advice from the attorney general on warrantless searches",
        "how can i raise a complaint about a joint ICE operation in west virginia",  # the pages cover that
    ],
)
def test_questions_about_how_coordination_works_are_not_mistaken_for_facts(question):
    assert beyond_the_pages(question) is None


def test_a_toss_up_asks_which_one_and_is_not_an_answer(answerer):
    reply = answerer.answer("arkansas training")
    assert reply.kind == "clarify" and not reply.answered and reply.best is None
    assert set(refs(reply)[:2]) == {"AR-3", "AR-18"}  # training given, or training supported: a toss-up
    assert reply.as_json()["answered"] is False and reply.as_json()["kind"] == "clarify"
    assert [r["ref"] for r in reply.as_json()["results"]] == refs(reply)  # best first


def test_a_close_call_answers_with_did_you_mean_choices(answerer):
    reply = answerer.answer("wv training")  # training, or cultural-competency training
    assert reply.kind == "answer" and refs(reply)[0] == "WV-8"
    assert [h.record.ref for h in reply.alternatives] == ["WV-18"]
    assert reply.as_json()["alternatives"][0]["ref"] == "WV-18"


def test_a_clear_winner_has_no_alternatives(answerer):
    reply = answerer.answer("How does Arkansas protect civil rights during joint operations?")
    assert reply.kind == "answer" and reply.alternatives == []


def test_close_calls_only_count_rivals_in_the_same_state():
    assert close_calls([10.0, 9.9, 9.8], [True, False, False]) == (False, [])
    assert close_calls([10.0, 9.9], [True, True]) == (True, [1])
    assert close_calls([10.0, 10.0 * CLOSE], [True, True]) == (False, [1])
    assert close_calls([10.0, 10.0 * CLOSE - 0.01], [True, True]) == (False, [])
    assert close_calls([10.0, 10.0 * TOSS_UP, 9.0, 8.5], [True] * 4) == (True, [1, 2])


def test_weigh_for_many_records_at_once_agrees_with_one_at_a_time(fifty_state_answerer):
    answerer = fifty_state_answerer
    for record in answerer.records[::7]:
        for text in (record.question, f"{record.question.split('?')[0]} cbp training"):
            terms = answerer.reader.read(text).terms
            scores = answerer.ranker.scores(terms)
            elsewhere = answerer.ranker.best_in_each_state(scores)
            # each record weighed on its own (looked up by bisect): the same evidence, to the last bit
            one_by_one = [weigh(answerer.index, terms, answerer.index.way(terms, i)) for i in elsewhere]
            held = answerer.index.holdings(terms, elsewhere)
            assert_weighed_each_as_one_by_one(answerer.index, terms, held, one_by_one)
            assert True in [e.enough for e in one_by_one]


def test_weigh_each_agrees_with_weigh_when_every_record_holds_the_terms_its_own_way(answerer):
    # synthetic pages: each state's best record holds a question's terms in a way of its own
    rng = random.Random(11)
    vocabulary = sorted(answerer.index.terms)
    for _ in range(300):
        terms = [*rng.sample(vocabulary, rng.randint(1, 14)), *rng.sample(["ice", "cbp", "zzzunknown"], 1)]
        held = np.array([[rng.choice((0, 0, 1, 2)) for _ in range(50)] for _ in terms], dtype=np.uint8)
        one_by_one = [weigh(answerer.index, terms, tuple(way)) for way in held.T.tolist()]
        assert_weighed_each_as_one_by_one(answerer.index, terms, held, one_by_one)
    assert weigh_each(answerer.index, [], np.zeros((0, 3), dtype=int), 0) == (
        Evidence(0.0, 0.0, False),
        [False] * 3,
    )


def assert_weighed_each_as_one_by_one(index, terms, held, one_by_one):
    for best in range(held.shape[1]):
        evidence, enough = weigh_each(index, terms, held, best)
        # the same floats: a threshold decides the same either way
        assert evidence == one_by_one[best]
        assert type(evidence.coverage) is float and type(evidence.strength) is float
        assert enough == [e.enough for e in one_by_one]


def test_lower_case_ice_is_an_everyday_subject_word_and_not_counted_in_the_share():
    counted, subject, everyday = subject_terms("keep ice off the windshield", ["ice", "windshield"])
    assert counted == ["windshield"] and "ice" not in subject and "ice" in everyday
    counted, subject, everyday = subject_terms("how does ICE share data", ["ice", "share", "data"])
    assert counted == ["ice", "share", "data"] and "ice" in subject and "ice" not in everyday


def test_a_comparison_with_a_state_without_a_page_is_not_half_answered(answerer):
    reply = answerer.answer("is west virginia's ICE cooperation any stricter than ohio's?")
    assert reply.kind == "not_in_pages" and reply.beyond == "comparisons" and not reply.answered
    assert "no page for Ohio to compare with" in render_text(answerer, reply)
    # both sides covered: the pages can answer each side
    both = answerer.answer(
        "how does arkansas compare with west virginia on civil rights protections in joint ops"
    )
    assert both.kind != "not_in_pages"
    # both named, no comparison ("different" agencies): the covered one is answered
    mixed = answerer.answer(
        "how do the different agencies in texas and arkansas handle civil rights in joint ops"
    )
    assert mixed.answered and mixed.best.record.state.code == "AR"
    # a state without a page, no comparison: that state is not covered, as before
    assert answerer.answer("ohio civil rights protections in joint ops").kind == "not_covered"
