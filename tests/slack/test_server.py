"""What only a running server shows: `python -m bot serve` over real HTTP, Slack played by a local stand-in.

Most behaviour is tested in-process (test_events, test_commands, test_actions);
these check the server itself: the health check, the WSGI wiring, signatures
checked over HTTP, answering after the acknowledgement, and its log.
"""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.support.servers import start_server
from tests.support.signed import (
    BOT_TOKEN,
    SIGNING_SECRET,
    event_envelope,
    mention,
    send,
    send_command,
    send_event,
)


@pytest.fixture(scope="module")
def server(standin, tmp_path_factory):
    running = start_server(standin.api_url, tmp_path_factory.mktemp("serve"))
    yield running
    running.stop()


@pytest.fixture
def app_url(server, standin):
    standin.reset()
    return server.events_url


def test_health_check_is_up(server):
    with urllib.request.urlopen(server.base + "/healthz") as response:
        assert response.status == 200 and json.loads(response.read()) == {"ok": True, "database": "ok"}


def test_a_mention_is_acknowledged_then_answered_in_its_thread(app_url, standin):
    event = mention("How does Arkansas protect civil rights during joint operations?")
    assert send_event(app_url, event).status == 200
    [call] = standin.wait_for("chat.postMessage")
    assert call.body["thread_ts"] == event["ts"]
    assert call.body["blocks"][0]["text"]["text"].startswith("*Arkansas · Q8 · AR-8*")


def test_state_command_is_answered_in_the_acknowledgement(app_url, standin):
    sent = send_command(app_url, "wv 12", standin.response_url("cmd"))
    assert sent.status == 200
    assert sent.json()["blocks"][0]["text"]["text"].startswith("*West Virginia · Q12 · WV-12*")


def test_a_forged_signature_gets_401_over_http(app_url, standin):
    body = json.dumps(event_envelope(mention("civil rights in Arkansas")))
    assert send(app_url, body, "application/json", secret="not-the-secret").status == 401


def test_neither_the_token_nor_the_question_reaches_the_log(app_url, standin, server):
    send_event(app_url, mention("racial profiling in Arkansas, asked with a marker zq-481"))
    standin.wait_for("chat.postMessage")
    send_command(app_url, "wv zq-482", standin.response_url("cmd"))
    log = server.log()
    assert "request=" in log  # the log is being written
    assert BOT_TOKEN not in log and SIGNING_SECRET not in log
    assert "zq-481" not in log and "zq-482" not in log and "racial profiling" not in log
