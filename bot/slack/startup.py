"""Starting `python -m bot serve`: each step that can fail for a reason outside the code is checked here.

The corpus, the database, Slack's address and tokens, and the port are tried
in the order they are needed; whatever goes wrong becomes a ConfigError, one
line naming what is wrong and what to set (the CLI prints it and exits 2).
Nothing here ever shows a token or a database password.
"""

from __future__ import annotations

import errno
import logging
import socket
from typing import TYPE_CHECKING

from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.answerer import Answerer
from bot.corpus import check_corpus
from bot.db.database import open_database
from bot.db.store import Store
from bot.settings import DEFAULT_API_URL, ConfigError, SlackSettings
from bot.slack.app import build_app, make_client
from bot.slack.recovery import Recovery
from bot.slack.services import start_services

if TYPE_CHECKING:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

log = logging.getLogger("bot.slack")
GOVSLACK_HINT = "GovSlack: https://slack-gov.com/api/"
_TOKEN_ERRORS = ("invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired")


def serve(settings: SlackSettings) -> None:
    """Check everything, then serve until stopped: HTTP under gunicorn, or Socket Mode."""
    # Imported here: gunicorn reads WEB_CONCURRENCY when imported, and load_slack_settings has checked it.
    from bot.slack.server import serve_http, wait_forever

    answerer = load_answerer(settings)
    database = open_database(settings.common.database_url)
    store = Store(database, settings.hash_secret, settings.common.query_log_days)
    store.purge_queries()  # past QUERY_LOG_DAYS, or everything once logging is off
    client = make_client(settings)
    check_slack(client, settings)
    try:
        app = build_app(settings, start_services(answerer, store), client=client)
    except BoltError as err:  # checked just above, so only if Slack changed its mind in between
        raise ConfigError(f"could not start the Slack app ({err}): check SLACK_BOT_TOKEN") from None
    recovery = Recovery(app, store)  # lease renewals, and events a stopped worker left unanswered
    if settings.socket_mode:
        handler = connect_socket_mode(app, settings)
        recovery.start()
        wait_forever()  # the handler's threads serve; SIGTERM ends the process
        handler.close()
    else:
        check_port_free(settings.port)
        serve_http(app, settings, database, recovery)


def load_answerer(settings: SlackSettings) -> Answerer:
    """The corpus's answerer; a broken page stops start-up, what only looks wrong is logged."""
    records, errors, warnings = check_corpus(settings.common.corpus_dir)
    if errors:
        raise ConfigError(
            f"corpus: {errors[0]} (python -m bot corpus check lists every problem; CORPUS_DIR names the folder)"
        )
    for warning in warnings:
        log.warning("corpus: %s", warning)
    answerer = Answerer(records)
    answerer.warm_up()  # before the workers fork: no request waits for it
    return answerer


def _unreachable(settings: SlackSettings, err: OSError) -> ConfigError:
    reason = getattr(err, "reason", None) or err.strerror or type(err).__name__
    default = " (the default)" if settings.api_url == DEFAULT_API_URL else ""
    return ConfigError(
        f"cannot reach Slack at {settings.api_url}{default} ({reason}): check the network, "
        f"or set SLACK_API_URL to the Web API's address ({GOVSLACK_HINT})"
    )


def _refused(name: str, what: str, err: SlackApiError, method: str, settings: SlackSettings) -> ConfigError:
    data = err.response.data if isinstance(err.response.data, dict) else {}
    code = str(data.get("error") or "")
    if code in _TOKEN_ERRORS:
        return ConfigError(f"{name} was refused by Slack at {method} ({code}): set it to {what}")
    if not code or " " in code:  # not one of Slack's error codes: not Slack's Web API answering
        return ConfigError(
            f"SLACK_API_URL {settings.api_url} does not answer like Slack's Web API "
            f"(HTTP {err.response.status_code} to {method}): set it to the Web API's address "
            f"(default {DEFAULT_API_URL}; {GOVSLACK_HINT})"
        )
    return ConfigError(f"Slack answered {method} with {code}: check {name} and SLACK_API_URL")


def check_slack(client: WebClient, settings: SlackSettings) -> None:
    """Slack (or GovSlack) answers at SLACK_API_URL, and takes the bot token (auth.test)."""
    try:
        if settings.bot_token:
            client.auth_test()
        else:  # OAuth: each workspace's token comes later; still check the address
            client.api_test()
    except SlackApiError as err:
        raise _refused(
            "SLACK_BOT_TOKEN",
            "the Bot User OAuth Token (xoxb-...) from the app's OAuth & Permissions page",
            err,
            "auth.test",
            settings,
        ) from None
    except OSError as err:  # URLError, refused, timed out, a TLS failure
        raise _unreachable(settings, err) from None


def connect_socket_mode(app: App, settings: SlackSettings) -> SocketModeHandler:
    """Open Socket Mode's connection; the app token is checked by apps.connections.open."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    handler = SocketModeHandler(app, app_token=settings.app_token)
    try:
        handler.connect()
    except SlackApiError as err:
        raise _refused(
            "SLACK_APP_TOKEN",
            "an app-level token (xapp-...) with connections:write, from the app's Basic Information page",
            err,
            "apps.connections.open",
            settings,
        ) from None
    except OSError as err:
        raise _unreachable(settings, err) from None
    if not handler.client.is_connected():
        handler.close()
        raise ConfigError(
            "Slack handed out a Socket Mode address that does not answer: check the network "
            "(outgoing websockets), or unset SLACK_APP_TOKEN to serve HTTP instead"
        )
    return handler


def check_port_free(port: int) -> None:
    """Fail now, in one line, rather than in gunicorn's five retries when PORT is taken."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
        try:
            probe.bind(("0.0.0.0", port))
        except OSError as err:
            taken = err.errno == errno.EADDRINUSE
            why = "taken by another program" if taken else f"not usable ({err.strerror})"
            raise ConfigError(f"PORT {port} is {why}: stop that program or set PORT to a free port") from None
