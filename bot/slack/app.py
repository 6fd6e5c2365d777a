"""The one Bolt app: built here, with its Web API client, middleware and listeners."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from bot.settings import SlackSettings
from bot.slack import listeners
from bot.slack.services import Services, services_of

log = logging.getLogger("bot.slack")


def make_client(settings: SlackSettings) -> WebClient:
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


def claim_each_event_once(
    body: dict[str, Any], context: BoltContext, next: Callable[[], None]
) -> BoltResponse | None:
    """Middleware: the first process to claim an event_id handles it; re-sends get a bare 200.

    It runs before the acknowledgement, so a claim is in the database before Slack hears back.
    """
    event_id = body.get("event_id") if body.get("type") == "event_callback" else None
    if event_id and not services_of(context).store.claim(f"event:{event_id}"):
        log.info("event %s already claimed", event_id)
        return BoltResponse(status=200, body="")
    next()
    return None


def build_app(
    settings: SlackSettings, services: Services, client: WebClient | None = None, **bolt: Any
) -> App:
    """The app; `bolt` passes extra App options (tests hand in a listener executor)."""
    oauth: dict[str, Any] = {}
    if settings.oauth:
        from bot.slack.oauth import oauth_settings

        oauth = {
            "oauth_settings": oauth_settings(settings.oauth, services.store.database, settings.api_url),
            "installation_store_bot_only": True,
        }
    app = App(
        client=client or make_client(settings),
        signing_secret=settings.signing_secret,
        # Acknowledge first, answer after: Slack wants its 200 within 3 seconds.
        process_before_response=False,
        logger=logging.getLogger("slack_bolt"),
        **oauth,
        **bolt,
    )
    if settings.oauth:
        services.installations = app.installation_store  # uninstall events delete from it
    app.use(services.provide)
    app.use(claim_each_event_once)
    listeners.register(app)
    return app
