"""Action listeners: the buttons under an answer, and any other click."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.slack.app import Services
from bot.slack.listeners.sending import reply_to_action, reply_to_clicker, respond_safely
from bot.slack.messages import (
    compare_message,
    feedback_message,
    more_answers_message,
    notice,
    read_rest_message,
    record_message,
    state_list_message,
)

log = logging.getLogger("bot.slack")


def _value(body: dict[str, Any]) -> str:
    actions = body.get("actions") or [{}]
    return str(actions[0].get("value") or "")


def register(app: App, services: Services) -> None:
    engine = services.engine

    @app.action("more_answers")
    def on_more_answers(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        refs = [r for r in _value(body).split(",") if r]
        reply_to_action(body, client, respond, more_answers_message(engine, refs))

    @app.action("other_states")
    def on_other_states(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        record = engine.by_ref.get(_value(body))
        message = compare_message(engine, record) if record else notice("gone.mrkdwn.j2")
        reply_to_action(body, client, respond, message)

    @app.action("read_rest")
    def on_read_rest(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        ref, _, offset = _value(body).partition(":")
        record = engine.by_ref.get(ref)
        if record is None or not offset.isdigit():
            message = notice("gone.mrkdwn.j2")
        else:
            message = read_rest_message(record, int(offset))
        reply_to_action(body, client, respond, message)

    @app.action(re.compile(r"^feedback_(helpful|not_helpful)$"))
    def on_feedback(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        action = (body.get("actions") or [{}])[0]
        helpful = action.get("action_id") == "feedback_helpful"
        ref = _value(body)
        user = (body.get("user") or {}).get("id")
        workspace = (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id") or ""
        if ref in engine.by_ref and user:
            # Stored before the acknowledgement: a click Slack saw accepted is in the database.
            services.store.record_vote(workspace, user, ref, helpful)
        ack()
        reply_to_clicker(body, client, respond, feedback_message(ref, helpful))
        log.info("feedback %s", "helpful" if helpful else "not helpful")

    @app.action("share")
    def on_share(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        kind, _, key = _value(body).partition(":")
        if kind == "ref" and key in engine.by_ref:
            message = record_message(engine, engine.by_ref[key])
        elif kind == "state" and (state := engine.parse_state(key)) in engine.states:
            message = state_list_message(engine, state)
        else:
            respond_safely(
                respond,
                replace_original=False,
                response_type="ephemeral",
                **notice("gone.mrkdwn.j2"),
            )
            return
        if respond_safely(respond, replace_original=False, response_type="in_channel", **message):
            respond_safely(respond, delete_original=True)

    # Link buttons and any other interaction: acknowledged so Slack sees a 200
    # (Bolt answers 404 to what no listener matches, which Slack counts as a failure).
    anything = re.compile(".*")

    @app.action(anything)
    def on_other_action(ack: Ack) -> None:
        ack()

    @app.shortcut(anything)
    def on_shortcut(ack: Ack) -> None:
        ack()

    @app.view(anything)
    def on_view(ack: Ack) -> None:
        ack()

    @app.view_closed(anything)
    def on_view_closed(ack: Ack) -> None:
        ack()

    @app.options(anything)
    def on_options(ack: Ack) -> None:
        ack(options=[])
