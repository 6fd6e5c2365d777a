"""Slash command listeners: /state."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App

from bot.engine import Reply
from bot.slack.app import Services
from bot.slack.messages import (
    Message,
    error_message,
    not_a_state_message,
    notice,
    reply_message,
    state_help_message,
    state_list_message,
)
from bot.text import normalize, strip_slack_markup

log = logging.getLogger("bot.slack")
HELP_WORDS = {"", "help", "?", "list", "states"}


def register(app: App, services: Services) -> None:
    @app.command("/state")
    def on_state(ack: Ack, command: dict[str, Any]) -> None:
        try:
            message = state_command(services, command.get("text") or "")
        except Exception as err:
            log.error("/state failed: %s", type(err).__name__)
            message = error_message()
        # The reply goes back in the acknowledgement itself: one round trip, well within 3 s.
        ack(response_type="ephemeral", **message)

    @app.command(re.compile(".*"))
    def on_other_command(ack: Ack, command: dict[str, Any]) -> None:
        ack(
            response_type="ephemeral",
            **notice("unknown_command.mrkdwn.j2", command=command.get("command", "")),
        )


def state_command(services: Services, text: str) -> Message:
    """`/state`, `/state arkansas`, `/state wv 12`, `/state wv training`, `/state atlantis`."""
    engine = services.engine
    text = normalize(strip_slack_markup(text)).strip()
    if text.lower() in HELP_WORDS:
        return state_help_message(engine)
    state, rest = engine.split_state(text)
    if state is None:
        reply = engine.answer(text)  # a state may still be named later on ("training in WV")
        if reply.states or reply.kind == "not_covered":
            return reply_message(engine, reply, share=True)
        return not_a_state_message(engine, text)
    if state not in engine.states:
        return reply_message(engine, Reply(text, "not_covered", states=[state], missing_states=[state]))
    if not rest:
        return state_list_message(engine, state, share=True)
    reply = engine.answer(rest, states=[state])
    services.store.log_query(
        f"{state.code}: {rest}", reply.answered, reply.best.record.ref if reply.best else None
    )
    return reply_message(engine, reply, share=True)
