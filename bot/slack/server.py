"""Serving the app: HTTP under gunicorn (production), or Socket Mode for a laptop."""

from __future__ import annotations

import io
import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from gunicorn.app.base import BaseApplication
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import Engine

from bot.settings import SlackSettings

log = logging.getLogger("bot.slack")
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def describe(body: bytes, content_type: str) -> str:
    """What a request is, for the log: its type and action, never its text."""
    try:
        if "json" in content_type:
            data = json.loads(body or b"{}")
            return ":".join(filter(None, [data.get("type"), (data.get("event") or {}).get("type")]))
        form = parse_qs(body.decode())
        if "command" in form:
            return "command:" + form["command"][0]
        payload = json.loads(form.get("payload", ["{}"])[0])
        action = (payload.get("actions") or [{}])[0].get("action_id")
        return ":".join(filter(None, [payload.get("type"), action]))
    except (ValueError, AttributeError, UnicodeDecodeError):
        return "unreadable"


def wsgi_app(app: App) -> WSGIApp:
    """Bolt's WSGI adapter for /slack/events (and OAuth), GET /healthz, one log line a request."""
    slack = SlackRequestHandler(app, path="/slack/events")

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            body = json.dumps({"ok": True}).encode()
            start_response(
                "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
            )
            return [body]
        started = time.perf_counter()
        raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(raw)
        status: list[str] = []

        def recording_start_response(code: str, headers: list[Any], *args: Any) -> Any:
            status.append(code.split()[0])
            return start_response(code, headers, *args)

        try:
            result = slack(environ, recording_start_response)
        except Exception as err:  # a malformed body: no traceback to the sender
            log.warning("request rejected: %s", type(err).__name__)
            status.append("400")
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            result = [b"Bad Request"]
        log.info(
            "request=%s path=%s kind=%s retry=%s status=%s ms=%.1f",
            uuid.uuid4().hex[:12],
            environ.get("PATH_INFO"),
            describe(raw, environ.get("CONTENT_TYPE", "")),
            environ.get("HTTP_X_SLACK_RETRY_NUM", "0"),
            status[0] if status else "?",
            (time.perf_counter() - started) * 1000,
        )
        return result

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


def serve_http(app: App, settings: SlackSettings, database: Engine, threads: int = 8) -> None:
    """Run under gunicorn on $PORT. The app (and its index) is built once, before the workers fork."""

    def post_fork(_server: Any, _worker: Any) -> None:
        database.dispose(close=False)  # each worker opens its own database connections

    options = {
        "post_fork": post_fork,
        "bind": f"0.0.0.0:{settings.port}",
        "workers": settings.web_concurrency,
        "worker_class": "gthread",
        "threads": threads,
        "timeout": 30,
        "graceful_timeout": 20,
        "accesslog": None,  # an access log line would carry request paths and timing only, but stay quiet
        "loglevel": "info",
    }
    _Gunicorn(wsgi_app(app), options).run()


def wait_forever() -> None:
    """Socket Mode: the connection (bot/slack/startup.py opens it) lives in its own threads; wait."""
    threading.Event().wait()
