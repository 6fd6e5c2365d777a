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
