"""Every button the bot posts, clicked, in-process: what each one posts, and where."""

from __future__ import annotations

import json

import pytest

from tests.support.chat import posted_text
from tests.support.signed import new_ts


def test_share_in_channel_posts_the_same_answer_for_everyone_saying_who_shared_it(chat):
    assert chat.click("share", "ref:WV-12", ephemeral=True).status == 200
    shared, deleted = chat.posts("response_url")
    assert shared.body["response_type"] == "in_channel" and shared.body["replace_original"] is False
    attribution, heading = shared.body["blocks"][:2]
    assert attribution["elements"][0]["text"] == "Shared by <@U0000CLICK>"
    assert heading["text"]["text"].startswith("*West Virginia · Q12 · WV-12*")
    assert all(e["action_id"] != "share" for e in shared.body["blocks"][-1]["elements"])
    assert deleted.body["delete_original"] is True


def test_sharing_a_state_list_posts_the_list(chat):
    chat.click("share", "state:WV", ephemeral=True)
    shared = chat.posts("response_url")[0]
    assert "`WV-20`" in posted_text(shared)


def test_more_answers_posts_the_next_matches_in_the_same_thread(chat):
    parent = new_ts()
    chat.click("more_answers", "AR-15,AR-5", thread_ts=parent)
    [post] = chat.posts()
    assert post.body["thread_ts"] == parent and post.body["channel"] == "C0000CHAN"
    assert "AR-15" in posted_text(post) and "AR-5" in posted_text(post)


def test_other_states_posts_the_closest_question_in_each_other_state(chat):
    message_ts = new_ts()
    chat.click("other_states", "AR-8", message_ts=message_ts)
    [post] = chat.posts()
    assert post.body["thread_ts"] == message_ts
    fields = post.body["blocks"][1]["fields"]
    assert fields[0]["text"].startswith("*AR-8* · Arkansas")
    assert fields[1]["text"].startswith("*WV-10* · West Virginia")


def test_read_the_rest_posts_the_answer_from_where_it_was_cut(chat, answerer):
    record = answerer.by_ref["AR-3"]
    chat.click("read_rest", "AR-3:100")
    [post] = chat.posts()
    assert post.body["blocks"][0]["text"]["text"] == "*AR-3, continued*"
    assert record.answer[100:].strip()[:60] in post.body["blocks"][1]["text"]["text"]


@pytest.mark.parametrize(("action_id", "value"), [("read_rest", "XX-1:5"), ("other_states", "XX-1")])
def test_a_button_for_an_answer_no_longer_in_the_corpus_says_so(chat, action_id, value):
    chat.click(action_id, value)
    [post] = chat.posts()
    assert "no longer in the corpus" in post.body["text"]


@pytest.mark.parametrize(
    ("action_id", "expected"),
    [("feedback_helpful", "glad AR-8 helped"), ("feedback_not_helpful", "AR-8 did not help")],
)
def test_feedback_is_acknowledged_to_the_clicker_only(chat, action_id, expected):
    assert chat.click(action_id, "AR-8").status == 200
    [note] = chat.posts("chat.postEphemeral")
    assert note.body["user"] == "U0000CLICK" and note.body["channel"] == "C0000CHAN"
    assert expected in note.body["text"]
    assert chat.posts() == []


def test_a_forged_feedback_value_is_not_echoed_as_markup(chat):
    chat.click("feedback_helpful", "<!channel>")
    [note] = chat.posts("chat.postEphemeral")
    assert "<!channel>" not in json.dumps(note.body)


def test_link_buttons_and_interactions_nobody_listens_for_still_get_200(chat):
    assert chat.click("open_source_link", "", url="https://example.org").status == 200
    assert chat.posts() == []


def test_url_verification_is_answered(chat):
    body = json.dumps({"type": "url_verification", "challenge": "c-123", "token": "t"})
    response = chat.send(body, "application/json")
    assert response.status == 200 and "c-123" in response.body
