"""The one Bolt app: built here, with its Web API client and listeners."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from bot.engine import Engine
from bot.slack.config import Settings
from bot.slack.dedup import RecentKeys

log = logging.getLogger("bot.slack")


@dataclass
class Services:
    """What listeners need besides the request: the engine and shared state."""

    engine: Engine
    seen_events: RecentKeys = field(default_factory=RecentKeys)


def make_client(settings: Settings) -> WebClient:
    """A Web API client for Slack or GovSlack (SLACK_API_URL), retrying 429s and dropped connections."""
    return WebClient(
        token=settings.bot_token,
        base_url=settings.api_url,
        timeout=10,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
        ],
    )


def build_app(settings: Settings, services: Services, client: WebClient | None = None) -> App:
    from bot.slack.listeners import register  # listeners import the app's helpers

    app = App(
        client=client or make_client(settings),
        signing_secret=settings.signing_secret,
        # Acknowledge first, answer after: Slack wants its 200 within 3 seconds.
        process_before_response=False,
        logger=logging.getLogger("slack_bolt"),
    )
    register(app, services)
    return app
