"""Shortcut listeners: "Look up in the state FAQ" on any message, answered in a modal."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.slack.markup import plain_text
from bot.slack.messages import error_message, help_message, notice, reply_message
from bot.slack.sending import open_modal
from bot.slack.services import services_of
from bot.smalltalk import is_help

log = logging.getLogger("bot.slack")


def register(app: App) -> None:
    app.shortcut("lookup_message")(on_lookup_message)


def on_lookup_message(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """The message's text, answered as a mention would be, in a modal: it needs no channel membership."""
    ack()
    services = services_of(context)
    text = plain_text((body.get("message") or {}).get("text") or "")
    reply = None
    try:
        if not text:
            message = notice("no_text.mrkdwn.j2")
        elif is_help(text):
            message = help_message(services.answerer)
        else:
            reply = services.answerer.answer(text)
            message = reply_message(services.answerer, reply)
    except Exception as err:
        log.error("look-up failed: %s", type(err).__name__)
        message = error_message()
    open_modal(client, body.get("trigger_id"), message)  # first: the trigger expires in 3 seconds
    if reply is not None:
        services.store.log_query(reply.query, reply.answered, reply.best.record.ref if reply.best else None)
    log.info("shortcut=lookup_message kind=%s", reply.kind if reply else "note")
