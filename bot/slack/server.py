"""Serving the app: HTTP under gunicorn (production), or Socket Mode for a laptop."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from gunicorn.app.base import BaseApplication
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.slack.config import Settings

log = logging.getLogger("bot.slack")
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def wsgi_app(app: App) -> WSGIApp:
    """Bolt's WSGI adapter for /slack/events, plus GET /healthz for the platform's checks."""
    slack = SlackRequestHandler(app, path="/slack/events")

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            body = json.dumps({"ok": True}).encode()
            start_response(
                "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
            )
            return [body]
        try:
            return slack(environ, start_response)
        except Exception as err:  # a malformed body: no traceback to the sender
            log.warning("request rejected: %s", type(err).__name__)
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [b"Bad Request"]

    return application


class _Gunicorn(BaseApplication):
    def __init__(self, application: WSGIApp, options: dict[str, Any]):
        self.application = application
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> WSGIApp:
        return self.application


def serve_http(app: App, settings: Settings, workers: int = 1, threads: int = 8) -> None:
    """Run under gunicorn on $PORT. The app (and its index) is built once, before the workers fork."""
    options = {
        "bind": f"0.0.0.0:{settings.port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "timeout": 30,
        "graceful_timeout": 20,
        "accesslog": None,  # an access log line would carry request paths and timing only, but stay quiet
        "loglevel": "info",
    }
    _Gunicorn(wsgi_app(app), options).run()


def serve_socket_mode(app: App, settings: Settings) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    SocketModeHandler(app, app_token=settings.app_token).start()
