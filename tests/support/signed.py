"""Correctly signed, realistically shaped Slack requests, sent to the app over HTTP."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

from tests.support.standin import BOT_USER_ID, TEAM_ID

SIGNING_SECRET = "test-signing-secret-0123456789"
BOT_TOKEN = "xoxb-test-token-never-logged-4242"


class Sent:
    def __init__(self, status: int, body: bytes, headers: dict[str, str]):
        self.status = status
        self.body = body
        self.headers = headers

    def json(self) -> Any:
        return json.loads(self.body)


def send(
    url: str,
    body: str,
    content_type: str,
    *,
    timestamp: int | None = None,
    secret: str = SIGNING_SECRET,
    headers: dict[str, str] | None = None,
) -> Sent:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    request = urllib.request.Request(
        url,
        data=body.encode(),
        method="POST",
        headers={
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature,
            **(headers or {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Sent(response.status, response.read(), dict(response.headers))
    except urllib.error.HTTPError as err:
        return Sent(err.code, err.read(), dict(err.headers))


def new_ts() -> str:
    return f"{time.time():.6f}"


def event_envelope(event: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "api_app_id": "A0000APP1",
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
        "is_ext_shared_channel": False,
    }


def mention(
    text: str, channel: str = "C0000CHAN", thread_ts: str | None = None, **extra: Any
) -> dict[str, Any]:
    ts = new_ts()
    event = {
        "type": "app_mention",
        "user": "U0000ASKER",
        "text": f"<@{BOT_USER_ID}> {text}",
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
        **extra,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def dm(text: str, channel: str = "D0000DMCH", **extra: Any) -> dict[str, Any]:
    ts = new_ts()
    return {
        "type": "message",
        "channel_type": "im",
        "user": "U0000ASKER",
        "text": text,
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
        **extra,
    }


def send_event(app_url: str, event: dict[str, Any], event_id: str | None = None, **kwargs: Any) -> Sent:
    return send(app_url, json.dumps(event_envelope(event, event_id)), "application/json", **kwargs)


def command_form(
    text: str, response_url: str, command: str = "/state", channel: str = "C0000CHAN"
) -> dict[str, str]:
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "team_domain": "standin",
        "channel_id": channel,
        "channel_name": "policy",
        "user_id": "U0000ASKER",
        "user_name": "asker",
        "command": command,
        "text": text,
        "api_app_id": "A0000APP1",
        "response_url": response_url,
        "trigger_id": "1337.42.abcd",
    }


def send_command(app_url: str, text: str, response_url: str, command: str = "/state", **kwargs: Any) -> Sent:
    form = command_form(text, response_url, command)
    return send(app_url, urlencode(form), "application/x-www-form-urlencoded", **kwargs)


def action_payload(
    action_id: str,
    value: str,
    response_url: str,
    *,
    ephemeral: bool = False,
    message_ts: str | None = None,
    thread_ts: str | None = None,
    user: dict[str, Any] | None = None,
    channel: str = "C0000CHAN",
    **action: Any,
) -> dict[str, Any]:
    message_ts = message_ts or new_ts()
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": user or {"id": "U0000CLICK", "username": "clicker", "team_id": TEAM_ID},
        "api_app_id": "A0000APP1",
        "token": "legacy-verification-token",
        "container": {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel,
            "is_ephemeral": ephemeral,
        },
        "trigger_id": "1337.42.abcd",
        "team": {"id": TEAM_ID, "domain": "standin"},
        "channel": {"id": channel, "name": "policy"},
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": "answer_actions",
                "value": value,
                "type": "button",
                "action_ts": new_ts(),
                **action,
            }
        ],
    }
    if not ephemeral:
        payload["message"] = {
            "type": "message",
            "ts": message_ts,
            "bot_id": "BBOT00001",
            "text": "answer",
            **({"thread_ts": thread_ts} if thread_ts else {}),
        }
    return payload


def view_action_payload(
    action_id: str, value: str, *, view_type: str = "modal", user: str = "U0000CLICK"
) -> dict[str, Any]:
    """A click in a modal or on the Home tab: no channel, no message, no response_url."""
    return {
        "type": "block_actions",
        "user": {"id": user, "username": "clicker", "team_id": TEAM_ID},
        "api_app_id": "A0000APP1",
        "token": "legacy-verification-token",
        "container": {"type": "view", "view_id": "V0000VIEW1"},
        "trigger_id": "1337.43.view",
        "team": {"id": TEAM_ID, "domain": "standin"},
        "view": {"id": "V0000VIEW1", "type": view_type, "hash": "1700000000.abcd", "blocks": []},
        "actions": [
            {
                "action_id": action_id,
                "block_id": "example_1",
                "value": value,
                "type": "button",
                "action_ts": new_ts(),
            }
        ],
    }


def message_shortcut_payload(
    text: str, response_url: str, callback_id: str = "lookup_message", channel: str = "C0000CHAN"
) -> dict[str, Any]:
    """A message shortcut run on someone's message (type message_action)."""
    ts = new_ts()
    return {
        "type": "message_action",
        "token": "legacy-verification-token",
        "action_ts": new_ts(),
        "team": {"id": TEAM_ID, "domain": "standin"},
        "user": {"id": "U0000ASKER", "username": "asker", "team_id": TEAM_ID},
        "channel": {"id": channel, "name": "policy"},
        "callback_id": callback_id,
        "trigger_id": "1337.44.shortcut",
        "message_ts": ts,
        "message": {"type": "message", "user": "U0000OTHER", "text": text, "ts": ts},
        "response_url": response_url,
    }


def send_action(app_url: str, action_id: str, value: str, response_url: str, **kwargs: Any) -> Sent:
    payload = action_payload(action_id, value, response_url, **kwargs)
    return send(app_url, urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")
