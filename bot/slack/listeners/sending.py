"""Sending replies: in a thread, or through a response_url; Web API errors are logged, not raised."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.messages import Message

log = logging.getLogger("bot.slack")


def post_in_thread(client: WebClient, channel: str, thread_ts: str | None, message: Message) -> bool:
    try:
        client.chat_postMessage(
            channel=channel, thread_ts=thread_ts, unfurl_links=False, unfurl_media=False, **message
        )
        return True
    except SlackApiError as err:
        log.warning("chat.postMessage failed: %s", err.response.get("error"))
    except Exception as err:  # a dropped connection must not kill the worker
        log.warning("chat.postMessage failed: %s", type(err).__name__)
    return False


def post_ephemeral(
    client: WebClient, channel: str, user: str, message: Message, thread_ts: str | None
) -> bool:
    try:
        client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts, **message)
        return True
    except SlackApiError as err:
        log.warning("chat.postEphemeral failed: %s", err.response.get("error"))
    except Exception as err:
        log.warning("chat.postEphemeral failed: %s", type(err).__name__)
    return False


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


def reply_to_action(body: dict[str, Any], client: WebClient, respond: Any, message: Message) -> bool:
    """Answer a button click where it happened: in the message's thread, or to the clicker alone."""
    container = body.get("container") or {}
    posted = body.get("message")
    channel = (body.get("channel") or {}).get("id")
    if container.get("is_ephemeral") or not posted or not channel:
        return respond_safely(respond, replace_original=False, response_type="ephemeral", **message)
    return post_in_thread(client, channel, posted.get("thread_ts") or posted.get("ts"), message)
