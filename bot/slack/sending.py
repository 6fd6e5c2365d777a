"""Sending replies: in a thread, or through a response_url; Web API errors are logged, not raised."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.messages import Message

log = logging.getLogger("bot.slack")


def _call(method: str, send: Callable[..., Any], **kwargs: Any) -> bool:
    """One Web API call; an error (not_in_channel, a dropped connection) is logged and False."""
    try:
        send(**kwargs)
        return True
    except SlackApiError as err:
        log.warning("%s failed: %s", method, err.response.get("error"))
    except Exception as err:  # nothing Slack does may kill the worker
        log.warning("%s failed: %s", method, type(err).__name__)
    return False


def post_in_thread(client: WebClient, channel: str, thread_ts: str | None, message: Message) -> bool:
    return _call(
        "chat.postMessage",
        client.chat_postMessage,
        channel=channel,
        thread_ts=thread_ts,
        unfurl_links=False,
        unfurl_media=False,
        **message,
    )


def respond_safely(respond: Any, **kwargs: Any) -> bool:
    try:
        response = respond(**kwargs)
        if getattr(response, "status_code", 200) >= 400:
            log.warning("response_url post failed: HTTP %s", response.status_code)
            return False
        return True
    except Exception as err:
        log.warning("response_url post failed: %s", type(err).__name__)
        return False


def _clicked_in_ephemeral(body: dict[str, Any]) -> bool:
    return bool((body.get("container") or {}).get("is_ephemeral")) or not body.get("message")


def reply_to_clicker(body: dict[str, Any], client: WebClient, respond: Any, message: Message) -> bool:
    """A message only the person who clicked sees, in the thread they clicked in."""
    channel = (body.get("channel") or {}).get("id")
    user = (body.get("user") or {}).get("id")
    if _clicked_in_ephemeral(body) or not channel or not user:
        return respond_safely(respond, replace_original=False, response_type="ephemeral", **message)
    return _call(
        "chat.postEphemeral",
        client.chat_postEphemeral,
        channel=channel,
        user=user,
        thread_ts=body["message"].get("thread_ts"),
        **message,
    )


def reply_to_action(body: dict[str, Any], client: WebClient, respond: Any, message: Message) -> bool:
    """Answer a button click where it happened: in the message's thread, or to the clicker alone."""
    channel = (body.get("channel") or {}).get("id")
    if _clicked_in_ephemeral(body) or not channel:
        return respond_safely(respond, replace_original=False, response_type="ephemeral", **message)
    posted = body["message"]
    return post_in_thread(client, channel, posted.get("thread_ts") or posted.get("ts"), message)
