"""Several workspaces: Bolt's OAuth install flow, with installations and state in our database."""

from __future__ import annotations

import hashlib
import hmac
from logging import Logger
from typing import Any
from urllib.parse import urlparse

from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.installation_store import Bot, Installation, InstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store import OAuthStateStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine

from bot.settings import OAuthConfig

# As in slack-app-manifest.yml (a test checks): channels:read and groups:read deliver
# member_joined_channel, so the bot can introduce itself where it is added.
BOT_SCOPES = ["app_mentions:read", "channels:read", "chat:write", "commands", "groups:read", "im:history"]
STATE_SECONDS = 600


class BotOnlyInstallationStore(InstallationStore):
    """Keeps only the bot's token of an installation: not who installed it (their user id)."""

    def __init__(self, inner: SQLAlchemyInstallationStore):
        self.inner = inner

    @property
    def logger(self) -> Logger:
        return self.inner.logger

    def save(self, installation: Installation) -> None:
        self.inner.save_bot(installation.to_bot())

    def save_bot(self, bot: Bot) -> None:
        self.inner.save_bot(bot)

    def find_bot(self, **kwargs: Any) -> Bot | None:
        return self.inner.find_bot(**kwargs)

    def find_installation(self, **kwargs: Any) -> Installation | None:
        return None  # bot-only: nothing kept per installing user

    def delete_bot(self, **kwargs: Any) -> None:
        self.inner.delete_bot(**kwargs)

    def delete_installation(self, **kwargs: Any) -> None:
        if kwargs.get("user_id"):
            return  # one person's user token revoked: none is kept, and the bot's stays valid
        self.inner.delete_bot(enterprise_id=kwargs.get("enterprise_id"), team_id=kwargs.get("team_id"))

    def delete_all(self, **kwargs: Any) -> None:
        self.inner.delete_bot(enterprise_id=kwargs.get("enterprise_id"), team_id=kwargs.get("team_id"))


class SignedStateStore(OAuthStateStore):
    """OAuth state issued with an HMAC (SLACK_STATE_SECRET): a forged state fails before the database."""

    def __init__(self, inner: SQLAlchemyOAuthStateStore, secret: str):
        self.inner = inner
        self._secret = secret.encode()

    @property
    def logger(self) -> Logger:
        return self.inner.logger

    def _sign(self, value: str) -> str:
        return hmac.new(self._secret, value.encode(), hashlib.sha256).hexdigest()[:32]

    def issue(self, *args: Any, **kwargs: Any) -> str:
        value = self.inner.issue(*args, **kwargs)
        return f"{value}.{self._sign(value)}"

    def consume(self, state: str) -> bool:
        value, _, signature = state.rpartition(".")
        if not value or not hmac.compare_digest(signature, self._sign(value)):
            return False
        return self.inner.consume(value)


def authorize_url(api_url: str) -> str:
    """Slack's, or GovSlack's when the Web API is GovSlack's (slack-gov.com)."""
    host = urlparse(api_url).hostname or "slack.com"
    base = "slack-gov.com" if host.endswith("slack-gov.com") else "slack.com"
    return f"https://{base}/oauth/v2/authorize"


def oauth_settings(config: OAuthConfig, database: Engine, api_url: str) -> OAuthSettings:
    installations = SQLAlchemyInstallationStore(
        client_id=config.client_id,
        engine=database,
        bots_table_name="slack_bots",
        installations_table_name="slack_installations",
    )
    states = SQLAlchemyOAuthStateStore(
        expiration_seconds=STATE_SECONDS, engine=database, table_name="slack_oauth_states"
    )
    return OAuthSettings(
        client_id=config.client_id,
        client_secret=config.client_secret,
        scopes=BOT_SCOPES,
        installation_store=BotOnlyInstallationStore(installations),
        installation_store_bot_only=True,
        state_store=SignedStateStore(states, config.state_secret),
        authorization_url=authorize_url(api_url),
    )
