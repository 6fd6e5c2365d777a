"""The one Bolt app: built here, with its Web API client, middleware and listeners."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

from bot.settings import SlackSettings
from bot.slack import listeners
from bot.slack.lanes import WHEN_DONE, Lanes
from bot.slack.retries import retry_handlers
from bot.slack.services import Services, services_of

log = logging.getLogger("bot.slack")
RECOVERED = "recovered"  # context key: an event re-delivered from its open claim (bot/slack/recovery.py)


def make_client(settings: SlackSettings) -> WebClient:
    """A Web API client for Slack or GovSlack (SLACK_API_URL), retrying within a bounded time."""
    return WebClient(
        token=settings.bot_token, base_url=settings.api_url, timeout=10, retry_handlers=retry_handlers()
    )


def claim_key(body: dict[str, Any]) -> str | None:
    """What makes two deliveries the same: for what is answered (mentions, DMs) the message, which
    can arrive under two event_ids (app_mention and message); else the event_id (re-sends keep it)."""
    event = body.get("event") or {}
    answered = event.get("type") == "app_mention" or (
        event.get("type") == "message" and event.get("channel_type") == "im"
    )
    if answered and event.get("channel") and event.get("ts"):
        return f"message:{event['channel']}:{event['ts']}"
    event_id = body.get("event_id")
    return f"event:{event_id}" if event_id else None


def claim_each_event_once(
    body: dict[str, Any], context: BoltContext, request: BoltRequest, next: Callable[[], None]
) -> BoltResponse | None:
    """Middleware: the first process to claim an event handles it; re-sends get a bare 200.

    It runs before the acknowledgement, so a claim is in the database before Slack hears back.
    The claim keeps the event until its reply is posted: if this process dies first, another
    answers it (bot/slack/recovery.py). With the reply queue full, the event is parked there
    for whichever process has room first, and acknowledged.
    """
    key = claim_key(body) if body.get("type") == "event_callback" else None
    if key is None:
        next()
        return None
    store = services_of(context).store
    if not context.get(RECOVERED):
        lanes = context.get("lanes")
        parked = isinstance(lanes, Lanes) and lanes.room("reply") <= 0
        try:
            claimed = store.claim(key, payload=request.raw_body, parked=parked)
        except SQLAlchemyError as err:
            # Not claimed, so not acknowledged: Slack sends it again (in a minute, then in five).
            log.warning("event not claimed, database unavailable: %s", type(err).__name__)
            return BoltResponse(status=503, body="")
        if not claimed:
            log.info("event %s already claimed", body.get("event_id"))
            return BoltResponse(status=200, body="")
        if parked:
            log.warning("busy: event parked until a reply thread is free")
            return BoltResponse(status=200, body="")
    context[WHEN_DONE] = [*context.get(WHEN_DONE, []), lambda: store.finish(key)]
    next()
    return None


def build_app(
    settings: SlackSettings, services: Services, client: WebClient | None = None, **bolt: Any
) -> App:
    """The app; `bolt` passes extra App options (tests hand in a listener executor, run in both lanes)."""
    oauth: dict[str, Any] = {}
    if settings.oauth:
        from bot.slack.oauth import oauth_settings

        oauth = {
            "oauth_settings": oauth_settings(settings.oauth, services.store.database, settings.api_url),
            "installation_store_bot_only": True,
        }
    lanes = Lanes(run=bolt.pop("listener_executor", None))
    app = App(
        client=client or make_client(settings),
        signing_secret=settings.signing_secret,
        # Acknowledge first, answer after: Slack wants its 200 within 3 seconds.
        process_before_response=False,
        listener_executor=lanes,
        logger=logging.getLogger("slack_bolt"),
        **oauth,
        **bolt,
    )
    if settings.oauth:
        services.installations = app.installation_store  # uninstall events delete from it
    app.use(services.provide)
    app.use(lanes.admit)
    app.use(claim_each_event_once)
    listeners.register(app)
    return app
