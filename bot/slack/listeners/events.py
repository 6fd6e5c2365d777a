"""Event listeners: @mentions in channels and direct messages, answered in a thread."""

from __future__ import annotations

import logging
import time
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.slack.markup import plain_text
from bot.slack.messages import error_message, reply_message
from bot.slack.sending import post_in_thread
from bot.slack.services import services_of
from bot.states import state_by_code

log = logging.getLogger("bot.slack")


def register(app: App) -> None:
    app.event("app_mention")(on_mention)
    app.event("message")(on_message)


def on_mention(body: dict[str, Any], event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    if not _from_a_bot_or_an_edit(event):
        answer_in_thread(context, body, event, client)


def on_message(body: dict[str, Any], event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    # Only DMs: in channels the app_mention event already carries the mention.
    if event.get("channel_type") == "im" and not _from_a_bot_or_an_edit(event):
        answer_in_thread(context, body, event, client)


def _from_a_bot_or_an_edit(event: dict[str, Any]) -> bool:
    # Edits, deletions, joins and bot posts all carry a subtype; bots also a bot_id.
    return bool(event.get("bot_id") or event.get("subtype") or event.get("bot_profile"))


def answer_in_thread(
    context: BoltContext, body: dict[str, Any], event: dict[str, Any], client: WebClient
) -> None:
    services = services_of(context)
    channel, ts = event.get("channel"), event.get("ts")
    if not channel or not ts:
        return
    # Re-sent events are stopped by event_id before this; this stops one message
    # delivered as two events (app_mention and a channel message), across processes.
    if not services.store.claim(f"message:{channel}:{ts}"):
        log.info("message already answered")
        return
    thread_ts = event.get("thread_ts") or ts
    workspace = body.get("team_id") or ""
    try:
        started = time.perf_counter()
        text = plain_text(event.get("text") or "")
        # Inside a thread where the bot answered, a question is read in the light of that answer.
        previous = services.store.thread_ref(workspace, channel, thread_ts) if thread_ts != ts else None
        answerer = services.answerer
        if previous:
            reply = answerer.follow_up(text, previous)
        else:
            default = services.store.channel_state(workspace, channel)
            reply = answerer.answer(text, default=state_by_code(default) if default else None)
        message = reply_message(services.answerer, reply)
        ref = reply.best.record.ref if reply.best else None
        services.store.log_query(reply.query, reply.answered, ref)  # a no-op unless QUERY_LOG=on
        log.info(
            "event=%s request=%s kind=%s ref=%s ms=%.1f",
            event.get("type"),
            body.get("event_id"),
            reply.kind,
            ref,
            (time.perf_counter() - started) * 1000,
        )
    except Exception as err:
        log.error("answering failed: %s", type(err).__name__)
        message, ref = error_message(), None
    if post_in_thread(client, channel, thread_ts, message) and ref:
        services.store.remember_thread(workspace, channel, thread_ts, ref)
