"""The one Bolt app: built here, with its Web API client, middleware and listeners."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from bot.db.store import Store
from bot.engine import Engine
from bot.slack.config import Settings

log = logging.getLogger("bot.slack")


@dataclass
class Services:
    """What listeners need besides the request: the engine and the shared store."""

    engine: Engine
    store: Store


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


def claim_each_event_once(store: Store) -> Callable[..., Any]:
    """Middleware: the first process to claim an event_id handles it; re-sends get a bare 200.

    It runs before the acknowledgement, so a claim is in the database before Slack hears back.
    """

    def middleware(body: dict[str, Any], next: Callable[[], None]) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not store.claim(f"event:{event_id}"):
            log.info("event %s already claimed", event_id)
            return BoltResponse(status=200, body="")
        next()
        return None

    return middleware


def build_app(settings: Settings, services: Services, client: WebClient | None = None) -> App:
    from bot.slack.listeners import register  # listeners import Services from here

    oauth: dict[str, Any] = {}
    if settings.oauth:
        from bot.slack.oauth import oauth_settings

        oauth = {
            "oauth_settings": oauth_settings(settings.oauth, services.store.engine, settings.api_url),
            "installation_store_bot_only": True,
        }
    app = App(
        client=client or make_client(settings),
        signing_secret=settings.signing_secret,
        # Acknowledge first, answer after: Slack wants its 200 within 3 seconds.
        process_before_response=False,
        logger=logging.getLogger("slack_bolt"),
        **oauth,
    )
    app.middleware(claim_each_event_once(services.store))
    register(app, services)
    return app
