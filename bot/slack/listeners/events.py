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
    thread_ts = event.get("thread_ts") or ts
    try:
        started = time.perf_counter()
        reply = services.answerer.answer(plain_text(event.get("text") or ""))
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
        message = error_message()
    post_in_thread(client, channel, thread_ts, message)
