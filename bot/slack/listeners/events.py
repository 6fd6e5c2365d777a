"""Event listeners: @mentions in channels and direct messages, the Home tab, joins and uninstalls.

Channels are answered in a thread; a top-level DM at the top level, a DM thread in that thread.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.slack.markup import plain_text
from bot.slack.messages import error_message, help_message, home_view, intro_message, reply_message
from bot.slack.sending import post_in_thread, publish_home
from bot.slack.services import services_of
from bot.smalltalk import is_help
from bot.states import state_by_code

log = logging.getLogger("bot.slack")


def register(app: App) -> None:
    app.event("app_mention")(on_mention)
    app.event("message")(on_message)
    app.event("app_home_opened")(on_app_home_opened)
    app.event("member_joined_channel")(on_member_joined_channel)
    app.event("app_uninstalled")(on_app_uninstalled)
    app.event("tokens_revoked")(on_tokens_revoked)


def on_mention(body: dict[str, Any], event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    if not _from_a_bot_or_an_edit(event):
        help_or_answer(context, body, event, client)


def on_message(body: dict[str, Any], event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    # Only DMs: in channels the app_mention event already carries the mention.
    if event.get("channel_type") == "im" and not _from_a_bot_or_an_edit(event):
        help_or_answer(context, body, event, client)


def _from_a_bot_or_an_edit(event: dict[str, Any]) -> bool:
    # Edits, deletions, joins and bot posts all carry a subtype; bots also a bot_id.
    return bool(event.get("bot_id") or event.get("subtype") or event.get("bot_profile"))


def reply_thread_ts(event: dict[str, Any]) -> str | None:
    """Where to reply: the thread asked in; under the question in a channel; top level in a DM."""
    if event.get("thread_ts"):
        return event["thread_ts"]
    return None if event.get("channel_type") == "im" else event.get("ts")


def help_or_answer(
    context: BoltContext, body: dict[str, Any], event: dict[str, Any], client: WebClient
) -> None:
    """A greeting or "help" gets the usage message; anything else is a question."""
    if is_help(plain_text(event.get("text") or "")):
        help_in_thread(context, body, event, client)
    else:
        answer_in_thread(context, body, event, client)


def help_in_thread(
    context: BoltContext, body: dict[str, Any], event: dict[str, Any], client: WebClient
) -> None:
    services = services_of(context)
    channel, ts = event.get("channel"), event.get("ts")
    if not channel or not ts:  # a message delivered twice is stopped before this (bot/slack/app.py)
        return
    post_in_thread(client, channel, reply_thread_ts(event), help_message(services.answerer))
    log.info("event=%s request=%s kind=help", event.get("type"), body.get("event_id"))


def answer_in_thread(
    context: BoltContext, body: dict[str, Any], event: dict[str, Any], client: WebClient
) -> None:
    services = services_of(context)
    channel, ts = event.get("channel"), event.get("ts")
    if not channel or not ts:
        return
    thread_ts = reply_thread_ts(event)  # None: a top-level reply (a top-level DM)
    workspace = body.get("team_id") or ""
    asked_in = event.get("thread_ts")  # the thread the question was asked in, if any
    try:
        started = time.perf_counter()
        text = plain_text(event.get("text") or "")
        # Inside a thread where the bot answered, a question is read in the light of that answer.
        previous = (
            services.store.thread_ref(workspace, channel, asked_in) if asked_in and asked_in != ts else None
        )
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
    posted: list[str] = []
    if post_in_thread(client, channel, thread_ts, message, posted=posted) and ref:
        # A follow-up comes in this thread; after a top-level reply (a DM), in one started under it.
        for thread in [thread_ts] if thread_ts else posted:
            services.store.remember_thread(workspace, channel, thread, ref)


def on_app_home_opened(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """The Home tab, drawn each time it is opened (as-of dates change when the server restarts)."""
    user = event.get("user")
    if event.get("tab") != "home" or not user:
        return
    services = services_of(context)
    view = home_view(
        services.answerer,
        services.as_of,
        query_log_days=services.store.query_log_days,
        installed=services.installations is not None,
    )
    publish_home(client, user, view)


def on_member_joined_channel(
    body: dict[str, Any], event: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """Added to a channel: one short introduction there, once per channel ever."""
    channel = event.get("channel")
    if not channel or not context.bot_user_id or event.get("user") != context.bot_user_id:
        return  # someone else joined a channel the bot is in
    services = services_of(context)
    workspace = event.get("team") or body.get("team_id") or context.team_id or ""
    if not services.store.introduce_once(workspace, channel):
        return
    if not post_in_thread(client, channel, None, intro_message(services.answerer)):
        services.store.forget_intro(workspace, channel)  # try again next time it is added


def on_app_uninstalled(context: BoltContext) -> None:
    """Uninstalled from a workspace: its stored installation (bot token) goes at once."""
    installations = services_of(context).installations
    if installations is not None:
        installations.delete_all(enterprise_id=context.enterprise_id, team_id=context.team_id)
    log.info("uninstalled from a workspace")


def on_tokens_revoked(event: dict[str, Any], context: BoltContext) -> None:
    """The bot's token revoked in a workspace: its stored installation goes (no user tokens are kept)."""
    installations = services_of(context).installations
    if installations is not None and (event.get("tokens") or {}).get("bot"):
        installations.delete_bot(enterprise_id=context.enterprise_id, team_id=context.team_id)
    log.info("tokens revoked in a workspace")
