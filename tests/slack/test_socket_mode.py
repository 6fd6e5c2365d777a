"""Socket Mode: the app connects to a local websocket server standing in for Slack's."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.server import serve

from tests.support.signed import BOT_TOKEN, event_envelope, mention
from tests.support.standin import SlackStandIn

ROOT = Path(__file__).resolve().parents[2]


class SocketStandIn:
    """Sends envelopes to the connected app and collects its acknowledgements."""

    def __init__(self) -> None:
        self.outbox: queue.Queue[dict] = queue.Queue()
        self.acks: queue.Queue[dict] = queue.Queue()
        self.connected = threading.Event()
        self.server = serve(self._handle, "127.0.0.1", 0)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.server.socket.getsockname()[1]}/link"

    def _handle(self, websocket) -> None:
        websocket.send(
            json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A1"}})
        )
        self.connected.set()

        def read() -> None:
            try:
                for raw in websocket:
                    self.acks.put(json.loads(raw))
            except ConnectionClosed:
                pass  # the app went away at the end of the test

        threading.Thread(target=read, daemon=True).start()
        while True:
            item = self.outbox.get()
            if item is None:
                return
            websocket.send(json.dumps(item))


@pytest.fixture
def socket_app(tmp_path):
    with SlackStandIn() as standin:
        sockets = SocketStandIn()
        standin.socket_url = sockets.url
        env = {
            **os.environ,
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_APP_TOKEN": "xapp-test-token",
            "SLACK_API_URL": standin.api_url,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        }
        env.pop("SLACK_SIGNING_SECRET", None)
        log = (tmp_path / "socket.log").open("w")
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            assert sockets.connected.wait(20), (tmp_path / "socket.log").read_text()
            yield standin, sockets
        finally:
            sockets.outbox.put(None)
            process.terminate()
            process.wait(timeout=10)
            sockets.server.shutdown()


def test_socket_mode_answers_a_mention_and_a_slash_command(socket_app):
    standin, sockets = socket_app
    event = mention("How does Arkansas protect civil rights during joint operations?")
    sockets.outbox.put(
        {
            "envelope_id": "env-1",
            "type": "events_api",
            "accepts_response_payload": False,
            "payload": event_envelope(event),
        }
    )
    assert sockets.acks.get(timeout=10)["envelope_id"] == "env-1"
    [call] = standin.wait_for("chat.postMessage")
    assert call.body["thread_ts"] == event["ts"]
    assert call.body["blocks"][0]["text"]["text"].startswith("*Arkansas · Q8 · AR-8*")
    assert standin.calls_to("apps.connections.open")[0].headers["Authorization"] == "Bearer xapp-test-token"

    command = {
        "command": "/state",
        "text": "wv 12",
        "user_id": "U1",
        "channel_id": "C1",
        "team_id": "T0000TEAM",
        "response_url": standin.response_url("cmd"),
        "trigger_id": "1.2.3",
        "api_app_id": "A1",
    }
    sockets.outbox.put(
        {
            "envelope_id": "env-2",
            "type": "slash_commands",
            "accepts_response_payload": True,
            "payload": command,
        }
    )
    ack = sockets.acks.get(timeout=10)
    assert ack["envelope_id"] == "env-2"
    assert ack["payload"]["blocks"][0]["text"]["text"].startswith("*West Virginia · Q12 · WV-12*")
