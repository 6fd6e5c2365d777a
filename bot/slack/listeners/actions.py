"""Action listeners: the buttons under an answer, and the example questions of help and the Home tab."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

from bot.slack.markup import plain_text
from bot.slack.messages import (
    cite_message,
    compare_message,
    error_message,
    feedback_message,
    more_answers_message,
    notice,
    read_rest_message,
    record_message,
    reply_message,
    shared_by,
    state_list_message,
)
from bot.slack.sending import refuse, reply_to_action, reply_to_clicker, respond_safely, tell_clicker
from bot.slack.services import services_of

log = logging.getLogger("bot.slack")
FEEDBACK_ACTIONS = ("feedback_helpful", "feedback_not_helpful")
# A clarify message's choices ("show_answer") and an answer's "Did you mean" buttons ("show_answer_1", ...).
SHOW_ANSWER = re.compile(r"^show_answer(?:_\d+)?$")


def register(app: App) -> None:
    app.action("more_answers")(on_more_answers)
    app.action("other_states")(on_other_states)
    app.action("read_rest")(on_read_rest)
    for action_id in FEEDBACK_ACTIONS:
        app.action(action_id)(on_feedback)
    app.action("share")(on_share)
    app.action(SHOW_ANSWER)(on_show_answer)
    app.action("choose_state")(on_show_answer)
    app.action("ask_all_states")(on_ask_all_states)
    app.action("cite")(on_cite)
    app.action("ask_example")(on_ask_example)


def _value(body: dict[str, Any]) -> str:
    """A button's value, or the value of the option picked in a select."""
    actions = body.get("actions") or [{}]
    action = actions[0] if isinstance(actions[0], dict) else {}
    picked = action.get("selected_option") or {}
    return str(action.get("value") or picked.get("value") or "")


def on_more_answers(
    ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    ack()
    refs = [r for r in _value(body).split(",") if r]
    reply_to_action(body, client, respond, more_answers_message(services_of(context).answerer, refs))


def on_other_states(
    ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    ack()
    answerer = services_of(context).answerer
    record = answerer.by_ref.get(_value(body))
    message = compare_message(answerer, record) if record else notice("gone.mrkdwn.j2")
    reply_to_action(body, client, respond, message)


def on_show_answer(
    ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    """A choice picked (a button, or a state from a select): that record's answer, in the same thread."""
    ack()
    answerer = services_of(context).answerer
    record = answerer.by_ref.get(_value(body))
    message = record_message(answerer, record) if record else notice("gone.mrkdwn.j2")
    reply_to_action(body, client, respond, message)


def on_ask_all_states(
    ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    """An answer read as the channel's own state, asked again across all states."""
    ack()
    answerer = services_of(context).answerer
    reply_to_action(body, client, respond, reply_message(answerer, answerer.answer(_value(body))))


def on_read_rest(
    ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    ack()
    ref, _, offset = _value(body).partition(":")
    record = services_of(context).answerer.by_ref.get(ref)
    if record is None or not offset.isdigit():
        message = notice("gone.mrkdwn.j2")
    else:
        message = read_rest_message(record, int(offset))
    reply_to_action(body, client, respond, message)


def on_feedback(
    ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    services = services_of(context)
    action = (body.get("actions") or [{}])[0]
    helpful = action.get("action_id") == "feedback_helpful"
    ref = _value(body)
    user = (body.get("user") or {}).get("id")
    workspace = (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id") or ""
    if ref not in services.answerer.by_ref or not user:
        ack()
        reply_to_clicker(body, client, respond, notice("gone.mrkdwn.j2"))  # never echo an unknown value
        return
    try:
        # Stored before the acknowledgement: a click Slack saw accepted is in the database.
        services.store.record_vote(workspace, user, ref, helpful)
    except SQLAlchemyError as err:
        log.warning("vote not stored: %s", type(err).__name__)
        refuse(ack)  # so not acknowledged: Slack shows the click failed
        reply_to_clicker(body, client, respond, notice("vote_not_stored.mrkdwn.j2"))
        return
    ack()
    reply_to_clicker(body, client, respond, feedback_message(ref, helpful))
    log.info("feedback %s", "helpful" if helpful else "not helpful")


def on_share(
    ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    ack()
    answerer = services_of(context).answerer
    kind, _, key = _value(body).partition(":")
    if kind == "ref" and key in answerer.by_ref:
        message = record_message(answerer, answerer.by_ref[key])
    elif kind == "state" and (state := answerer.parse_state(key)) in answerer.states:
        message = state_list_message(answerer, state)
    else:
        respond_safely(respond, replace_original=False, response_type="ephemeral", **notice("gone.mrkdwn.j2"))
        return
    # Posted for everyone on the clicker's behalf, so it says who (from the click; nothing is kept).
    message = shared_by(message, (body.get("user") or {}).get("id"))
    if respond_safely(respond, replace_original=False, response_type="in_channel", **message):
        respond_safely(respond, delete_original=True)
    else:  # a private reply can be shared for 30 minutes only
        tell_clicker(body, client, notice("share_expired.mrkdwn.j2"))


def on_cite(
    ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    """A copy-ready citation of the answer, with its page's as-of date, for the clicker alone."""
    ack()
    services = services_of(context)
    record = services.answerer.by_ref.get(_value(body))
    if record is None:
        message = notice("gone.mrkdwn.j2")
    else:
        message = cite_message(record, services.as_of.get(record.state.code))
    reply_to_clicker(body, client, respond, message)


def on_ask_example(
    ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    """An example question from help or the Home tab: its answer, where the button was."""
    ack()
    answerer = services_of(context).answerer
    in_private = bool((body.get("container") or {}).get("is_ephemeral"))
    try:
        reply = answerer.answer(plain_text(_value(body))[:500])
        message = reply_message(answerer, reply, share=in_private)
    except Exception as err:
        log.error("example failed: %s", type(err).__name__)
        message = error_message()
    reply_to_action(body, client, respond, message)
