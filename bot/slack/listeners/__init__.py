"""Listeners, grouped by what they listen to (as in Slack's Bolt starter template).

Bolt runs the first listener that matches, so the catch-alls go last: a
listener registered after them would never run (a test checks none is shadowed).
"""

from __future__ import annotations

import logging

from slack_bolt import App

from bot.slack.listeners import actions, catch_alls, commands, events, shortcuts


def register(app: App) -> None:
    events.register(app)
    commands.register(app)
    actions.register(app)
    shortcuts.register(app)
    app.error(on_error)
    catch_alls.register(app)  # last, on purpose


def on_error(error: Exception, logger: logging.Logger) -> None:
    # The type only: a message could carry the asker's words.
    logger.error("listener failed: %s", type(error).__name__)
