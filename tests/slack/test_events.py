"""Mentions and DMs, in-process: what people say to the bot and what it posts back."""

from __future__ import annotations

import pytest

from tests.support.chat import posted_text
from tests.support.signed import BOT_TOKEN, dm, mention, new_ts
from tests.support.standin import BOT_ID, BOT_USER_ID


def test_mention_is_answered_once_in_the_thread_of_the_asking_message(chat):
    [reply] = chat.mention(
        "How does Arkansas protect civil rights during joint operations?", channel="C0000ASK"
    )
    assert reply.body["channel"] == "C0000ASK"
    assert reply.body["thread_ts"] and reply.body["unfurl_links"] is False
    blocks = reply.body["blocks"]
    assert blocks[0]["text"]["text"].startswith("*Arkansas · Q8 · AR-8*\n*How does the state ensure")
    footer = blocks[2]["elements"][0]["text"]
    assert "Source: State Coordination With CBP And ICE Task Forces in Arkansas" in footer
    assert "Related: AR-" in footer
    assert [e["action_id"] for e in blocks[-1]["elements"]] == [
        "more_answers",
        "other_states",
        "cite",
        "feedback_helpful",
        "feedback_not_helpful",
    ]
    assert reply.body["text"].startswith("Arkansas · Q8 · AR-8:")
    assert reply.headers["Authorization"] == f"Bearer {BOT_TOKEN}"


def test_the_reply_goes_under_the_asking_message(chat):
    event = mention("racial profiling in AR")
    assert chat.event(event).status == 200
    [reply] = chat.posts()
    assert reply.body["thread_ts"] == event["ts"]


def test_mention_inside_a_thread_answers_in_that_thread(chat):
    parent = new_ts()
    [reply] = chat.mention("racial profiling in AR", thread_ts=parent)
    assert reply.body["thread_ts"] == parent


def test_direct_message_gets_the_same_answer_in_the_dm(chat):
    [reply] = chat.dm("How does Arkansas protect civil rights during joint operations?", channel="D0000DM01")
    assert reply.body["channel"] == "D0000DM01"
    assert reply.body["blocks"][0]["text"]["text"].startswith("*Arkansas · Q8 · AR-8*")


def test_a_ref_in_a_mention_posts_exactly_that_answer(chat):
    [reply] = chat.mention("see WV-12")
    assert reply.body["blocks"][0]["text"]["text"].startswith("*West Virginia · Q12 · WV-12*")
    [reply] = chat.mention("Arkansas Q7")
    assert reply.body["blocks"][0]["text"]["text"].startswith("*Arkansas · Q7 · AR-7*")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("what is a good pizza recipe?", "No good match for “what is a good pizza recipe?”"),
        ("how does Texas train officers?", "Texas is not covered yet"),
        ("AR-27", "Arkansas has no question 27: its questions are AR-1 to AR-20."),
    ],
)
def test_no_match_unknown_state_and_bad_ref_get_a_short_helpful_reply(chat, text, expected):
    [reply] = chat.mention(text)
    assert expected in reply.body["text"]


def test_asker_text_repeated_in_a_reply_is_never_live_markup(chat):
    [reply] = chat.mention(
        "<!channel> <!here> <!everyone> <@U0000OTHER> <#C0000CHAN|general> pizza &amp; &lt;b&gt;"
    )
    text = posted_text(reply)
    for live in ("<!channel>", "<!here>", "<!everyone>", "<@U0000OTHER>", "<#C0000CHAN", "<b>"):
        assert live not in text
    assert "pizza &amp; &lt;b&gt;" in reply.body["text"]


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
def test_any_input_gets_a_reply_not_a_crash(chat, text):
    [reply] = chat.mention(text)
    assert reply.body["text"] and "Traceback" not in reply.body["text"]


# -- once, and only for people ---------------------------------------------------------


def test_a_forged_or_stale_signature_gets_401_and_nothing_is_posted(chat):
    from tests.support.signed import event_envelope

    body = __import__("json").dumps(event_envelope(mention("civil rights in Arkansas")))
    assert chat.send(body, "application/json", secret="not-the-secret").status == 401
    assert chat.send(body, "application/json", age=6 * 60).status == 401
    assert chat.posts() == []


def test_a_resent_event_is_answered_once(chat):
    event = mention("civil rights in Arkansas")
    for retry in range(4):
        headers = {"x-slack-retry-num": str(retry), "x-slack-retry-reason": "http_timeout"} if retry else {}
        assert chat.event(event, event_id="Ev0RESENT01", **headers).status == 200
    assert len(chat.posts()) == 1


def test_a_mention_also_delivered_as_a_channel_message_is_answered_once(chat):
    event = mention("civil rights in Arkansas")
    assert chat.event({**event, "type": "message", "channel_type": "channel"}).status == 200
    assert chat.event(event).status == 200
    assert len(chat.posts()) == 1


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
def test_bots_edits_deletions_and_other_events_get_200_and_no_reply(chat, event):
    assert chat.event(event).status == 200
    assert chat.posts() == []


def test_rate_limited_post_is_retried_after_retry_after(chat, standin):
    standin.fail_next("chat.postMessage", status=429, headers={"Retry-After": "1"}, error="ratelimited")
    chat.event(mention("civil rights in Arkansas"))
    first, second = chat.posts()
    assert second.at - first.at >= 0.9
    assert second.body["blocks"][0]["text"]["text"].startswith("*Arkansas · Q8 · AR-8*")


def test_a_web_api_error_is_logged_and_the_next_question_is_answered(chat, standin, caplog):
    standin.fail_next("chat.postMessage", error="not_in_channel")
    chat.mention("civil rights in Arkansas", channel="C0000GONE")
    assert "not_in_channel" in caplog.text
    [reply] = chat.mention("racial profiling in Arkansas")
    assert reply.body["blocks"][0]["text"]["text"].startswith("*Arkansas · Q15 · AR-15*")


def test_the_event_id_guard_stops_a_resent_event_that_is_not_a_question(chat):
    # Events other than mentions and DMs are claimed by event_id: a re-sent Home tab opening
    # draws the Home tab once (nothing else would stop the second views.publish).
    opened = {"type": "app_home_opened", "user": "U0000HOME", "tab": "home", "event_ts": new_ts()}
    for retry in range(3):
        headers = {"x-slack-retry-num": str(retry)} if retry else {}
        assert chat.event(opened, event_id="Ev0GUARD001", **headers).status == 200
    assert len(chat.posts("views.publish")) == 1


def test_the_message_guard_alone_stops_one_dm_delivered_as_two_events(chat):
    # Slack sends a DM that @mentions the bot as message.im and as app_mention, with two event_ids.
    message = dm("civil rights in Arkansas")
    as_mention = {**message, "type": "app_mention"}
    assert chat.event(message, event_id="Ev0DMTWICE1").status == 200
    assert chat.event(as_mention, event_id="Ev0DMTWICE2").status == 200
    assert len(chat.posts()) == 1
