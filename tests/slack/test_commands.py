"""/state and other slash commands, in-process: the reply is the acknowledgement's body."""

from __future__ import annotations

import pytest


def test_state_alone_gives_help_and_the_states_with_counts(chat):
    reply = chat.command("")
    assert reply["response_type"] == "ephemeral"
    assert "• Arkansas (AR): 20 questions" in reply["text"]
    assert "• West Virginia (WV): 20 questions" in reply["text"]


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
