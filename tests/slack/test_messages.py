"""Every template, rendered for every record, is valid Block Kit within Slack's limits."""

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bot import render as render_module
from bot.answerer import Answerer
from bot.render import TEMPLATES_DIR, render_text
from bot.reply import Hit, Reply
from bot.slack import messages
from bot.slack.messages import limit_problems, view_problems


@pytest.fixture
def rendered_templates(monkeypatch) -> set[str]:
    """The names of the templates rendered during the test."""
    used: set[str] = set()
    original = render_module.ENV.get_template

    def tracking(name, *args, **kwargs):
        used.add(name)
        return original(name, *args, **kwargs)

    monkeypatch.setattr(render_module.ENV, "get_template", tracking)
    return used


def every_message(answerer: Answerer) -> list[dict]:
    """One of each message the bot can send, for the corpus `answerer` holds."""
    record = answerer.records[0]
    state = record.state
    replies = [
        answerer.answer(record.question),
        answerer.answer(record.ref),
        answerer.answer(f"{state.name} question 99"),
        answerer.answer("pizza recipe"),
        answerer.answer("how does Atlantis train officers"),
        answerer.answer(f"how many people did {state.name} arrest last year"),
        answerer.answer("arkansas training"),
        answerer.answer("wv training"),  # a close call: Did you mean
        answerer.follow_up("and what about oversight?", record.ref),
        answerer.follow_up("what about West Virginia?", record.ref),
        answerer.answer("how are civil rights protected during joint operations?"),  # no state named
        Reply("x", "not_covered", states=[], missing_states=answerer.states),
        answerer.answer("how is civil rights protected in joint operations", default=state),
        answerer.answer("pizza", default=state),
    ]
    return [
        *(messages.reply_message(answerer, reply) for reply in replies),
        *(messages.reply_message(answerer, reply, share=True) for reply in replies),
        messages.record_message(answerer, record, share=True),
        messages.compare_message(answerer, record),
        messages.more_answers_message(answerer, [h.record.ref for h in answerer.related(record)]),
        messages.more_answers_message(answerer, []),
        messages.read_rest_message(record, 100),
        messages.state_list_message(answerer, state, share=True),
        messages.help_message(answerer),
        messages.intro_message(answerer),
        messages.cite_message(record, None),
        messages.shared_by(messages.record_message(answerer, record), "U0000SHARE"),
        messages.not_a_state_message(answerer, "atlantis"),
        messages.feedback_message(record.ref, True),
        messages.feedback_message(record.ref, False),
        messages.error_message(),
        messages.notice("gone.mrkdwn.j2"),
        messages.notice("unknown_command.mrkdwn.j2", command="/x"),
        messages.notice("channel_state.mrkdwn.j2", state=state, cleared=False),
        messages.notice("channel_state.mrkdwn.j2", state=None, cleared=True),
        messages.notice("click_expired.mrkdwn.j2"),
        messages.notice("share_expired.mrkdwn.j2"),
        messages.notice("no_text.mrkdwn.j2"),
        messages.notice("vote_not_stored.mrkdwn.j2"),
    ]


def assert_valid(message):
    json.loads(json.dumps(message))  # serialisable as sent
    assert limit_problems(message) == []
    for block in message["blocks"]:
        for element in block.get("elements", []):
            if element.get("type") == "button":
                assert element["action_id"] and element["text"]["type"] == "plain_text"


def assert_valid_view(view):
    json.loads(json.dumps(view))
    assert view_problems(view) == []


def test_every_record_renders_within_limits_in_every_message(answerer):
    for record in answerer.records:
        for share in (False, True):
            assert_valid(messages.record_message(answerer, record, share=share))
            shared = messages.shared_by(messages.record_message(answerer, record, share=share), "U0000CLICK")
            assert_valid(shared)
            assert_valid_view(messages.modal_view(shared))
        assert_valid(messages.cite_message(record, date(2026, 11, 22)))
        assert_valid(messages.cite_message(record, None))
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
    assert_valid(messages.help_message(answerer))
    assert_valid(messages.intro_message(answerer))
    assert_valid_view(messages.modal_view(messages.help_message(answerer)))
    for query_log_days, installed in [(None, False), (30, True)]:
        as_of = {"AR": date(2026, 11, 22)}
        view = messages.home_view(answerer, as_of, query_log_days=query_log_days, installed=installed)
        assert_valid_view(view)


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
    for note in ("click_expired.mrkdwn.j2", "share_expired.mrkdwn.j2", "no_text.mrkdwn.j2"):
        assert_valid(messages.notice(note))
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
    assert_valid(messages.help_message(answerer))
    assert_valid(messages.intro_message(answerer))
    as_of = {s.code: date(2026, 11, 22) for s in answerer.states}
    home = messages.home_view(answerer, as_of, query_log_days=30, installed=True)
    assert_valid_view(home)
    shown = json.dumps(home)
    assert all(f"*{s.code}* {s.name}" in shown for s in answerer.states)
    assert shown.count("as of 2026-11-22") == len(answerer.states) == 50
    assert_valid(messages.compare_message(answerer, answerer.records[0]))
    assert_valid(messages.not_a_state_message(answerer, "atlantis"))
    reply = Reply("x", "not_covered", states=[], missing_states=answerer.states)
    assert_valid(messages.reply_message(answerer, reply))


def test_the_example_questions_are_answered_on_any_corpus(answerer, fifty_state_answerer):
    for each in (answerer, fifty_state_answerer):
        examples = messages.example_questions(each)
        assert len(examples) in (2, 3)
        for question in examples:
            assert len(question) <= messages.MAX_BUTTON_TEXT
            assert each.answer(question).kind == "answer", question


def test_a_view_over_slack_limits_is_caught():
    block = {"type": "section", "text": {"type": "mrkdwn", "text": "x"}}
    assert view_problems({"type": "home", "blocks": [block] * 101}) == ["101 blocks > 100"]
    modal = {"type": "modal", "title": {"type": "plain_text", "text": "x" * 25}, "blocks": [block]}
    assert any("title" in p for p in view_problems(modal))


@pytest.mark.parametrize("corpus", ["two states", "fifty states"])
def test_every_message_fits_slacks_limits(corpus, answerer, fifty_state_answerer):
    for message in every_message(answerer if corpus == "two states" else fifty_state_answerer):
        assert_valid(message)


def test_every_template_is_rendered_by_some_message(answerer, fifty_state_answerer, rendered_templates):
    every_message(answerer)
    every_message(fifty_state_answerer)
    messages.modal_view(messages.help_message(answerer))
    messages.home_view(answerer, {"AR": date(2026, 11, 22)}, query_log_days=30, installed=True)
    slack_templates = [*Path(TEMPLATES_DIR).glob("*.json.j2"), *Path(TEMPLATES_DIR).glob("*.mrkdwn.j2")]
    names = {p.name for p in slack_templates if not p.name.startswith("_")}
    cli_only = {"clarify.mrkdwn.j2", "answer.mrkdwn.j2", "choose_state.mrkdwn.j2"}  # the command line's
    assert names - cli_only <= rendered_templates, names - cli_only - rendered_templates


def test_an_answer_that_fits_raw_but_not_once_escaped_is_cut(records):
    # 2,900 raw characters, over 3,000 once & < > are escaped for Slack
    answer = ("Oversight & review <of> joint work. " * 81)[:2900].strip()
    assert len(answer) <= 3000 < len(messages.mrkdwn(answer))
    record = replace(records[0], answer=answer)
    message = messages.record_message(Answerer([record, *records[1:]]), record)
    assert_valid(message)
    assert message["blocks"][-1]["elements"][0]["action_id"] == "read_rest"


@pytest.mark.parametrize("length", range(60, 100, 3))
def test_choices_with_long_questions_fit_slacks_75_character_labels(records, length):
    # jinja2's truncate lets up to 5 characters past its length through unless told not to
    long = [
        replace(r, question=("How do joint task forces share records " * 4)[:length] + "?")
        for r in records[:4]
    ]
    answerer = Answerer([*long, *records[4:]])
    hit = [Hit(r, 1.0) for r in long]
    labels = []
    for reply in [
        Reply("x", "clarify", hits=hit[:3], states=[long[0].state]),
        Reply("x", "choose_state", hits=hit[:4]),
        Reply("x", "answer", hits=hit[:1], states=[long[0].state], alternatives=hit[1:3], coverage=1.0),
    ]:
        message = messages.reply_message(answerer, reply)
        assert_valid(message)
        for block in message["blocks"]:
            for element in block.get("elements", []):
                if element.get("type") == "button":
                    labels.append(element["text"]["text"])
                labels += [o["text"]["text"] for o in element.get("options", [])]
    # the long questions are in the labels, cut
    assert any(label.startswith(f"{long[1].ref}: How do joint") for label in labels), labels
