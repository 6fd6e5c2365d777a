"""The Home tab, and the one introduction when the bot is added to a channel."""

from __future__ import annotations

import json
import uuid
from datetime import date

from sqlalchemy import select

from bot.db.schema import channel_intros

CIVIL_RIGHTS = "How does Arkansas protect civil rights during joint operations?"


def new_channel() -> str:
    return "C" + uuid.uuid4().hex[:9].upper()


def test_opening_the_home_tab_publishes_what_the_bot_covers_keeps_and_is(chat):
    assert chat.open_home(user="U0000HOME").status == 200
    [publish] = chat.posts("views.publish")
    assert publish.body["user_id"] == "U0000HOME"
    view = publish.body["view"]
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    shown = json.dumps(view, ensure_ascii=False)
    today = date.today().isoformat()  # the chat fixture starts as the server does, recording pages
    assert f"*AR* Arkansas\\n20 questions · as of {today}" in shown
    assert f"*WV* West Virginia\\n20 questions · as of {today}" in shown
    assert "mention me with a question" in shown and "`/state ar 3`" in shown
    assert "*What I keep*" in shown and "*What I never keep*" in shown
    assert "Questions are not kept: the question log is off." in shown
    assert "Answers are quoted from the state pages; not legal advice." in shown
    assert "Questions or corrections?" in shown  # the operator's contact line (_contact.mrkdwn.j2)
    examples = [b["elements"][0] for b in view["blocks"] if b["type"] == "actions"]
    assert examples[0]["value"] == CIVIL_RIGHTS


def test_the_home_tab_says_so_when_questions_are_logged(standin, answerer, chat_database):
    from tests.support.chat import new_chat

    logging_chat = new_chat(standin, answerer, chat_database, QUERY_LOG="on")
    standin.reset()
    logging_chat.open_home()
    [publish] = standin.calls_to("views.publish")
    assert "for 30 days, without who asked or where" in json.dumps(publish.body["view"])


def test_opening_the_messages_tab_publishes_nothing(chat):
    assert chat.open_home(tab="messages").status == 200
    assert chat.posts("views.publish") == []


def test_an_example_on_the_home_tab_is_answered_in_the_messages_tab(chat):
    assert chat.click_in_view("ask_example", CIVIL_RIGHTS, view_type="home", user="U0000HOME").status == 200
    [post] = chat.posts()
    assert post.body["channel"] == "U0000HOME" and "thread_ts" not in post.body
    assert post.body["blocks"][0]["text"]["text"].startswith("*Arkansas · Q8 · AR-8*")


def test_added_to_a_channel_the_bot_introduces_itself_once(chat):
    channel = new_channel()
    assert chat.member_joins(channel).status == 200
    [intro] = chat.posts()
    assert intro.body["channel"] == channel and "thread_ts" not in intro.body
    assert "Mention me with a question" in intro.body["text"] and "(AR, WV)" in intro.body["text"]
    chat.member_joins(channel)  # removed and added again, or the event delivered twice
    assert len(chat.posts()) == 1
    chat.member_joins(new_channel())
    assert len(chat.posts()) == 2


def test_someone_else_joining_a_channel_gets_no_introduction(chat):
    assert chat.member_joins(new_channel(), user="U0000NEWBIE").status == 200
    assert chat.posts() == []


def test_channels_introduced_in_are_kept_only_as_a_keyed_hash(chat, chat_database):
    channel = new_channel()
    chat.member_joins(channel)
    with chat_database.connect() as connection:
        keys = [row.key for row in connection.execute(select(channel_intros))]
    assert keys and all(len(k) == 64 and channel not in k for k in keys)
    assert channel not in json.dumps(keys)


def test_an_introduction_that_could_not_be_posted_is_tried_on_the_next_join(chat, standin):
    channel = new_channel()
    standin.fail_next("chat.postMessage", error="channel_not_found")
    chat.member_joins(channel)
    chat.member_joins(channel)
    _failed, second = chat.posts()
    assert second.body["channel"] == channel and "Mention me" in second.body["text"]
