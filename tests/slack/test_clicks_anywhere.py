"""Buttons work wherever an answer is: shared where the bot is not a member, in DMs, and once expired.

Where the bot is not a member, chat.postMessage and chat.postEphemeral fail with
not_in_channel; the click's response_url needs no membership and takes 5 posts in
30 minutes. The stand-in behaves the same (`not_member_of`, 5 posts per URL).
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.support.chat import posted_text
from tests.support.signed import new_ts

OUTSIDE = "C0000OUTSD"  # a channel the bot is not in, where an answer was shared from /state
CLICKS = [
    ("more_answers", "AR-15,AR-5", "AR-15"),
    ("other_states", "AR-8", "WV-10"),
    ("read_rest", "AR-3:100", "AR-3, continued"),
]


@pytest.fixture
def outside(standin):
    standin.not_member_of.add(OUTSIDE)
    return OUTSIDE


@pytest.mark.parametrize(("action_id", "value", "expected"), CLICKS)
def test_a_click_where_the_bot_is_not_a_member_is_answered_through_the_response_url(
    chat, outside, action_id, value, expected
):
    shared_ts = new_ts()
    assert chat.click(action_id, value, channel=outside, message_ts=shared_ts).status == 200
    [refused] = chat.posts()  # tried first: where it is a member this is the way
    assert refused.body["channel"] == outside
    [reply] = chat.posts("response_url")
    assert reply.body["response_type"] == "in_channel" and reply.body["replace_original"] is False
    assert reply.body["thread_ts"] == shared_ts  # under the shared answer, like everywhere else
    assert expected in posted_text(reply)
    assert chat.posts("chat.postEphemeral") == []


def test_a_click_in_a_thread_where_the_bot_is_not_a_member_answers_in_that_thread(chat, outside):
    parent = new_ts()
    chat.click("more_answers", "AR-15,AR-5", channel=outside, thread_ts=parent)
    [reply] = chat.posts("response_url")
    assert reply.body["thread_ts"] == parent


def test_once_the_response_url_is_used_up_the_clicker_is_told_privately(chat, standin, outside):
    standin.fail_next("response_url", status=404, error="used_url")
    assert chat.click("other_states", "AR-8", channel=outside).status == 200
    _refused, why, answer = chat.posts()
    assert why.body["channel"] == answer.body["channel"] == "U0000CLICK"  # their DM with the app
    assert "could not answer your click where you made it" in why.body["text"]
    assert "Closest to AR-8" in posted_text(answer)


def test_a_click_on_an_expired_private_reply_tells_the_clicker(chat, standin):
    standin.fail_next("response_url", status=404, error="expired_url")
    chat.click("more_answers", "AR-15,AR-5", ephemeral=True)
    why, answer = chat.posts()
    assert why.body["channel"] == "U0000CLICK" and "30 minutes" in why.body["text"]
    assert "AR-15" in posted_text(answer)


def test_other_web_api_errors_are_not_mistaken_for_membership(chat, standin):
    standin.fail_next("chat.postMessage", error="msg_too_long")
    chat.click("more_answers", "AR-15,AR-5")
    assert chat.posts("response_url") == [] and len(chat.posts()) == 1


def test_feedback_where_the_bot_is_not_a_member_is_thanked_through_the_response_url(chat, outside):
    assert chat.click("feedback_helpful", "AR-8", channel=outside).status == 200
    [refused] = chat.posts("chat.postEphemeral")
    assert refused.body["channel"] == outside
    [thanks] = chat.posts("response_url")
    assert thanks.body["response_type"] == "ephemeral" and "glad AR-8 helped" in thanks.body["text"]


def test_sharing_an_expired_private_reply_tells_the_clicker_to_run_it_again(chat, standin):
    standin.fail_next("response_url", status=404, error="expired_url")
    chat.click("share", "ref:AR-8", ephemeral=True)
    [note] = chat.posts()
    assert note.body["channel"] == "U0000CLICK" and "/state" in note.body["text"]


# -- cite ------------------------------------------------------------------------------


def test_cite_gives_a_copy_ready_citation_with_the_pages_as_of_date_privately(chat):
    assert chat.click("cite", "AR-8").status == 200
    [note] = chat.posts("chat.postEphemeral")
    today = date.today().isoformat()  # the chat fixture recorded the pages as the server does
    expected = f"State Coordination With CBP And ICE Task Forces in Arkansas, Q8 (AR-8), as of {today}."
    assert note.body["text"] == expected and note.body["user"] == "U0000CLICK"
    assert chat.posts() == []


def test_cite_works_where_the_bot_is_not_a_member(chat, outside):
    chat.click("cite", "WV-12", channel=outside)
    [note] = chat.posts("response_url")
    assert note.body["response_type"] == "ephemeral" and "Q12 (WV-12), as of " in note.body["text"]


def test_cite_for_an_answer_no_longer_in_the_corpus_says_so(chat):
    chat.click("cite", "XX-1")
    [note] = chat.posts("chat.postEphemeral")
    assert "no longer in the corpus" in note.body["text"]


# -- DMs: top-level questions get top-level answers ----------------------------------------


def test_a_top_level_dm_question_gets_a_top_level_reply(chat):
    [reply] = chat.dm("How does Arkansas protect civil rights during joint operations?", channel="D0000DM03")
    assert reply.body["channel"] == "D0000DM03" and "thread_ts" not in reply.body


def test_a_question_in_a_dm_thread_is_answered_in_that_thread(chat):
    parent = new_ts()
    [reply] = chat.dm("civil rights in Arkansas", channel="D0000DM03", thread_ts=parent)
    assert reply.body["thread_ts"] == parent


def test_a_click_on_a_top_level_dm_answer_is_answered_at_the_top_level(chat):
    chat.click("more_answers", "AR-15,AR-5", channel="D0000DM03")
    [post] = chat.posts()
    assert post.body["channel"] == "D0000DM03" and "thread_ts" not in post.body
    parent = new_ts()
    chat.click("more_answers", "AR-15,AR-5", channel="D0000DM03", thread_ts=parent)
    assert chat.posts()[-1].body["thread_ts"] == parent


def test_channels_keep_answering_in_threads(chat):
    [reply] = chat.mention("civil rights in Arkansas", channel="C0000ASK")
    assert reply.body["thread_ts"]
