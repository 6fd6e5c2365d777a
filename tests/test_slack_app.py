"""The Slack app end to end: `python -m bot serve` over real HTTP, Slack played by a local stand-in."""

from __future__ import annotations

import json
import time
import urllib.request

import pytest

from tests.servers import start_server
from tests.slack_requests import (
    BOT_TOKEN,
    SIGNING_SECRET,
    dm,
    mention,
    new_ts,
    send,
    send_action,
    send_command,
    send_event,
)
from tests.slack_standin import BOT_ID, BOT_USER_ID, SlackStandIn


@pytest.fixture(scope="module")
def standin():
    with SlackStandIn() as server:
        yield server


@pytest.fixture(scope="module")
def server(standin, tmp_path_factory):
    running = start_server(standin.api_url, tmp_path_factory.mktemp("serve"))
    yield running.base, running.log_path
    running.stop()


@pytest.fixture
def app_url(server, standin):
    standin.reset()
    return server[0] + "/slack/events"


def posted_text(call) -> str:
    return call.body["text"] + json.dumps(call.body.get("blocks", []), ensure_ascii=False)


def settle() -> None:
    """Give the app's background answering a moment, before asserting nothing was posted."""
    time.sleep(0.6)


# -- people ask ----------------------------------------------------------------------


def test_health_check_is_up(server):
    with urllib.request.urlopen(server[0] + "/healthz") as response:
        assert response.status == 200 and json.loads(response.read()) == {"ok": True}


def test_mention_is_answered_once_in_the_thread_of_the_asking_message(app_url, standin):
    event = mention("How does Arkansas protect civil rights during joint operations?")
    assert send_event(app_url, event).status == 200
    [call] = standin.wait_for("chat.postMessage")
    assert call.body["channel"] == event["channel"]
    assert call.body["thread_ts"] == event["ts"]
    assert call.body["unfurl_links"] is False
    blocks = call.body["blocks"]
    assert blocks[0]["text"]["text"].startswith("*Arkansas · Q8 · AR-8*\n*How does the state ensure")
    assert (
        "Source: State Coordination With CBP And ICE Task Forces in Arkansas"
        in blocks[2]["elements"][0]["text"]
    )
    assert "Related: AR-" in blocks[2]["elements"][0]["text"]
    assert [e["action_id"] for e in blocks[-1]["elements"]] == [
        "more_answers",
        "other_states",
        "feedback_helpful",
        "feedback_not_helpful",
    ]
    assert call.body["text"].startswith("Arkansas · Q8 · AR-8:")
    assert call.headers["Authorization"] == f"Bearer {BOT_TOKEN}"


def test_mention_inside_a_thread_answers_in_that_thread(app_url, standin):
    parent = new_ts()
    event = mention("racial profiling in AR", thread_ts=parent)
    send_event(app_url, event)
    [call] = standin.wait_for("chat.postMessage")
    assert call.body["thread_ts"] == parent


def test_direct_message_gets_the_same_reply_in_the_dm(app_url, standin):
    event = dm("How does Arkansas protect civil rights during joint operations?")
    send_event(app_url, event)
    [call] = standin.wait_for("chat.postMessage")
    assert call.body["channel"] == event["channel"]
    assert call.body["blocks"][0]["text"]["text"].startswith("*Arkansas · Q8 · AR-8*")


def test_a_ref_in_a_mention_posts_exactly_that_answer(app_url, standin):
    send_event(app_url, mention("see WV-12"))
    [call] = standin.wait_for("chat.postMessage")
    assert call.body["blocks"][0]["text"]["text"].startswith("*West Virginia · Q12 · WV-12*")
    send_event(app_url, mention("Arkansas Q7"))
    calls = standin.wait_for("chat.postMessage", 2)
    assert calls[1].body["blocks"][0]["text"]["text"].startswith("*Arkansas · Q7 · AR-7*")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("what is a good pizza recipe?", "No good match for “what is a good pizza recipe?”"),
        ("", "No good match for that question."),
        ("how does Texas train officers?", "Texas is not covered yet"),
        ("AR-27", "Arkansas has no question 27: its questions are AR-1 to AR-20."),
    ],
)
def test_no_match_unknown_state_and_bad_ref_get_a_short_helpful_reply(app_url, standin, text, expected):
    send_event(app_url, mention(text))
    [call] = standin.wait_for("chat.postMessage")
    assert expected in call.body["text"]
    assert "Traceback" not in call.body["text"]


def test_asker_text_repeated_in_a_reply_is_never_live_markup(app_url, standin):
    send_event(
        app_url,
        mention("<!channel> <!here> <!everyone> <@U0000OTHER> <#C0000CHAN|general> pizza &amp; &lt;b&gt;"),
    )
    [call] = standin.wait_for("chat.postMessage")
    text = posted_text(call)
    for live in ("<!channel>", "<!here>", "<!everyone>", "<@U0000OTHER>", "<#C0000CHAN", "<b>"):
        assert live not in text
    assert "pizza &amp; &lt;b&gt;" in call.body["text"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "civil rights " * 340,
        "🚓🚓🚓",
        "\u05d6\u05db\u05d5\u05d9\u05d5\u05ea \u0627\u0644\u062d\u0642\u0648\u0642",
        "\u200b\u200d\u2060",
        "civil\u200b rights in Ark\u200bansas",
    ],
)
def test_any_input_gets_a_reply_not_a_crash(app_url, standin, text):
    assert send_event(app_url, mention(text)).status == 200
    [call] = standin.wait_for("chat.postMessage")
    assert call.body["text"] and "Traceback" not in call.body["text"]


# -- robustness ----------------------------------------------------------------------


def test_forged_signature_gets_401_and_nothing_is_posted(app_url, standin):
    from tests.slack_requests import event_envelope

    body = json.dumps(event_envelope(mention("civil rights in Arkansas")))
    assert send(app_url, body, "application/json", secret="not-the-secret").status == 401
    assert send(app_url, body, "application/json", timestamp=int(time.time()) - 6 * 60).status == 401
    settle()
    assert standin.calls_to("chat.postMessage") == []


def test_a_resent_event_is_answered_once(app_url, standin):
    event = mention("civil rights in Arkansas")
    for retry in range(4):
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else {}
        assert send_event(app_url, event, event_id="Ev0RESENT01", headers=headers).status == 200
    standin.wait_for("chat.postMessage")
    settle()
    assert len(standin.calls_to("chat.postMessage")) == 1


def test_a_mention_also_delivered_as_a_channel_message_is_answered_once(app_url, standin):
    event = mention("civil rights in Arkansas")
    as_message = {**event, "type": "message", "channel_type": "channel"}
    assert send_event(app_url, as_message).status == 200
    assert send_event(app_url, event).status == 200
    standin.wait_for("chat.postMessage")
    settle()
    assert len(standin.calls_to("chat.postMessage")) == 1


@pytest.mark.parametrize(
    "event",
    [
        dm("civil rights", bot_id=BOT_ID, subtype="bot_message"),
        dm("civil rights", bot_id="B0000OTHER"),
        dm("civil rights", user=BOT_USER_ID, bot_id=BOT_ID),
        {**dm("civil rights"), "subtype": "message_changed", "message": {"text": "civil rights"}},
        {**dm(""), "subtype": "message_deleted", "deleted_ts": new_ts()},
        mention("civil rights in Arkansas", bot_id="B0000OTHER"),
        {
            "type": "reaction_added",
            "user": "U0000ASKER",
            "reaction": "eyes",
            "event_ts": new_ts(),
            "item": {"type": "message", "channel": "C0000CHAN", "ts": new_ts()},
        },
        {"type": "member_joined_channel", "user": "U0000ASKER", "channel": "C0000CHAN", "event_ts": new_ts()},
    ],
)
def test_bots_edits_deletions_and_other_events_get_200_and_no_reply(app_url, standin, event):
    assert send_event(app_url, event).status == 200
    settle()
    assert standin.calls_to("chat.postMessage") == []


def test_url_verification_and_link_button_clicks_get_200(app_url, standin):
    challenge = send(
        app_url,
        json.dumps({"type": "url_verification", "challenge": "c-123", "token": "t"}),
        "application/json",
    )
    assert challenge.status == 200 and b"c-123" in challenge.body
    click = send_action(
        app_url, "open_source_link", "", standin.response_url("link"), url="https://example.org"
    )
    assert click.status == 200


@pytest.mark.parametrize(
    "payload",
    [
        {
            "type": "shortcut",
            "callback_id": "x",
            "trigger_id": "1.2",
            "user": {"id": "U1"},
            "team": {"id": "T0000TEAM"},
        },
        {
            "type": "message_action",
            "callback_id": "m",
            "trigger_id": "1.2",
            "user": {"id": "U1"},
            "team": {"id": "T0000TEAM"},
            "channel": {"id": "C1"},
            "message": {"ts": "1.0"},
        },
        {
            "type": "view_submission",
            "user": {"id": "U1"},
            "team": {"id": "T0000TEAM"},
            "view": {
                "id": "V1",
                "callback_id": "v",
                "type": "modal",
                "team_id": "T0000TEAM",
                "state": {"values": {}},
            },
        },
    ],
)
def test_interactions_nobody_listens_for_still_get_200(app_url, payload):
    from urllib.parse import urlencode

    sent = send(app_url, urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")
    assert sent.status == 200


def test_an_unknown_slash_command_gets_200_and_a_hint(app_url, standin):
    sent = send_command(app_url, "x", standin.response_url("c"), command="/other")
    assert sent.status == 200 and "/state" in sent.json()["text"]


def test_rate_limited_post_is_retried_after_retry_after(app_url, standin):
    standin.fail_next("chat.postMessage", status=429, headers={"Retry-After": "1"}, error="ratelimited")
    send_event(app_url, mention("civil rights in Arkansas"))
    calls = standin.wait_for("chat.postMessage", 2)
    assert calls[1].at - calls[0].at >= 0.9
    assert calls[1].body["blocks"][0]["text"]["text"].startswith("*Arkansas · Q8 · AR-8*")


def test_web_api_error_is_logged_and_the_app_keeps_serving(app_url, standin, server):
    standin.fail_next("chat.postMessage", error="not_in_channel")
    send_event(app_url, mention("civil rights in Arkansas", channel="C0000GONE"))
    standin.wait_for("chat.postMessage")
    send_event(app_url, mention("racial profiling in Arkansas"))
    calls = standin.wait_for("chat.postMessage", 2)
    assert calls[1].body["blocks"][0]["text"]["text"].startswith("*Arkansas · Q15 · AR-15*")
    time.sleep(0.2)
    assert "not_in_channel" in server[1].read_text()


def test_the_token_never_reaches_the_log(server):
    log = server[1].read_text()
    assert BOT_TOKEN not in log and SIGNING_SECRET not in log
    assert "racial profiling" not in log  # no question text either


# -- /state --------------------------------------------------------------------------


def command_reply(app_url, standin, text):
    sent = send_command(app_url, text, standin.response_url("cmd"))
    assert sent.status == 200
    return sent.json()


def test_state_command_alone_gives_help_and_the_states_with_counts(app_url, standin):
    reply = command_reply(app_url, standin, "")
    assert reply["response_type"] == "ephemeral"
    assert "• Arkansas (AR): 20 questions" in reply["text"]
    assert "• West Virginia (WV): 20 questions" in reply["text"]


@pytest.mark.parametrize("asked", ["arkansas", "AR", "Ark.", "  Arkansas  "])
def test_state_command_with_a_state_lists_all_its_questions_with_refs(app_url, standin, asked):
    reply = command_reply(app_url, standin, asked)
    listed = "\n".join(b["text"]["text"] for b in reply["blocks"] if b["type"] == "section")
    for n in range(1, 21):
        assert f"`AR-{n}`" in listed
    assert "20. How does the state navigate potential conflicts" in listed
    share = reply["blocks"][-2]["elements"][0]
    assert share["action_id"] == "share" and share["value"] == "state:AR"


def test_state_command_with_a_number_gives_that_answer(app_url, standin):
    reply = command_reply(app_url, standin, "wv 12")
    assert reply["blocks"][0]["text"]["text"].startswith("*West Virginia · Q12 · WV-12*")
    assert reply["blocks"][-1]["elements"][0]["action_id"] == "share"


def test_state_command_with_words_gives_the_best_match_inside_the_state(app_url, standin):
    reply = command_reply(app_url, standin, "wv training")
    assert reply["blocks"][0]["text"]["text"].startswith("*West Virginia · Q8 · WV-8*")


def test_state_command_with_an_unknown_state_lists_the_states(app_url, standin):
    reply = command_reply(app_url, standin, "atlantis")
    assert "“atlantis” is not a state in the corpus" in reply["text"]
    assert "Arkansas (AR), West Virginia (WV)" in reply["text"]
    assert "Texas is not covered yet" in command_reply(app_url, standin, "texas")["text"]


def test_share_in_channel_posts_the_same_answer_for_everyone(app_url, standin):
    url = standin.response_url("share")
    assert send_action(app_url, "share", "ref:WV-12", url, ephemeral=True).status == 200
    posts = standin.wait_for("response_url", 2)
    shared = posts[0].body
    assert shared["response_type"] == "in_channel" and shared["replace_original"] is False
    assert shared["blocks"][0]["text"]["text"].startswith("*West Virginia · Q12 · WV-12*")
    assert all(e["action_id"] != "share" for e in shared["blocks"][-1]["elements"])
    assert posts[1].body["delete_original"] is True


# -- buttons -------------------------------------------------------------------------


def test_more_answers_posts_the_next_matches_in_the_same_thread(app_url, standin):
    parent = new_ts()
    send_action(app_url, "more_answers", "AR-15,AR-5", standin.response_url("more"), thread_ts=parent)
    [call] = standin.wait_for("chat.postMessage")
    assert call.body["thread_ts"] == parent and call.body["channel"] == "C0000CHAN"
    text = posted_text(call)
    assert "AR-15" in text and "AR-5" in text


def test_other_states_posts_the_closest_question_in_each_other_state(app_url, standin):
    message_ts = new_ts()
    send_action(app_url, "other_states", "AR-8", standin.response_url("other"), message_ts=message_ts)
    [call] = standin.wait_for("chat.postMessage")
    assert call.body["thread_ts"] == message_ts
    fields = call.body["blocks"][1]["fields"]
    assert fields[0]["text"].startswith("*AR-8* · Arkansas") and fields[1]["text"].startswith(
        "*WV-10* · West Virginia"
    )


@pytest.mark.parametrize(
    ("action_id", "expected"),
    [("feedback_helpful", "glad AR-8 helped"), ("feedback_not_helpful", "AR-8 did not help")],
)
def test_feedback_is_acknowledged_to_the_clicker_only(app_url, standin, action_id, expected):
    assert send_action(app_url, action_id, "AR-8", standin.response_url("fb")).status == 200
    [call] = standin.wait_for("chat.postEphemeral")
    assert call.body["user"] == "U0000CLICK" and call.body["channel"] == "C0000CHAN"
    assert expected in call.body["text"]
    assert standin.calls_to("chat.postMessage") == []
