"""Listeners, grouped by what they listen to (as in Slack's Bolt starter template)."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.app import Services
from bot.slack.listeners import actions, commands, events


def register(app: App, services: Services) -> None:
    events.register(app, services)
    commands.register(app, services)
    actions.register(app, services)

    @app.error
    def on_error(error: Exception, logger) -> None:
        # The type only: a message could carry the asker's words.
        logger.error("listener failed: %s", type(error).__name__)
