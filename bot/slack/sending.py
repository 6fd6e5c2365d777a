"""Sending replies: in a thread, or through a response_url; Web API errors are logged, not raised.

Retries happen inside the clients (bot/slack/retries.py); what still fails is
logged and counted in the database (`python -m bot stats`): "replies_dropped"
when Slack surely has not got it, "replies_unconfirmed" when the connection
dropped after the request was sent (Slack may have posted it; not re-sent, so
nothing is posted twice).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.slack.lanes import current_context
from bot.slack.messages import Message
from bot.slack.retries import never_sent, retry_handlers

log = logging.getLogger("bot.slack")


def _call(method: str, send: Callable[..., Any], **kwargs: Any) -> bool:
    """One Web API call; an error (not_in_channel, a dropped connection) is logged, counted and False."""
    try:
        send(**kwargs)
        return True
    except SlackApiError as err:
        _lost(method, str(err.response.get("error") or err.response.status_code), sure=True)
    except Exception as err:  # nothing Slack does may kill the worker
        _lost(method, type(err).__name__, sure=never_sent(err))
    return False


def _lost(method: str, why: str, sure: bool) -> None:
    counter = "replies_dropped" if sure else "replies_unconfirmed"
    log.warning("%s failed: %s (%s)", method, why, counter)
    context = current_context()
    services = context.get("services") if context is not None else None
    if services is None:
        return
    try:
        services.store.count(counter)
    except Exception as err:  # the database is down too: the log line stands
        log.warning("could not count it: %s", type(err).__name__)


def refuse(ack: Ack) -> None:
    """Answer the request with 503 instead of acknowledging it: Slack shows the person it failed."""
    ack.response = BoltResponse(status=503, body="")


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
    """Post to the request's response_url, with our retries (Bolt's own would re-send after a cut connection)."""
    url = getattr(respond, "response_url", None)
    try:
        if url:
            client = WebhookClient(
                url, proxy=respond.proxy, ssl=respond.ssl, retry_handlers=retry_handlers(), timeout=10
            )
            response = client.send_dict({k: v for k, v in kwargs.items() if v is not None})
        else:
            response = respond(**kwargs)
        if getattr(response, "status_code", 200) >= 400:
            _lost("response_url post", f"HTTP {response.status_code}", sure=True)
            return False
        return True
    except Exception as err:
        _lost("response_url post", type(err).__name__, sure=never_sent(err))
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
