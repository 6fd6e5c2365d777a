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


def test_the_server_records_each_pages_as_of_date_at_start_up(server, app_url, standin):
    from datetime import date

    from sqlalchemy import create_engine, select

    from bot.db.schema import pages

    engine = create_engine(f"sqlite:///{server.log_path.parent / 'bot.sqlite3'}")
    with engine.connect() as connection:
        recorded = {row.state: row.first_seen for row in connection.execute(select(pages))}
    engine.dispose()
    assert recorded == {"AR": date.today(), "WV": date.today()}
    event = {"type": "app_home_opened", "user": "U0000HOME", "tab": "home", "event_ts": "1.2"}
    assert send_event(app_url, event).status == 200
    [publish] = standin.wait_for("views.publish")
    assert f"as of {date.today().isoformat()}" in json.dumps(publish.body["view"], ensure_ascii=False)


def test_state_and_clicks_stay_within_3_s_over_http_while_slack_is_slow(app_url, standin):
    import threading
    import time

    from tests.support.signed import send_action

    standin.delays["chat.postMessage"] = 2.0
    try:
        threads = [
            threading.Thread(target=send_event, args=(app_url, mention(f"civil rights in Arkansas {n}")))
            for n in range(60)  # more replies waiting on Slack than the reply threads
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for _ in range(3):
            started = time.monotonic()
            assert send_command(app_url, "wv 12", standin.response_url("cmd")).status == 200
            sent = send_action(app_url, "feedback_helpful", "AR-8", standin.response_url("fb"))
            assert sent.status == 200 and time.monotonic() - started < 3.0
        standin.wait_for("chat.postMessage", 60, timeout=30)
    finally:
        standin.reset()


def raw_request(server, head: bytes, body: bytes) -> tuple[bytes, float]:
    """Send a request by hand; what came back before the server closed the connection, and when."""
    import socket
    import time
    from urllib.parse import urlparse

    url = urlparse(server.base)
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        started = time.monotonic()
        sock.sendall(head + body)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
        return received, time.monotonic() - started


def test_a_huge_body_is_refused_from_its_length_and_the_connection_closed(server):
    head = (
        b"POST /slack/events HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n"
        b"Content-Length: 104857600\r\n\r\n"
    )
    received, seconds = raw_request(server, head, b"x" * 1000)
    assert received.startswith(b"HTTP/1.1 413") and seconds < 3.0


def test_a_body_that_stops_coming_is_given_up_on(server):
    head = b"POST /slack/events HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
    received, seconds = raw_request(server, head, b"{" * 10)
    assert received.startswith(b"HTTP/1.1 408") and seconds < 4.0
