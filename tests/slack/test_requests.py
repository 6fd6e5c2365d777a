"""What reaches the server before Bolt does, through its WSGI application in-process: body caps,
signatures before parsing, payloads Slack never sends, and the health check."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import time
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.db.database import make_engine
from bot.db.health import DatabaseHealth
from bot.slack.server import MAX_BODY, wsgi_app
from tests.support.faults import closed_port_url, sqlite_write_lock
from tests.support.signed import SIGNING_SECRET, event_envelope, mention


class Endless(io.RawIOBase):
    """A body that never ends (a chunked upload of any size); counts what was read of it."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        size = 64 * 1024 if size is None or size < 0 else size
        self.read_bytes += size
        return b"x" * size


def call(
    application: Any,
    body: bytes = b"",
    *,
    path: str = "/slack/events",
    method: str = "POST",
    content_type: str = "application/json",
    headers: dict[str, str] | None = None,
    stream: Any = None,
    content_length: str | None = None,
) -> tuple[int, bytes]:
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "3000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": stream or io.BytesIO(body),
        "CONTENT_TYPE": content_type,
    }
    if content_length is not None or stream is None:
        environ["CONTENT_LENGTH"] = content_length if content_length is not None else str(len(body))
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    started: list[str] = []

    def start_response(status: str, _headers: list, *_: Any) -> None:
        started.append(status)

    out = b"".join(application(environ, start_response))
    return int(started[0].split()[0]), out


def signature(body: bytes, timestamp: str, secret: str = SIGNING_SECRET) -> dict[str, str]:
    digest = hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": "v0=" + digest}


def signed(body: bytes) -> dict[str, str]:
    return signature(body, str(int(time.time())))


@pytest.fixture
def application(module_chat, standin):
    standin.reset()
    return wsgi_app(module_chat.app, SIGNING_SECRET)


def test_a_signed_mention_goes_through(application, standin):
    body = json.dumps(event_envelope(mention("civil rights in Arkansas"))).encode()
    assert call(application, body, headers=signed(body))[0] == 200
    standin.wait_for("chat.postMessage")


# -- 6. abuse is refused cheaply -------------------------------------------------------


def test_a_body_announced_too_big_is_refused_without_reading_it(application):
    stream = Endless()
    status, _ = call(application, stream=stream, content_length=str(100 * 1024 * 1024))
    assert status == 413 and stream.read_bytes == 0


def test_a_chunked_body_is_read_only_up_to_the_cap(application):
    stream = Endless()
    assert call(application, stream=stream)[0] == 413
    assert stream.read_bytes <= MAX_BODY + 64 * 1024


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        (b'{"type": "event_callback"', {}),  # unsigned, and not even JSON
        (b"{not json", {"X-Slack-Request-Timestamp": "yesterday", "X-Slack-Signature": "v0=00"}),
        (b"{}", {"X-Slack-Request-Timestamp": "１２３", "X-Slack-Signature": "v0=00"}),  # digits, not ASCII
        (b"{}", signature(b"{}", str(int(time.time())), secret="not-the-secret")),
        (b"{}", signature(b"{}", str(int(time.time()) - 3600))),  # an hour old
        (b"{}", signature(b"{} ", str(int(time.time())))),  # signed another body
    ],
)
def test_every_unsigned_or_badly_signed_request_gets_401(application, body, headers):
    assert call(application, body, headers=headers)[0] == 401


# -- 8. signed but odd payloads are acknowledged and ignored ---------------------------


def odd_events() -> list[dict]:
    envelope = event_envelope(mention("civil rights in Arkansas"))
    return [
        {**envelope, "event": "a string"},
        {**envelope, "event": None},
        {**envelope, "event": {**envelope["event"], "type": 7}},
        {**envelope, "event_id": "Ev\ud800"},
        {**envelope, "team_id": ["T1"]},
        {**envelope, "authorizations": "all"},
        ["not", "an", "object"],
    ]


def odd_actions() -> list[dict]:
    base = {"type": "block_actions", "team": {"id": "T0000TEAM"}, "user": {"id": "U1"}}
    return [
        {**base, "actions": "feedback_helpful"},
        {**base, "actions": [{"value": "AR-8"}]},
        {**base, "actions": [None]},
        {**base, "actions": [{"action_id": None}]},
        {**base, "user": "U1", "actions": [{"action_id": "feedback_helpful", "value": "AR-8"}]},
        {**base, "channel": "C1", "actions": [{"action_id": "more_answers", "value": "AR-8"}]},
    ]


@pytest.mark.parametrize("payload", odd_events())
def test_a_signed_event_of_an_odd_shape_gets_200_and_is_ignored(application, standin, payload):
    body = json.dumps(payload).encode()
    assert call(application, body, headers=signed(body))[0] == 200
    assert standin.calls == []


@pytest.mark.parametrize("payload", odd_actions())
def test_a_signed_click_of_an_odd_shape_gets_200_and_is_ignored(application, standin, payload):
    body = urlencode({"payload": json.dumps(payload)}).encode()
    status, _ = call(
        application, body, content_type="application/x-www-form-urlencoded", headers=signed(body)
    )
    assert status == 200
    assert standin.calls == []


@pytest.mark.parametrize(
    "body", [b"{broken json", b"\xff\xfe not utf-8", urlencode({"payload": "{"}).encode()]
)
def test_a_signed_unreadable_body_gets_200_and_is_ignored(application, standin, body):
    assert call(application, body, headers=signed(body))[0] == 200
    assert standin.calls == []


# -- 3. the health check says when the database is sick, in bounded time ----------------


def test_health_reports_a_locked_sqlite(module_chat, tmp_path):
    path = tmp_path / "bot.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    application = wsgi_app(module_chat.app, SIGNING_SECRET, DatabaseHealth(engine, within=3.0))
    assert call(application, path="/healthz", method="GET") == (200, b'{"ok": true, "database": "ok"}')
    time.sleep(1.1)  # past the cached result
    with sqlite_write_lock(str(path)):
        started = time.monotonic()
        status, body = call(application, path="/healthz", method="GET")
    assert status == 503 and json.loads(body) == {"ok": False, "database": "locked"}
    assert time.monotonic() - started < 3.0


def test_health_reports_an_unreachable_postgresql_at_once(module_chat):
    application = wsgi_app(module_chat.app, SIGNING_SECRET, DatabaseHealth(make_engine(closed_port_url())))
    started = time.monotonic()
    status, body = call(application, path="/healthz", method="GET")
    assert status == 503 and json.loads(body) == {"ok": False, "database": "unreachable"}
    assert time.monotonic() - started < 1.0
