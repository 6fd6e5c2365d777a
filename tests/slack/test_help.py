"""Greetings, "help" and "what can you do?" get one usage message, wherever they are said."""

from __future__ import annotations

import json

import pytest

from tests.support.chat import posted_text
from tests.support.signed import mention, new_ts

CIVIL_RIGHTS = "How does Arkansas protect civil rights during joint operations?"


def assert_usage(message: dict) -> None:
    """The usage message: how to ask, /state examples, the states covered, example buttons."""
    text = message.get("text", "") + json.dumps(message.get("blocks", []), ensure_ascii=False)
    assert "mention me with a question" in text
    assert "`/state ar 3`" in text and "`/state ar training`" in text
    assert "Arkansas (AR, 20 questions), West Virginia (WV, 20 questions)" in text
    examples = [b["elements"][0] for b in message["blocks"] if b["type"] == "actions"]
    assert [e["action_id"] for e in examples] == ["ask_example"] * 3
    assert examples[0]["value"] == CIVIL_RIGHTS
    assert "No good match" not in text


@pytest.mark.parametrize(
    "text", ["help", "hi", "hello!", "what can you do?", "Hey there, how does this work?", ""]
)
def test_help_in_a_mention_gets_the_usage_message_in_the_thread(chat, text):
    event = mention(text)
    assert chat.event(event).status == 200
    [post] = chat.posts()
    assert post.body["thread_ts"] == event["ts"]
    assert_usage(post.body)


@pytest.mark.parametrize("text", ["help", "good morning", "what can you do?"])
def test_help_in_a_dm_gets_the_usage_message_at_the_top_level(chat, text):
    [post] = chat.dm(text, channel="D0000DM02")
    assert post.body["channel"] == "D0000DM02" and "thread_ts" not in post.body
    assert_usage(post.body)


def test_state_help_gets_the_same_usage_message_privately(chat):
    reply = chat.command("help")
    assert reply["response_type"] == "ephemeral"
    assert_usage(reply)


def test_a_question_that_uses_the_word_help_is_answered_as_a_question(chat):
    [post] = chat.mention("what help do state agencies get from ICE?")
    # the answerer's reply, whatever it decided: not the usage message
    assert "ask_example" not in posted_text(post) and "mention me with a question" not in posted_text(post)


def test_help_is_posted_once_for_a_resent_event(chat):
    event = mention("help")
    for retry in range(3):
        chat.event(event, event_id="Ev0HELPRESENT", **({"x-slack-retry-num": str(retry)} if retry else {}))
    assert len(chat.posts()) == 1


def test_an_example_button_posts_its_answer_in_the_thread_it_was_in(chat):
    parent = new_ts()
    assert chat.click("ask_example", CIVIL_RIGHTS, thread_ts=parent).status == 200
    [post] = chat.posts()
    assert post.body["thread_ts"] == parent and post.body["channel"] == "C0000CHAN"
    assert post.body["blocks"][0]["text"]["text"].startswith("*Arkansas · Q8 · AR-8*")


def test_an_example_button_under_private_help_answers_privately_with_share(chat):
    chat.click("ask_example", CIVIL_RIGHTS, ephemeral=True)
    [reply] = chat.posts("response_url")
    assert reply.body["response_type"] == "ephemeral" and reply.body["replace_original"] is False
    assert reply.body["blocks"][0]["text"]["text"].startswith("*Arkansas · Q8 · AR-8*")
    assert "share" in [e["action_id"] for e in reply.body["blocks"][-1]["elements"]]
    assert chat.posts() == []


def test_a_forged_example_value_is_answered_as_plain_text(chat):
    chat.click("ask_example", "<!channel> pizza")
    [post] = chat.posts()
    assert "<!channel>" not in json.dumps(post.body)
