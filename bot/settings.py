"""Every setting, read here and only here: from the environment, or a .env file where it runs.

An empty value counts as unset, everywhere: it is dropped from the process
environment too, so Bolt (which checks only that SLACK_CLIENT_ID exists) never
switches to its own OAuth mode on an empty line copied from .env.example.
A missing or bad setting raises ConfigError naming the variable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dotenv import load_dotenv

from bot.corpus import DEFAULT_CORPUS_DIR

DEFAULT_API_URL = "https://slack.com/api/"
VARIABLES = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "SLACK_API_URL",
    "PORT",
    "WEB_CONCURRENCY",
    "DATABASE_URL",
    "CORPUS_DIR",
    "QUERY_LOG",
    "QUERY_LOG_DAYS",
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
    "SLACK_STATE_SECRET",
)
_ON = ("on", "true", "1", "yes")
_OFF = ("off", "false", "0", "no")


class ConfigError(Exception):
    """A setting that is missing or wrong; the message names the variable and what to set."""


@dataclass(frozen=True)
class Settings:
    """What every command uses."""

    corpus_dir: Path
    database_url: str | None
    query_log_days: int | None  # None: query logging off (the default)


@dataclass(frozen=True)
class OAuthConfig:
    """Several workspaces: Bolt's OAuth install flow."""

    client_id: str
    client_secret: str
    state_secret: str


@dataclass(frozen=True)
class SlackSettings:
    """What `serve` needs besides: Slack's tokens, and how to listen."""

    common: Settings
    bot_token: str | None  # None with OAuth: each workspace's token comes from its installation
    signing_secret: str | None
    app_token: str | None
    api_url: str
    port: int
    web_concurrency: int
    oauth: OAuthConfig | None = None

    @property
    def hash_secret(self) -> bytes:
        """The server's secret that keys stored hashes (voters, claims)."""
        secret = (
            self.signing_secret or (self.oauth.state_secret if self.oauth else None) or self.bot_token or ""
        )
        return secret.encode()

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)

    def __repr__(self) -> str:  # never show a secret in a log or a traceback
        return f"SlackSettings(api_url={self.api_url!r}, port={self.port}, socket_mode={self.socket_mode})"


def environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The settings' values, empty ones dropped; by default the process's, over a .env file."""
    if environ is not None:
        return {k: v.strip() for k, v in environ.items() if v.strip()}
    load_dotenv(".env")  # fills in only what the environment does not set
    for name in VARIABLES:
        if name in os.environ and not os.environ[name].strip():
            del os.environ[name]
    return {k: v.strip() for k, v in os.environ.items() if v.strip()}


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    env = environment(environ)
    query_log = env.get("QUERY_LOG", "off").lower()
    if query_log not in _ON + _OFF:
        raise ConfigError(f"QUERY_LOG must be on or off, not {query_log!r}")
    days = _whole_number(env, "QUERY_LOG_DAYS", 30, "a whole number of days")
    return Settings(
        corpus_dir=Path(env.get("CORPUS_DIR") or DEFAULT_CORPUS_DIR),
        database_url=env.get("DATABASE_URL"),
        query_log_days=days if query_log in _ON else None,
    )


def load_slack_settings(environ: Mapping[str, str] | None = None) -> SlackSettings:
    env = environment(environ)
    common = load_settings(env)

    def require(name: str, why: str) -> str:
        if name not in env:
            raise ConfigError(f"{name} is not set: {why} (see .env.example)")
        return env[name]

    app_token = env.get("SLACK_APP_TOKEN")
    oauth = None
    bot_token = None
    if "SLACK_CLIENT_ID" in env or "SLACK_CLIENT_SECRET" in env:
        oauth = OAuthConfig(
            client_id=require("SLACK_CLIENT_ID", "the app's client id, for installing in several workspaces"),
            client_secret=require(
                "SLACK_CLIENT_SECRET", "the app's client secret, for the OAuth install flow"
            ),
            state_secret=require("SLACK_STATE_SECRET", "a long random string that signs the OAuth state"),
        )
    else:
        bot_token = require(
            "SLACK_BOT_TOKEN", "the bot token (xoxb-...) from the app's OAuth & Permissions page"
        )
    signing_secret = (
        env.get("SLACK_SIGNING_SECRET")
        if app_token
        else require("SLACK_SIGNING_SECRET", "the signing secret from the app's Basic Information page")
    )
    port = _whole_number(env, "PORT", 3000, "a port number")
    if not 0 < port < 65536:
        raise ConfigError(f"PORT must be a port number (1 to 65535), not {str(port)!r}")
    api_url = env.get("SLACK_API_URL", DEFAULT_API_URL)
    return SlackSettings(
        common=common,
        bot_token=bot_token,
        signing_secret=signing_secret,
        app_token=app_token,
        api_url=api_url if api_url.endswith("/") else api_url + "/",
        port=port,
        web_concurrency=_whole_number(env, "WEB_CONCURRENCY", 2, "a number of worker processes"),
        oauth=oauth,
    )


def _whole_number(env: Mapping[str, str], name: str, default: int, what: str) -> int:
    text = env.get(name, str(default))
    if not text.isdigit() or int(text) < 1:
        raise ConfigError(f"{name} must be {what} (a whole number, 1 or more), not {text!r}")
    return int(text)
