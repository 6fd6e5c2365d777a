"""Catch-alls, registered last: anything no named listener took is acknowledged and ignored.

Bolt answers 404 to a request no listener matches, which Slack counts as a
failure (and retries events); link buttons and unknown events land here.
"""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App

from bot.slack.messages import notice

ANYTHING = re.compile(".*")


def register(app: App) -> None:
    app.event(ANYTHING)(ignore_event)
    app.command(ANYTHING)(on_unknown_command)
    app.action(ANYTHING)(acknowledge)
    app.shortcut(ANYTHING)(acknowledge)
    app.view(ANYTHING)(acknowledge)
    app.view_closed(ANYTHING)(acknowledge)
    app.options(ANYTHING)(no_options)


def ignore_event() -> None:
    """Any other event is acknowledged (so Slack does not retry it) and ignored."""


def on_unknown_command(ack: Ack, command: dict[str, Any]) -> None:
    ack(response_type="ephemeral", **notice("unknown_command.mrkdwn.j2", command=command.get("command", "")))


def acknowledge(ack: Ack) -> None:
    ack()


def no_options(ack: Ack) -> None:
    ack(options=[])
