"""Conversations in a thread, read like a chat: a question, the bot's answer, a follow-up."""

from __future__ import annotations

from tests.support.chat import posted_text
from tests.support.signed import new_ts


def heading(call) -> str:
    return call.body["blocks"][0]["text"]["text"]


def test_a_follow_up_about_another_state_keeps_the_topic(chat):
    thread = new_ts()
    [answer] = chat.mention(
        "How does Arkansas protect civil rights during joint operations?", thread_ts=thread
    )
    assert heading(answer).startswith("*Arkansas · Q8 · AR-8*")
    [follow_up] = chat.mention("what about West Virginia?", thread_ts=thread)
    assert follow_up.body["thread_ts"] == thread
    assert heading(follow_up).startswith("*West Virginia · Q10 · WV-10*")
    assert "follow-up to AR-8" in posted_text(follow_up)


def test_a_follow_up_on_a_new_topic_keeps_the_threads_state(chat):
    thread = new_ts()
    chat.mention("what is the role of west virginia state agencies?", thread_ts=thread)
    [follow_up] = chat.mention("and how are complaints handled?", thread_ts=thread)
    assert heading(follow_up).startswith("*West Virginia · Q19 · WV-19*")


def test_the_same_words_outside_that_thread_are_a_fresh_question(chat):
    thread = new_ts()
    chat.mention("How does Arkansas protect civil rights during joint operations?", thread_ts=thread)
    [elsewhere] = chat.mention("and how are complaints handled?", thread_ts=new_ts())
    assert "follow-up" not in posted_text(elsewhere)


def test_a_follow_up_in_a_dm_thread(chat):
    thread = new_ts()
    [answer] = chat.dm("civil rights in Arkansas joint operations", thread_ts=thread)
    assert heading(answer).startswith("*Arkansas · Q8 · AR-8*")
    [follow_up] = chat.dm("what about WV?", thread_ts=thread)
    assert follow_up.body["thread_ts"] == thread
    assert heading(follow_up).startswith("*West Virginia · Q10 · WV-10*")


def test_a_follow_up_to_a_topic_the_other_state_lacks_says_so(chat):
    thread = new_ts()
    chat.mention("racial profiling in Arkansas", thread_ts=thread)
    [follow_up] = chat.mention("what about WV?", thread_ts=thread)
    assert "No good match in West Virginia for the topic of AR-15" in follow_up.body["text"]


def test_a_toss_up_asks_which_one_and_a_choice_posts_that_answer(chat):
    thread = new_ts()
    [question] = chat.mention("arkansas training", thread_ts=thread)
    assert "Which one did you mean?" in heading(question)
    choices = [b["accessory"] for b in question.body["blocks"] if "accessory" in b]
    assert {c["value"] for c in choices[:2]} == {"AR-3", "AR-18"}
    assert {c["action_id"] for c in choices} == {"show_answer"}
    chat.click("show_answer", "AR-3", thread_ts=thread)
    [_, chosen] = chat.posts()
    assert chosen.body["thread_ts"] == thread and heading(chosen).startswith("*Arkansas · Q3 · AR-3*")


def test_a_close_call_offers_did_you_mean_buttons_that_post_that_answer(chat):
    [answer] = chat.mention("wv training")  # training, or cultural-competency training
    blocks = {b.get("block_id"): b for b in answer.body["blocks"]}
    assert "Did you mean" in blocks["did_you_mean"]["elements"][0]["text"]
    [button] = blocks["alternatives"]["elements"]
    assert button["action_id"] == "show_answer_1" and button["value"] == "WV-18"
    chat.click("show_answer_1", "WV-18")
    assert heading(chat.posts()[-1]).startswith("*West Virginia · Q18 · WV-18*")


def test_facts_the_pages_do_not_hold_get_an_honest_no_with_related_reading(chat):
    [reply] = chat.mention("how many people did arkansas state police hand over to ICE last year?")
    text = posted_text(reply)
    assert "I can't answer that from the state pages" in text and "statistics" in text
    assert "Related reading, not an answer: AR-" in text
    assert "Source:" not in text


def test_a_follow_up_in_a_thread_under_a_top_level_dm_answer(chat):
    [answer] = chat.dm("civil rights in Arkansas joint operations")
    assert "thread_ts" not in answer.body or answer.body["thread_ts"] is None  # top level in a DM
    posted_ts = answer.response["ts"]
    [follow_up] = chat.dm("what about WV?", thread_ts=posted_ts)
    assert follow_up.body["thread_ts"] == posted_ts
    assert heading(follow_up).startswith("*West Virginia · Q10 · WV-10*")
