"""/state and other slash commands, in-process: the reply is the acknowledgement's body."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from bot.db.schema import query_log
from bot.db.store import Store
from bot.slack.services import Services
from tests.support.chat import Chat, make_app
from tests.support.signed import SIGNING_SECRET


@pytest.mark.parametrize("asked", ["", "help", "what can you do?", "hi"])
def test_state_alone_or_help_gives_the_usage_message_with_the_states_and_examples(chat, asked):
    reply = chat.command(asked)
    assert reply["response_type"] == "ephemeral"
    text = "\n".join(b["text"]["text"] for b in reply["blocks"] if b["type"] == "section")
    assert "`/state ar 3`" in text and "mention me" in text
    assert "Arkansas (AR, 20 questions), West Virginia (WV, 20 questions)" in text
    examples = [b["elements"][0] for b in reply["blocks"] if b["type"] == "actions"]
    assert [e["action_id"] for e in examples] == ["ask_example"] * 3


@pytest.mark.parametrize("asked", ["arkansas", "AR", "Ark.", "  Arkansas  "])
def test_state_with_a_state_lists_all_its_questions_with_refs(chat, asked):
    reply = chat.command(asked)
    listed = "\n".join(b["text"]["text"] for b in reply["blocks"] if b["type"] == "section")
    for n in range(1, 21):
        assert f"`AR-{n}`" in listed
    assert "20. How does the state navigate potential conflicts" in listed
    share = reply["blocks"][-2]["elements"][0]
    assert share["action_id"] == "share" and share["value"] == "state:AR"


def test_state_with_a_number_gives_that_answer(chat):
    reply = chat.command("wv 12")
    assert reply["blocks"][0]["text"]["text"].startswith("*West Virginia · Q12 · WV-12*")
    assert reply["blocks"][-1]["elements"][0]["action_id"] == "share"


def test_state_with_words_gives_the_best_match_inside_the_state(chat):
    reply = chat.command("wv training")
    assert reply["blocks"][0]["text"]["text"].startswith("*West Virginia · Q8 · WV-8*")


def test_state_text_is_unescaped_once(chat):
    # Slack sends "&amp;lt;" for a typed "&lt;": shown back as typed, never as "<".
    reply = chat.command("atlantis &amp;lt;b&amp;gt;")
    assert "atlantis &amp;lt;b&amp;gt;" in reply["text"]


def test_state_with_an_unknown_state_lists_the_states(chat):
    reply = chat.command("atlantis")
    assert "“atlantis” is not a state in the corpus" in reply["text"]
    assert "Arkansas (AR), West Virginia (WV)" in reply["text"]
    assert "Texas is not covered yet" in chat.command("texas")["text"]


def test_an_unknown_slash_command_gets_a_hint(chat):
    assert "/state" in chat.command("x", command="/other")["text"]


def test_a_channels_own_state_reads_questions_that_name_none_and_can_be_turned_off(chat):
    reply = chat.command("default arkansas", channel="C0000DFLT")
    assert "now read as *Arkansas* (AR)" in reply["text"]
    assert "read as *Arkansas*" in chat.command("default", channel="C0000DFLT")["text"]
    [answer] = chat.mention("how is racial profiling prevented?", channel="C0000DFLT")
    blocks = answer.body["blocks"]
    assert blocks[0]["text"]["text"].startswith("*Arkansas · Q15 · AR-15*")
    assert "this channel's default state" in blocks[2]["elements"][0]["text"]
    ask_all = next(e for e in blocks[3]["elements"] if e["action_id"] == "ask_all_states")
    assert ask_all["value"] == "how is racial profiling prevented?"
    [named] = chat.mention("how does West Virginia handle complaints?", channel="C0000DFLT")
    assert named.body["blocks"][0]["text"]["text"].startswith("*West Virginia")  # a named state wins
    [elsewhere] = chat.mention("how are complaints handled?", channel="C0000OTHR")
    assert elsewhere.body["blocks"][0]["text"]["text"].startswith("*West Virginia · Q19")
    assert "no default state now" in chat.command("default off", channel="C0000DFLT")["text"]
    [after] = chat.mention("how are complaints handled?", channel="C0000DFLT")
    assert after.body["blocks"][0]["text"]["text"].startswith("*West Virginia · Q19")


def test_ask_across_all_states_answers_without_the_channels_state(chat):
    chat.click("ask_all_states", "how are complaints handled?")
    [post] = chat.posts()
    assert post.body["blocks"][0]["text"]["text"].startswith("*West Virginia · Q19")


def test_a_channels_state_is_stored_only_as_a_keyed_hash(chat, chat_database):
    from sqlalchemy import select

    from bot.db.schema import channel_states

    chat.command("default wv", channel="C0000HASH")
    with chat_database.connect() as connection:
        keys = [row[0] for row in connection.execute(select(channel_states.c.channel))]
    assert keys and not any("C0000HASH" in key for key in keys)


def test_a_default_that_is_not_a_covered_state_is_refused(chat):
    assert "Texas is not covered yet" in chat.command("default texas", channel="C0000DFL2")["text"]
    assert "is not a state in the corpus" in chat.command("default atlantis", channel="C0000DFL2")["text"]


class HeldQueryLog(Store):
    """A store whose query log waits until the test lets it write."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.go = threading.Event()
        self.written = threading.Event()

    def log_query(self, *args, **kwargs):
        try:
            assert self.go.wait(10)
            super().log_query(*args, **kwargs)
        finally:
            self.written.set()


def test_state_acknowledges_first_and_writes_the_query_log_after(standin, answerer, chat_database):
    store = HeldQueryLog(chat_database, SIGNING_SECRET.encode(), query_log_days=30)
    # Listeners on threads, as in the server: the acknowledgement returns while the listener runs on.
    with ThreadPoolExecutor(2) as executor:
        chat = Chat(make_app(standin, Services(answerer, store), executor=executor), standin)
        try:
            reply = chat.command("wv training")
            # Answered while the query log was still held back: the log comes after the 200.
            assert reply["blocks"][0]["text"]["text"].startswith("*West Virginia · Q8 · WV-8*")
            assert not store.written.is_set()
        finally:
            store.go.set()
        assert store.written.wait(10)
    with chat_database.connect() as connection:
        logged = [row.question for row in connection.execute(select(query_log))]
    assert "WV: training" in logged
