"""Slash command listeners: /state."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.reply import Reply
from bot.slack.markup import plain_text
from bot.slack.messages import (
    Message,
    error_message,
    help_message,
    not_a_state_message,
    notice,
    reply_message,
    state_list_message,
)
from bot.slack.services import Services, services_of
from bot.smalltalk import is_help
from bot.states import state_by_code

log = logging.getLogger("bot.slack")
HELP_WORDS = {"", "help", "?", "list", "states"}
Asked = tuple[str, Reply]  # what to write in the query log: the question as logged, and its reply


def register(app: App) -> None:
    app.command("/state")(on_state)


def on_state(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
    services = services_of(context)
    asked = None
    try:
        text = plain_text(command.get("text") or "")
        if text.lower().split()[:1] == ["default"]:
            where = (command.get("team_id") or "", command.get("channel_id") or "")
            message = channel_state_command(services, *where, text.partition(" ")[2].strip())
        else:
            message, asked = state_command(services, text)
    except Exception as err:
        log.error("/state failed: %s", type(err).__name__)
        message = error_message()
    # The reply goes back in the acknowledgement itself: one round trip, well within 3 s.
    ack(response_type="ephemeral", **message)
    # Only then the query log: the database never stands between Slack and its 200.
    if asked is not None:
        question, reply = asked
        try:
            services.store.log_query(question, reply.answered, reply.best.record.ref if reply.best else None)
        except Exception as err:
            log.error("query log failed: %s", type(err).__name__)


def channel_state_command(services: Services, workspace: str, channel: str, text: str) -> Message:
    """`/state default arkansas` (this channel's own state), `/state default off`, `/state default`."""
    answerer = services.answerer
    if text.lower() in ("off", "none", "clear", "all"):
        services.store.set_channel_state(workspace, channel, None)
        return notice("channel_state.mrkdwn.j2", state=None, cleared=True)
    if not text:
        code = services.store.channel_state(workspace, channel)
        state = state_by_code(code) if code else None
        return notice("channel_state.mrkdwn.j2", state=state, cleared=False)
    state = answerer.parse_state(text)
    if state is None:
        return not_a_state_message(answerer, text)
    if state not in answerer.states:
        return reply_message(answerer, Reply(text, "not_covered", states=[state], missing_states=[state]))
    services.store.set_channel_state(workspace, channel, state.code)
    return notice("channel_state.mrkdwn.j2", state=state, cleared=False)


def state_command(services: Services, text: str) -> tuple[Message, Asked | None]:
    """`/state`, `/state arkansas`, `/state wv 12`, `/state wv training`, `/state atlantis` (plain text).

    The reply, and the question to log (None when nothing was asked: help, a list).
    """
    answerer = services.answerer
    if text.lower() in HELP_WORDS or is_help(text):
        return help_message(answerer), None
    state, rest = answerer.split_state(text)
    if state is None:
        reply = answerer.answer(text)  # a state may still be named later on ("training in WV")
        if reply.states or reply.kind == "not_covered":
            return reply_message(answerer, reply, share=True), (text, reply)
        return not_a_state_message(answerer, text), None
    if state not in answerer.states:
        return reply_message(
            answerer, Reply(text, "not_covered", states=[state], missing_states=[state])
        ), None
    if not rest:
        return state_list_message(answerer, state, share=True), None
    reply = answerer.answer(rest, states=[state])
    return reply_message(answerer, reply, share=True), (f"{state.code}: {rest}", reply)
