"""Catch-alls, registered last: anything no named listener took is acknowledged and ignored.

Bolt answers 404 to a request no listener matches, which Slack counts as a
failure (and retries events); link buttons and unknown events land here.

Bolt also moves on to the next matching listener when one has not called
ack() within 3 s: a catch-all must not then acknowledge, say, a vote that was
never stored. So a request some named listener matches is answered 503 here.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltRequest, BoltResponse

from bot.slack.messages import notice

log = logging.getLogger("bot.slack")
ANYTHING = re.compile(".*")


def register(app: App) -> None:
    guard = [only_if_unnamed(app)]
    app.event(ANYTHING)(ignore_event)  # events are acknowledged before any listener runs
    app.command(ANYTHING, middleware=guard)(on_unknown_command)
    app.action(ANYTHING, middleware=guard)(acknowledge)
    app.shortcut(ANYTHING, middleware=guard)(acknowledge)
    app.view(ANYTHING, middleware=guard)(acknowledge)
    app.view_closed(ANYTHING, middleware=guard)(acknowledge)
    app.options(ANYTHING, middleware=guard)(no_options)


def only_if_unnamed(app: App) -> Callable[..., BoltResponse | None]:
    def guard(request: BoltRequest, response: BoltResponse, next: Callable[[], None]) -> BoltResponse | None:
        named = (lst for lst in app._listeners if lst.ack_function.__module__ != __name__)
        if any(lst.matches(req=request, resp=response) for lst in named):
            log.warning("a listener did not acknowledge within 3 s: answered 503, not acknowledged")
            return BoltResponse(status=503, body="")
        next()
        return None

    return guard


def ignore_event() -> None:
    """Any other event is acknowledged (so Slack does not retry it) and ignored."""


def on_unknown_command(ack: Ack, command: dict[str, Any]) -> None:
    ack(response_type="ephemeral", **notice("unknown_command.mrkdwn.j2", command=command.get("command", "")))


def acknowledge(ack: Ack) -> None:
    ack()


def no_options(ack: Ack) -> None:
    ack(options=[])
