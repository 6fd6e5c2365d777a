"""Slash command listeners: /state."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.reply import Reply
from bot.slack.markup import plain_text
from bot.slack.messages import (
    Message,
    error_message,
    not_a_state_message,
    reply_message,
    state_help_message,
    state_list_message,
)
from bot.slack.services import Services, services_of

log = logging.getLogger("bot.slack")
HELP_WORDS = {"", "help", "?", "list", "states"}


def register(app: App) -> None:
    app.command("/state")(on_state)


def on_state(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
    later: list[Callable[[], None]] = []
    try:
        message = state_command(services_of(context), plain_text(command.get("text") or ""), later)
    except Exception as err:
        log.error("/state failed: %s", type(err).__name__)
        message = error_message()
    # The reply goes back in the acknowledgement itself: one round trip, well within 3 s.
    ack(response_type="ephemeral", **message)
    for then in later:  # the query log: after the acknowledgement, which never waits on the database
        then()


def state_command(services: Services, text: str, later: list[Callable[[], None]] | None = None) -> Message:
    """`/state`, `/state arkansas`, `/state wv 12`, `/state wv training`, `/state atlantis` (plain text).

    Database writes go in `later` (to run after the acknowledgement) when given."""
    answerer = services.answerer
    if text.lower() in HELP_WORDS:
        return state_help_message(answerer)
    state, rest = answerer.split_state(text)
    if state is None:
        reply = answerer.answer(text)  # a state may still be named later on ("training in WV")
        if reply.states or reply.kind == "not_covered":
            return reply_message(answerer, reply, share=True)
        return not_a_state_message(answerer, text)
    if state not in answerer.states:
        return reply_message(answerer, Reply(text, "not_covered", states=[state], missing_states=[state]))
    if not rest:
        return state_list_message(answerer, state, share=True)
    reply = answerer.answer(rest, states=[state])

    def log_it() -> None:
        services.store.log_query(
            f"{state.code}: {rest}", reply.answered, reply.best.record.ref if reply.best else None
        )

    if later is None:
        log_it()
    else:
        later.append(log_it)
    return reply_message(answerer, reply, share=True)
