"""A local HTTP server standing in for Slack: the Web API and response_urls.

Records every call so tests can assert on what the app sent. It misbehaves on
purpose when asked: failures queued per method (a 429 with Retry-After, a 500
or 503, an error like not_in_channel), slowness per method (`delays`),
refusing connections for a while (`refuse_connections`), and dropping the
connection after accepting a call (`drop_after_accepting`).
Like Slack: a channel in `not_member_of` refuses chat.postMessage and
chat.postEphemeral with not_in_channel; a response_url takes 5 posts, then
answers 404 used_url; views carry at most 100 blocks.
"""

from __future__ import annotations

import json
import select
import socket
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

BOT_USER_ID = "UBOTUSER1"
BOT_ID = "BBOT00001"
TEAM_ID = "T0000TEAM"
INSTALLED_BOT_TOKEN = "xoxb-installed-by-oauth-0001"


class _Server(ThreadingHTTPServer):
    request_queue_size = 256  # the default 5 resets connections under load: not a Slack behaviour
    daemon_threads = True


@dataclass
class Call:
    path: str
    method: str  # Web API method ("chat.postMessage"), or "response_url"
    body: dict[str, Any]
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)
    sender_gone: bool = False  # the client hung up (or died) before the answer: it cannot know it landed
    response: dict[str, Any] = field(default_factory=dict)  # what the stand-in answered


class SlackStandIn:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.socket_url: str | None = None  # what apps.connections.open hands out
        self.not_member_of: set[str] = set()  # channels the bot is not in
        self._response_posts: Counter[str] = Counter()
        self.delays: dict[str, float] = {}  # method -> seconds it takes to answer (a slow Slack)
        self._failures: dict[str, list[tuple[int, dict[str, str], dict[str, Any]]]] = {}
        self._drops: dict[str, int] = {}
        self._lock = threading.Lock()
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                if "json" in (self.headers.get("Content-Type") or ""):
                    body = json.loads(raw or "{}")
                else:
                    body = {k: v[0] for k, v in parse_qs(raw).items()}
                if self.path.startswith("/response/"):
                    method = "response_url"
                else:
                    method = self.path.rsplit("/", 1)[-1]
                status, headers, payload = standin._answer(method, body, self.path)
                time.sleep(standin.delays.get(method, 0.0))
                call = Call(
                    self.path,
                    method,
                    body,
                    dict(self.headers),
                    sender_gone=self._sender_gone(),
                    response=payload,
                )
                with standin._lock:
                    standin.calls.append(call)
                    drop = standin._drops.get(method, 0) > 0
                    if drop:
                        standin._drops[method] -= 1
                if drop:  # accepted, then the connection breaks before the answer
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def _sender_gone(self) -> bool:
                readable, _, _ = select.select([self.connection], [], [], 0)
                try:
                    return bool(readable) and self.connection.recv(1, socket.MSG_PEEK) == b""
                except OSError:
                    return True

        self._handler = Handler
        self.server = _Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # -- control -----------------------------------------------------------------

    def __enter__(self) -> SlackStandIn:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def post_delay(self) -> float:
        return self.delays.get("chat.postMessage", 0.0)

    @post_delay.setter
    def post_delay(self, seconds: float) -> None:
        self.delays["chat.postMessage"] = seconds

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def refuse_connections(self, seconds: float) -> None:
        """Stop listening now (connections are refused), and listen again on the same port after `seconds`."""
        port = self.port
        self.server.shutdown()
        self.server.server_close()

        def come_back() -> None:
            time.sleep(seconds)
            self.server = _Server(("127.0.0.1", port), self._handler)
            self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
            self.thread.start()

        threading.Thread(target=come_back, daemon=True).start()

    def drop_after_accepting(self, method: str, times: int = 1) -> None:
        """The next `times` calls to `method` are recorded (Slack took them), then the connection is cut."""
        with self._lock:
            self._drops[method] = self._drops.get(method, 0) + times

    @property
    def api_url(self) -> str:
        return self.base + "/api/"

    def response_url(self, name: str) -> str:
        return f"{self.base}/response/{name}"

    def fail_next(
        self, method: str, status: int = 200, headers: dict[str, str] | None = None, **payload: Any
    ) -> None:
        with self._lock:
            self._failures.setdefault(method, []).append((status, headers or {}, {"ok": False, **payload}))

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self._failures.clear()
            self._response_posts.clear()
            self.not_member_of.clear()
            self._drops.clear()
            self.delays.clear()

    # -- reading -----------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.calls_to(method)
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise AssertionError(
            f"expected {count} {method} call(s), got {len(self.calls_to(method))}: {self.calls}"
        )

    # -- answering ---------------------------------------------------------------

    def _answer(
        self, method: str, body: dict[str, Any], path: str = ""
    ) -> tuple[int, dict[str, str], dict[str, Any]]:
        with self._lock:
            queued = self._failures.get(method)
            if queued:
                return queued.pop(0)
            if method == "response_url":
                self._response_posts[path] += 1
                if self._response_posts[path] > 5:
                    return 404, {}, {"ok": False, "error": "used_url"}
                return 200, {}, {"ok": True}
            if (
                method in ("chat.postMessage", "chat.postEphemeral")
                and body.get("channel") in self.not_member_of
            ):
                return 200, {}, {"ok": False, "error": "not_in_channel"}
        if method == "auth.test":
            return (
                200,
                {},
                {
                    "ok": True,
                    "url": "https://standin.slack.test/",
                    "team": "Stand-in",
                    "user": "statebot",
                    "team_id": TEAM_ID,
                    "user_id": BOT_USER_ID,
                    "bot_id": BOT_ID,
                },
            )
        if method == "oauth.v2.access":
            return (
                200,
                {},
                {
                    "ok": True,
                    "app_id": "A0000APP1",
                    "authed_user": {"id": "U0INSTALLER"},
                    "scope": "app_mentions:read,chat:write,commands,im:history",
                    "token_type": "bot",
                    "access_token": INSTALLED_BOT_TOKEN,
                    "bot_user_id": "UBOTUSER2",
                    "team": {"id": "T000SECOND", "name": "Second workspace"},
                    "enterprise": None,
                    "is_enterprise_install": False,
                },
            )
        if method == "apps.connections.open" and self.socket_url:
            return 200, {}, {"ok": True, "url": self.socket_url}
        if method == "chat.postMessage":
            ts = f"{time.time():.6f}"
            return 200, {}, {"ok": True, "channel": body.get("channel"), "ts": ts, "message": {"ts": ts}}
        if method == "chat.postEphemeral":
            return 200, {}, {"ok": True, "message_ts": f"{time.time():.6f}"}
        if method.startswith("views."):
            view = body.get("view")
            if isinstance(view, str):
                view = json.loads(view)
            if not isinstance(view, dict) or len(view.get("blocks", [])) > 100:
                return 200, {}, {"ok": False, "error": "invalid_arguments"}
            return 200, {}, {"ok": True, "view": {"id": "V" + uuid.uuid4().hex[:10].upper(), **view}}
        return 200, {}, {"ok": True}
