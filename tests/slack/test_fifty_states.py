"""Every flow with fifty states in the corpus: right, compact, and within Slack's limits as sent."""

from __future__ import annotations

import json

import pytest

from bot.slack.messages import limit_problems
from tests.support.chat import Chat, new_chat, posted_text
from tests.support.signed import new_ts


@pytest.fixture(scope="module")
def chat50_module(standin, fifty_state_answerer, chat_database) -> Chat:
    return new_chat(standin, fifty_state_answerer, chat_database)


@pytest.fixture
def chat50(chat50_module, standin) -> Chat:
    standin.reset()
    return chat50_module


def assert_fits(body: dict) -> None:
    assert limit_problems(body) == [], limit_problems(body)


def test_a_question_naming_no_state_asks_which_state_and_a_pick_posts_its_answer(chat50):
    thread = new_ts()
    [reply] = chat50.mention("how are civil rights protected during joint operations?", thread_ts=thread)
    assert_fits(reply.body)
    assert "Which state do you mean?" in posted_text(reply)
    select = next(b for b in reply.body["blocks"] if b["type"] == "actions")["elements"][0]
    assert select["type"] == "static_select" and select["action_id"] == "choose_state"
    values = [o["value"] for o in select["options"]]
    assert len(values) == 50 and "WV-10" in values and "AR-8" in values
    chat50.click(
        "choose_state", "", thread_ts=thread, type="static_select", selected_option={"value": "WV-10"}
    )
    [_, answer] = chat50.posts()
    assert answer.body["thread_ts"] == thread
    assert answer.body["blocks"][0]["text"]["text"].startswith("*West Virginia · Q10 · WV-10*")


def test_a_named_state_is_answered_from_that_state_only(chat50):
    [reply] = chat50.mention("how does Montana protect civil rights during joint operations?")
    assert_fits(reply.body)
    assert reply.body["blocks"][0]["text"]["text"].startswith("*Montana · Q")


def test_other_states_lists_the_closest_first_and_opens_any(chat50, fifty_state_answerer):
    chat50.click("other_states", "AR-8")
    [post] = chat50.posts()
    assert_fits(post.body)
    assert len(post.body["blocks"][1]["fields"]) == 10
    select = post.body["blocks"][2]["elements"][0]
    closest = fifty_state_answerer.compare(fifty_state_answerer.by_ref["AR-8"])
    scores = [h.score for h in closest]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1]  # closest first
    assert [o["value"] for o in select["options"]] == [h.record.ref for h in closest]
    assert len(select["options"]) == 49 and "AR-8" not in {o["value"] for o in select["options"]}


def test_state_help_and_lists_are_compact(chat50):
    help_reply = chat50.command("")
    assert_fits(help_reply)
    shown = json.dumps(help_reply["blocks"], ensure_ascii=False)
    assert "*States covered* (50): AL · AK · AZ · AR" in shown
    assert "Alabama (AL" not in shown  # codes, not a paragraph of names
    not_covered = chat50.command("atlantis")
    assert_fits(not_covered)
    assert "50 states: " in not_covered["text"]
    assert_fits(chat50.command("montana"))
    assert_fits(chat50.command("mt 3"))


@pytest.mark.parametrize(
    ("action_id", "value"),
    [("more_answers", "MT-3,MT-4"), ("read_rest", "MT-3:100"), ("show_answer_1", "MT-3")],
)
def test_every_button_posts_a_message_within_limits(chat50, action_id, value):
    assert chat50.click(action_id, value).status == 200
    [post] = chat50.posts()
    assert_fits(post.body)


@pytest.mark.parametrize(
    "question",
    ["pizza recipe", "how many people were arrested in Ohio last year", "TX-3", "Montana question 99", ""],
)
def test_short_replies_fit(chat50, question):
    [reply] = chat50.mention(question)
    assert_fits(reply.body)


def test_a_states_people_and_the_capital_are_read_right_in_a_channel(chat50):
    [reply] = chat50.mention("how are West Virginians' civil rights protected during joint operations?")
    assert_fits(reply.body)
    assert reply.body["blocks"][0]["text"]["text"].startswith("*West Virginia · Q")
    [capital] = chat50.mention("how does ICE coordinate with police in Washington, D.C.?")
    assert "District of Columbia is not covered yet" in posted_text(capital)
    assert "Washington ·" not in posted_text(capital)  # never Washington state's answer
