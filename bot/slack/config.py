"""Settings from the environment or a .env file; a missing one is named, exit code 2."""

from __future__ import annotations

import os
from dataclasses import dataclass

from dotenv import load_dotenv

DEFAULT_API_URL = "https://slack.com/api/"


class ConfigError(Exception):
    """A setting the app cannot start without; the message names the variable."""


@dataclass(frozen=True)
class OAuthConfig:
    """Several workspaces: Bolt's OAuth install flow."""

    client_id: str
    client_secret: str
    state_secret: str


@dataclass(frozen=True)
class Settings:
    bot_token: str | None  # None with OAuth: each workspace's token comes from its installation
    signing_secret: str | None
    app_token: str | None
    api_url: str
    port: int
    database_url: str | None
    query_log_days: int | None = None  # None: query logging off (the default)
    oauth: OAuthConfig | None = None

    @property
    def hash_secret(self) -> bytes:
        """The server's secret that keys the voter hash."""
        secret = (
            self.signing_secret or (self.oauth.state_secret if self.oauth else None) or self.bot_token or ""
        )
        return secret.encode()

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)

    def __repr__(self) -> str:  # never show a secret in a log or a traceback
        return f"Settings(api_url={self.api_url!r}, port={self.port}, socket_mode={self.socket_mode})"


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    if environ is None:
        load_dotenv(".env")  # a .env file where it runs fills in what the environment does not set
        environ = dict(os.environ)

    def get(name: str) -> str | None:
        value = environ.get(name, "").strip()
        return value or None

    def require(name: str, why: str) -> str:
        value = get(name)
        if value is None:
            raise ConfigError(f"{name} is not set: {why} (see .env.example)")
        return value

    app_token = get("SLACK_APP_TOKEN")
    oauth = None
    if get("SLACK_CLIENT_ID") or get("SLACK_CLIENT_SECRET"):
        oauth = OAuthConfig(
            client_id=require("SLACK_CLIENT_ID", "the app's client id, for installing in several workspaces"),
            client_secret=require(
                "SLACK_CLIENT_SECRET", "the app's client secret, for the OAuth install flow"
            ),
            state_secret=require("SLACK_STATE_SECRET", "a long random string that signs the OAuth state"),
        )
        bot_token = None
    else:
        bot_token = require(
            "SLACK_BOT_TOKEN", "the bot token (xoxb-...) from the app's OAuth & Permissions page"
        )
    signing_secret = (
        get("SLACK_SIGNING_SECRET")
        if app_token
        else require("SLACK_SIGNING_SECRET", "the signing secret from the app's Basic Information page")
    )
    query_log = (get("QUERY_LOG") or "off").lower()
    if query_log not in ("on", "off", "true", "false", "1", "0", "yes", "no"):
        raise ConfigError(f"QUERY_LOG must be on or off, not {query_log!r}")
    days_text = get("QUERY_LOG_DAYS") or "30"
    if not days_text.isdigit() or int(days_text) < 1:
        raise ConfigError(f"QUERY_LOG_DAYS must be a whole number of days, not {days_text!r}")
    port_text = get("PORT") or "3000"
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ConfigError(f"PORT must be a port number, not {port_text!r}")
    api_url = get("SLACK_API_URL") or DEFAULT_API_URL
    return Settings(
        bot_token=bot_token,
        signing_secret=signing_secret,
        app_token=app_token,
        api_url=api_url if api_url.endswith("/") else api_url + "/",
        port=int(port_text),
        database_url=get("DATABASE_URL"),
        query_log_days=int(days_text) if query_log in ("on", "true", "1", "yes") else None,
        oauth=oauth,
    )
