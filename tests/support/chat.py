"""A conversation with the bot, in-process (after errbot's test fixture).

Correctly signed requests are dispatched straight into the Bolt app; Slack's
Web API is played by the local stand-in (slack_sdk's base_url points at it).
Listeners run on an executor that runs them at once, so when a call returns
everything the bot was going to post has been posted: no sleeps, no polling.
"""

from __future__ import annotations

import json
import time
import uuid
from concurrent.futures import Executor, Future
from typing import Any
from urllib.parse import urlencode

from slack_bolt import App, BoltResponse
from slack_bolt.request import BoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.answerer import Answerer
from bot.db.store import Store
from bot.settings import load_slack_settings
from bot.slack.app import build_app
from bot.slack.services import Services, start_services
from tests.support.signed import (
    BOT_TOKEN,
    SIGNING_SECRET,
    action_payload,
    command_form,
    dm,
    event_envelope,
    mention,
    message_shortcut_payload,
    new_ts,
    view_action_payload,
)
from tests.support.standin import BOT_USER_ID, TEAM_ID, Call, SlackStandIn


class RunNow(Executor):
    """Runs each listener in the caller's thread, so dispatch returns once it is done."""

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as err:  # handed back like a pool would
            future.set_exception(err)
        return future


def make_app(
    standin: SlackStandIn,
    services: Services,
    executor: Executor | None = None,
    run_now: bool = True,
    **env: str,
) -> App:
    """The app on the stand-in. Listeners run at once, unless an `executor` is given, or
    `run_now=False` keeps the real answering pools (bot/slack/lanes.py)."""
    settings = load_slack_settings(
        {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": standin.api_url,
            **env,
        }
    )
    if executor is not None:
        return build_app(settings, services, listener_executor=executor)
    return build_app(settings, services, **({"listener_executor": RunNow()} if run_now else {}))


class Chat:
    """Say things to the bot and read what it posted."""

    def __init__(self, app: App, standin: SlackStandIn):
        self.app = app
        self.standin = standin

    # -- sending -----------------------------------------------------------------

    def send(
        self, body: str, content_type: str, *, secret: str = SIGNING_SECRET, age: int = 0, **headers: str
    ) -> BoltResponse:
        timestamp = str(int(time.time()) - age)
        signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
        return self.app.dispatch(
            BoltRequest(
                body=body,
                headers={
                    "content-type": content_type,
                    "x-slack-request-timestamp": timestamp,
                    "x-slack-signature": signature,
                    **headers,
                },
            )
        )

    def event(self, event: dict[str, Any], event_id: str | None = None, **headers: str) -> BoltResponse:
        return self.send(json.dumps(event_envelope(event, event_id)), "application/json", **headers)

    def mention(self, text: str, **kwargs: Any) -> list[Call]:
        """@mention the bot in a channel; what it posted in reply."""
        before = len(self.posts())
        assert self.event(mention(text, **kwargs)).status == 200
        return self.posts()[before:]

    def dm(self, text: str, **kwargs: Any) -> list[Call]:
        before = len(self.posts())
        assert self.event(dm(text, **kwargs)).status == 200
        return self.posts()[before:]

    def command(self, text: str, command: str = "/state", **kwargs: Any) -> dict[str, Any]:
        """A slash command; the reply Slack shows (the acknowledgement's body)."""
        form = command_form(text, self._response_url("command"), command=command, **kwargs)
        response = self.send(urlencode(form), "application/x-www-form-urlencoded")
        assert response.status == 200, response.body
        return json.loads(response.body) if response.body else {}

    def command_response(self, text: str, command: str = "/state") -> BoltResponse:
        form = command_form(text, self.standin.response_url("command"), command=command)
        return self.send(urlencode(form), "application/x-www-form-urlencoded")

    def click(self, action_id: str, value: str, **kwargs: Any) -> BoltResponse:
        """A button clicked on a message (each click has its own response_url, as in Slack)."""
        payload = action_payload(action_id, value, self._response_url("click"), **kwargs)
        return self.interact(payload)

    def click_in_view(
        self, action_id: str, value: str, view_type: str = "modal", **kwargs: Any
    ) -> BoltResponse:
        """A button clicked in a modal or (view_type "home") on the Home tab."""
        return self.interact(view_action_payload(action_id, value, view_type=view_type, **kwargs))

    def shortcut(self, text: str, **kwargs: Any) -> BoltResponse:
        """The message shortcut "Look up in the state FAQ", run on a message saying `text`."""
        return self.interact(message_shortcut_payload(text, self._response_url("shortcut"), **kwargs))

    def interact(self, payload: dict[str, Any]) -> BoltResponse:
        return self.send(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    def open_home(self, user: str = "U0000ASKER", tab: str = "home") -> BoltResponse:
        event = {
            "type": "app_home_opened",
            "user": user,
            "channel": "D0000DMCH",
            "tab": tab,
            "event_ts": new_ts(),
        }
        return self.event(event)

    def member_joins(self, channel: str, user: str = BOT_USER_ID) -> BoltResponse:
        """`user` (the bot, by default) added to `channel`."""
        event = {
            "type": "member_joined_channel",
            "user": user,
            "channel": channel,
            "channel_type": "C",
            "team": TEAM_ID,
            "inviter": "U0000ASKER",
            "event_ts": new_ts(),
        }
        return self.event(event)

    def _response_url(self, name: str) -> str:
        return self.standin.response_url(f"{name}-{uuid.uuid4().hex[:8]}")

    # -- reading -----------------------------------------------------------------

    def posts(self, method: str = "chat.postMessage") -> list[Call]:
        return self.standin.calls_to(method)


def posted_text(call: Call) -> str:
    """Everything a person would read in a posted message: its text and its blocks."""
    return call.body.get("text", "") + json.dumps(call.body.get("blocks", []), ensure_ascii=False)


def new_chat(
    standin: SlackStandIn, answerer: Answerer, database: Any, run_now: bool = True, **env: str
) -> Chat:
    """The bot as `python -m bot serve` starts it: each page's as-of date recorded first."""
    store = Store(database, SIGNING_SECRET.encode(), 30 if env.get("QUERY_LOG") == "on" else None)
    return Chat(make_app(standin, start_services(answerer, store), run_now=run_now, **env), standin)
