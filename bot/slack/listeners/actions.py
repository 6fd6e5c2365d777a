"""Action listeners: the buttons under an answer."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

from bot.slack.messages import (
    compare_message,
    feedback_message,
    more_answers_message,
    notice,
    read_rest_message,
    record_message,
    state_list_message,
)
from bot.slack.sending import refuse, reply_to_action, reply_to_clicker, respond_safely
from bot.slack.services import services_of

log = logging.getLogger("bot.slack")
FEEDBACK_ACTIONS = ("feedback_helpful", "feedback_not_helpful")


def register(app: App) -> None:
    app.action("more_answers")(on_more_answers)
    app.action("other_states")(on_other_states)
    app.action("read_rest")(on_read_rest)
    for action_id in FEEDBACK_ACTIONS:
        app.action(action_id)(on_feedback)
    app.action("share")(on_share)


def _value(body: dict[str, Any]) -> str:
    actions = body.get("actions") or [{}]
    return str(actions[0].get("value") or "")


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


def on_share(ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext) -> None:
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
    if respond_safely(respond, replace_original=False, response_type="in_channel", **message):
        respond_safely(respond, delete_original=True)
