"""Sending replies: in a thread, or through a response_url; Web API errors are logged, not raised.

A click is answered where it was made, whether or not the bot is a member
there: chat.postMessage first, the click's response_url where the bot is not
a member (it needs no membership; 5 posts within 30 minutes), and when neither
works any more, the clicker is told in a DM with the app instead of silence.

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
from bot.slack.messages import Message, modal_view, notice
from bot.slack.retries import never_sent, retry_handlers

log = logging.getLogger("bot.slack")
# chat.postMessage / chat.postEphemeral errors that mean "the bot is not a member there".
NOT_A_MEMBER = ("not_in_channel", "channel_not_found")


def _call(
    method: str,
    send: Callable[..., Any],
    errors: list[str] | None = None,
    posted: list[str] | None = None,
    **kwargs: Any,
) -> bool:
    """One Web API call; an error (not_in_channel, a dropped connection) is logged, counted,
    added to `errors`, and False. A posted message's ts is added to `posted`."""
    try:
        response = send(**kwargs)
        if posted is not None and getattr(response, "get", None) and response.get("ts"):
            posted.append(str(response.get("ts")))
        return True
    except SlackApiError as err:
        code = str(err.response.get("error") or err.response.status_code)
        _lost(method, code, sure=True)
    except Exception as err:  # nothing Slack does may kill the worker
        code = type(err).__name__
        _lost(method, code, sure=never_sent(err))
    if errors is not None:
        errors.append(code)
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


def post_in_thread(
    client: WebClient,
    channel: str,
    thread_ts: str | None,
    message: Message,
    errors: list[str] | None = None,
    posted: list[str] | None = None,
) -> bool:
    """Post in `channel`: in the thread `thread_ts`, or at the top level when it is None."""
    return _call(
        "chat.postMessage",
        client.chat_postMessage,
        errors,
        posted,
        channel=channel,
        thread_ts=thread_ts,
        unfurl_links=False,
        unfurl_media=False,
        **message,
    )


def publish_home(client: WebClient, user: str, view: dict[str, Any]) -> bool:
    return _call("views.publish", client.views_publish, user_id=user, view=view)


def open_modal(client: WebClient, trigger_id: str | None, message: Message) -> bool:
    """A message in a new modal (a trigger_id is good for 3 seconds, once)."""
    return bool(trigger_id) and _call(
        "views.open", client.views_open, trigger_id=trigger_id, view=modal_view(message)
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


def _clicked_in_view(body: dict[str, Any]) -> bool:
    """A click in a modal or on the Home tab: no channel, no message, no response_url."""
    return not body.get("message") and isinstance(body.get("view"), dict)


def _in_a_dm(body: dict[str, Any]) -> bool:
    channel = body.get("channel") or {}
    return str(channel.get("id", "")).startswith("D") or channel.get("name") == "directmessage"


def _clicker(body: dict[str, Any]) -> str | None:
    return (body.get("user") or {}).get("id")


def show_in_view(body: dict[str, Any], client: WebClient, message: Message) -> bool:
    """Answer a click made in a view: on the Home tab in the clicker's DM with the app, in a modal on top."""
    view = body["view"]
    if view.get("type") == "home":
        user = _clicker(body)
        return bool(user) and post_in_thread(client, user, None, message)
    modal = modal_view(message)
    if _call("views.push", client.views_push, trigger_id=body.get("trigger_id"), view=modal):
        return True
    # Already three modals deep (Slack's limit), or the trigger expired: replace this one instead.
    return _call("views.update", client.views_update, view_id=view.get("id"), view=modal)


def tell_clicker(body: dict[str, Any], client: WebClient, message: Message, why: str | None = None) -> bool:
    """The last resort: the clicker gets it in their DM with the app (with why, when `why` names a template)."""
    user = _clicker(body)
    if not user:
        return False
    if why and not post_in_thread(client, user, None, notice(why)):
        return False
    return post_in_thread(client, user, None, message)


def reply_to_clicker(body: dict[str, Any], client: WebClient, respond: Any, message: Message) -> bool:
    """A message only the person who clicked sees, in the thread they clicked in."""
    if _clicked_in_view(body):
        return show_in_view(body, client, message)
    channel = (body.get("channel") or {}).get("id")
    user = _clicker(body)
    thread_ts = (body.get("message") or {}).get("thread_ts")
    if not _clicked_in_ephemeral(body) and channel and user:
        errors: list[str] = []
        if _call(
            "chat.postEphemeral",
            client.chat_postEphemeral,
            errors,
            channel=channel,
            user=user,
            thread_ts=thread_ts,
            **message,
        ):
            return True
        if not errors or errors[-1] not in NOT_A_MEMBER:
            return False
    in_thread = {"thread_ts": thread_ts} if thread_ts else {}
    if respond_safely(respond, replace_original=False, response_type="ephemeral", **in_thread, **message):
        return True
    return tell_clicker(body, client, message, None)


def reply_to_action(body: dict[str, Any], client: WebClient, respond: Any, message: Message) -> bool:
    """Answer a button click where it happened: in the message's thread, or to the clicker alone.

    In a DM, a click on a top-level message is answered at the top level, as questions are.
    Where the bot is not a member, the click's response_url posts for everyone in the same
    place; once that is used up or expired, the clicker is told why in a DM, with the answer.
    """
    if _clicked_in_view(body):
        return show_in_view(body, client, message)
    channel = (body.get("channel") or {}).get("id")
    if _clicked_in_ephemeral(body) or not channel:
        if respond_safely(respond, replace_original=False, response_type="ephemeral", **message):
            return True
        return tell_clicker(body, client, message, "click_expired.mrkdwn.j2")
    posted = body["message"]
    thread_ts = posted.get("thread_ts") or (None if _in_a_dm(body) else posted.get("ts"))
    errors: list[str] = []
    if post_in_thread(client, channel, thread_ts, message, errors):
        return True
    if not errors or errors[-1] not in NOT_A_MEMBER:
        return False
    in_thread = {"thread_ts": thread_ts} if thread_ts else {}
    if respond_safely(
        respond,
        replace_original=False,
        response_type="in_channel",
        unfurl_links=False,
        unfurl_media=False,
        **in_thread,
        **message,
    ):
        return True
    return tell_clicker(body, client, message, "click_expired.mrkdwn.j2")
