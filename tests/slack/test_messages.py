"""Every template, rendered for every record, is valid Block Kit within Slack's limits."""

import json
from dataclasses import replace
from pathlib import Path

import pytest

from bot import render as render_module
from bot.answerer import Answerer
from bot.render import TEMPLATES_DIR, render_text
from bot.reply import Reply
from bot.slack import messages
from bot.slack.messages import limit_problems

USED: set[str] = set()


@pytest.fixture(autouse=True)
def track_templates(monkeypatch):
    original = render_module.ENV.get_template

    def tracking(name, *args, **kwargs):
        USED.add(name)
        return original(name, *args, **kwargs)

    monkeypatch.setattr(render_module.ENV, "get_template", tracking)


def assert_valid(message):
    json.loads(json.dumps(message))  # serialisable as sent
    assert limit_problems(message) == []
    for block in message["blocks"]:
        for element in block.get("elements", []):
            if element.get("type") == "button":
                assert element["action_id"] and element["text"]["type"] == "plain_text"


def test_every_record_renders_within_limits_in_every_message(answerer):
    for record in answerer.records:
        for share in (False, True):
            assert_valid(messages.record_message(answerer, record, share=share))
        assert_valid(messages.compare_message(answerer, record))
        assert_valid(
            messages.more_answers_message(answerer, [h.record.ref for h in answerer.related(record)])
        )
        assert_valid(messages.read_rest_message(record, 100))
        assert_valid(messages.reply_message(answerer, answerer.answer(record.question)))
        assert render_text(answerer, answerer.answer(record.ref)).startswith(
            f"*{record.state.name} · Q{record.number}"
        )
    for state in answerer.states:
        assert_valid(messages.state_list_message(answerer, state, share=True))
    assert_valid(messages.state_help_message(answerer))


@pytest.mark.parametrize("asked", ["pizza", "x" * 5000, "<!channel> & <@U1>", ""])
def test_short_replies_render_within_limits(answerer, asked):
    for reply in [answerer.answer(asked), answerer.answer("Texas " + asked), answerer.answer("AR-99")]:
        assert_valid(messages.reply_message(answerer, reply))
        assert render_text(answerer, reply)
    assert_valid(messages.not_a_state_message(answerer, asked or "atlantis"))
    assert_valid(messages.feedback_message("AR-1", True))
    assert_valid(messages.feedback_message("AR-1", False))
    assert_valid(messages.error_message())
    assert_valid(messages.more_answers_message(answerer, []))
    assert_valid(messages.notice("gone.mrkdwn.j2"))
    assert_valid(messages.notice("vote_not_stored.mrkdwn.j2"))
    unknown = messages.notice("unknown_command.mrkdwn.j2", command="/x" + asked)
    assert_valid(unknown)
    assert "<@" not in unknown["text"] and "<!" not in unknown["text"]


def test_an_answer_longer_than_slack_allows_is_cut_cleanly_with_the_rest_a_click_away(records):
    long_record = replace(records[0], answer=("A sentence about oversight & <review>. " * 400).strip())
    answerer = Answerer([long_record, *records[1:]])
    message = messages.record_message(answerer, long_record)
    assert_valid(message)
    shown = message["blocks"][1]["text"]["text"]
    assert shown.endswith("&lt;review&gt;.")  # cut at a sentence end, escaping intact
    read_rest = message["blocks"][-1]["elements"][0]
    assert read_rest["action_id"] == "read_rest"
    ref, offset = read_rest["value"].split(":")
    assert ref == long_record.ref
    rest = messages.read_rest_message(long_record, int(offset))
    assert_valid(rest)
    shown_raw = long_record.answer[: int(offset)]
    rest_raw = " ".join(b["text"]["text"] for b in rest["blocks"][1:]).replace("&amp;", "&")
    rest_raw = rest_raw.replace("&lt;", "<").replace("&gt;", ">")
    assert (shown_raw + " " + rest_raw).split() == long_record.answer.split()  # nothing lost


def test_fifty_states_still_fit(fifty_state_answerer):
    answerer = fifty_state_answerer
    assert_valid(messages.state_help_message(answerer))
    assert_valid(messages.compare_message(answerer, answerer.records[0]))
    assert_valid(messages.not_a_state_message(answerer, "atlantis"))
    reply = Reply("x", "not_covered", states=[], missing_states=answerer.states)
    assert_valid(messages.reply_message(answerer, reply))


def test_every_template_was_rendered():
    slack_templates = [*Path(TEMPLATES_DIR).glob("*.json.j2"), *Path(TEMPLATES_DIR).glob("*.mrkdwn.j2")]
    names = {p.name for p in slack_templates if not p.name.startswith("_")}
    assert names <= USED, names - USED
