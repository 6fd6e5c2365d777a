"""Serving the app: HTTP under gunicorn (production), or Socket Mode for a laptop."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import io
import json
import logging
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import parse_qs

from gunicorn.app.base import BaseApplication
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import Engine

from bot.db.health import DatabaseHealth
from bot.settings import SlackSettings
from bot.slack.payloads import usable
from bot.slack.recovery import Recovery

log = logging.getLogger("bot.slack")
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


MAX_BODY = 256 * 1024  # Slack's requests are a few KiB; anything near this is not Slack
BODY_SECONDS = 2.0  # longest a request thread waits for a body (Slack sends its few KiB at once)


def describe(body: bytes, content_type: str) -> str:
    """What a request is, for the log: its type and action, never its text."""
    try:
        if "json" in content_type:
            data = json.loads(body or b"{}")
            event = data.get("event")
            return ":".join(
                filter(None, [data.get("type"), event.get("type") if isinstance(event, dict) else None])
            )
        form = parse_qs(body.decode())
        if "command" in form:
            return "command:" + form["command"][0]
        payload = json.loads(form.get("payload", ["{}"])[0])
        actions = payload.get("actions")
        first = actions[0] if isinstance(actions, list) and actions and isinstance(actions[0], dict) else {}
        return ":".join(str(p) for p in filter(None, [payload.get("type"), first.get("action_id")]))
    except (ValueError, AttributeError, UnicodeDecodeError, TypeError):
        return "unreadable"


class HangUp:
    """A response after which the connection is closed: the rest of a refused body is never read.

    (Gunicorn ignores a Connection header from the app, and would drain the body to keep the
    connection alive; shutting the socket's reading side once the answer is sent stops that.)
    """

    def __init__(self, body: bytes, sock: socket.socket | None):
        self.body, self.sock = body, sock

    def __iter__(self) -> Iterator[bytes]:
        yield self.body

    def close(self) -> None:
        if self.sock is not None:
            with contextlib.suppress(OSError):
                self.sock.shutdown(socket.SHUT_RD)


class Refused(Exception):
    def __init__(self, status: str):
        self.status = status


def read_body(environ: dict[str, Any]) -> bytes:
    """The body, refused (Refused) before it is read whole if it is too big or too slow to come."""
    length = environ.get("CONTENT_LENGTH") or ""
    if length and not (length.isascii() and length.isdigit()):
        raise Refused("400 Bad Request")
    if length and int(length) > MAX_BODY:
        raise Refused("413 Content Too Large")
    sock = environ.get("gunicorn.socket")
    if sock is not None:
        sock.settimeout(BODY_SECONDS)  # a client that stops sending mid-body
    stream, chunks, size = environ["wsgi.input"], [], 0
    remaining = int(length) if length else MAX_BODY + 1  # chunked: read at most one byte past the cap
    deadline = time.monotonic() + BODY_SECONDS
    try:
        while remaining > 0:
            chunk = stream.read(min(remaining, 64 * 1024))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            remaining -= len(chunk)
            if size > MAX_BODY:
                raise Refused("413 Content Too Large")
            if time.monotonic() > deadline:  # one that trickles a byte at a time
                raise Refused("408 Request Timeout")
    except OSError as err:
        raise Refused("408 Request Timeout") from err
    return b"".join(chunks)


def signed(raw: bytes, environ: dict[str, Any], secret: str) -> bool:
    """Slack's signature over this exact body, with a numeric timestamp within five minutes."""
    timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or ""
    signature = environ.get("HTTP_X_SLACK_SIGNATURE") or ""
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) < 16 and signature):
        return False
    if abs(time.time() - int(timestamp)) > 5 * 60:
        return False
    # Over the raw bytes, whatever they are (slack_sdk's verifier would decode them first).
    expected = hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest("v0=" + expected, signature)


def wsgi_app(app: App, signing_secret: str | None = None, health: DatabaseHealth | None = None) -> WSGIApp:
    """Bolt's WSGI adapter for /slack/events (and OAuth), GET /healthz, one log line a request.

    Before Bolt sees a request to /slack/events: its body is capped (MAX_BODY) and read
    with a deadline, its signature checked (401 otherwise, before any parsing), and a
    signed payload of a shape Slack never sends is acknowledged and ignored (payloads.py).
    """
    slack = SlackRequestHandler(app, path="/slack/events")

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            return healthz(health, start_response)
        started = time.perf_counter()
        status: list[str] = []
        raw = b""

        def recording_start_response(code: str, headers: list[Any], *args: Any) -> Any:
            status.append(code.split()[0])
            return start_response(code, headers, *args)

        def plain(code: str, text: str, close: bool = False) -> Iterable[bytes]:
            headers = [("Content-Type", "text/plain"), ("Content-Length", str(len(text)))]
            recording_start_response(code, headers)
            return HangUp(text.encode(), environ.get("gunicorn.socket")) if close else [text.encode()]

        try:
            if environ.get("REQUEST_METHOD") == "POST":
                raw = read_body(environ)
                environ["wsgi.input"] = io.BytesIO(raw)
                environ["CONTENT_LENGTH"] = str(len(raw))
            slack_path = environ.get("PATH_INFO") == "/slack/events"
            if slack_path and signing_secret and not signed(raw, environ, signing_secret):
                result = plain("401 Unauthorized", "invalid request")
            elif (
                slack_path
                and environ.get("REQUEST_METHOD") == "POST"
                and not usable(raw, environ.get("CONTENT_TYPE", ""))
            ):
                log.warning("signed request of an unknown shape: acknowledged and ignored")
                result = plain("200 OK", "")
            else:
                result = slack(environ, recording_start_response)
        except Refused as refused:
            result = plain(refused.status, refused.status.split(" ", 1)[1], close=True)
        except Exception as err:  # no traceback to the sender
            log.warning("request rejected: %s", type(err).__name__)
            result = plain("400 Bad Request", "Bad Request")
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


def healthz(health: DatabaseHealth | None, start_response: Callable[..., Any]) -> list[bytes]:
    """200 {"ok": true, "database": "ok"}, or 503 saying what is wrong, within `health.within` seconds."""
    database = health.status() if health else "ok"
    body = json.dumps({"ok": database == "ok", "database": database}).encode()
    start_response(
        "200 OK" if database == "ok" else "503 Service Unavailable",
        [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
    )
    return [body]


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


def serve_http(
    app: App, settings: SlackSettings, database: Engine, recovery: Recovery | None = None, threads: int = 16
) -> None:
    """Run under gunicorn on $PORT. The app (and its index) is built once, before the workers fork.

    Request threads only verify, claim and acknowledge (answers run in bot/slack/lanes.py's
    pools), so 16 per worker go far. Against many slow clients put a buffering proxy in front
    (README, "Run as a service"): gunicorn hands a connection to a thread once it is readable.
    """

    def post_fork(_server: Any, _worker: Any) -> None:
        database.dispose(close=False)  # each worker opens its own database connections
        if recovery is not None:
            recovery.start()  # this worker's lease renewals and take-overs

    options = {
        "post_fork": post_fork,
        "bind": f"0.0.0.0:{settings.port}",
        "workers": settings.web_concurrency,
        "worker_class": "gthread",
        "threads": threads,
        "timeout": 30,  # a worker silent this long is killed and replaced (its open claims are taken over)
        "graceful_timeout": 20,
        "keepalive": 5,
        "limit_request_line": 8190,
        "limit_request_fields": 100,
        "accesslog": None,  # an access log line would carry request paths and timing only, but stay quiet
        "loglevel": "info",
    }
    _Gunicorn(wsgi_app(app, settings.signing_secret, DatabaseHealth(database)), options).run()


def wait_forever() -> None:
    """Socket Mode: the connection (bot/slack/startup.py opens it) lives in its own threads; wait."""
    threading.Event().wait()
