"""Running as a service: several processes on one database, signals, privacy, several workspaces."""

from __future__ import annotations

import json
import os
import re
import signal
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import MetaData, create_engine, select

from bot.db.database import normalize_url
from bot.db.store import Store
from tests.support.servers import start_server
from tests.support.signed import SIGNING_SECRET, dm, mention, send_action, send_command, send_event
from tests.support.standin import INSTALLED_BOT_TOKEN, SlackStandIn


@pytest.fixture
def standin():
    with SlackStandIn() as server:
        yield server


def dump_database(database_url: str) -> str:
    """Every row of every table, as text."""
    engine = create_engine(normalize_url(database_url))
    tables = MetaData()
    tables.reflect(engine)
    rows = []
    with engine.connect() as connection:
        for table in tables.sorted_tables:
            rows += [f"{table.name}: {dict(row)}" for row in connection.execute(select(table)).mappings()]
    engine.dispose()
    return "\n".join(rows)


def test_two_processes_sharing_a_database_answer_an_event_once(standin, database_url, tmp_path):
    first = start_server(standin.api_url, tmp_path / "a", database_url=database_url)
    second = start_server(standin.api_url, tmp_path / "b", database_url=database_url)
    try:
        for n in range(5):
            event = mention(f"civil rights in Arkansas {n}")
            threads = [
                threading.Thread(
                    target=send_event, args=(server.events_url, event), kwargs={"event_id": f"EvTwo{n}"}
                )
                for server in (first, second, first, second)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        standin.wait_for("chat.postMessage", 5)
        time.sleep(1)
        posts = standin.calls_to("chat.postMessage")
        assert len(posts) == 5
        assert len({p.body["thread_ts"] for p in posts}) == 5
    finally:
        first.stop()
        second.stop()


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_every_acknowledged_feedback_click_survives_the_process_being_stopped(
    standin, database_url, tmp_path, sig
):
    server = start_server(standin.api_url, tmp_path, database_url=database_url, WEB_CONCURRENCY="2")
    acknowledged: list[tuple[str, str]] = []
    stop = threading.Event()

    def click(worker: int) -> None:
        n = 0
        while not stop.is_set() and n < 400:
            user, ref = f"U{worker:02d}{n:05d}", f"AR-{n % 20 + 1}"
            try:
                sent = send_action(
                    server.events_url,
                    "feedback_helpful",
                    ref,
                    standin.response_url("fb"),
                    user={"id": user, "team_id": "T0000TEAM"},
                )
            except OSError:
                return  # the server is gone
            if sent.status == 200:
                acknowledged.append((user, ref))
            n += 1

    threads = [threading.Thread(target=click, args=(w,)) for w in range(6)]
    for t in threads:
        t.start()
    time.sleep(2.0)
    server.signal(sig)
    stop.set()
    for t in threads:
        t.join(timeout=30)
    server.process.wait(timeout=30)
    assert len(acknowledged) > 20

    engine = create_engine(normalize_url(database_url))
    store = Store(engine, SIGNING_SECRET.encode())
    from bot.db.schema import feedback

    with engine.connect() as connection:
        stored = {
            (row.voter, row.ref) for row in connection.execute(select(feedback.c.voter, feedback.c.ref))
        }
    engine.dispose()
    missing = [(u, r) for u, r in acknowledged if (store.voter_hash("T0000TEAM", u, r), r) not in stored]
    assert missing == []
    if sig == signal.SIGTERM:
        assert server.process.returncode == 0  # drained and stopped cleanly


def test_nothing_identifying_is_stored_when_query_logging_is_off(standin, database_url, tmp_path):
    server = start_server(standin.api_url, tmp_path, database_url=database_url)
    try:
        send_event(server.events_url, mention("How does Arkansas protect civil rights?", channel="C0SECRET1"))
        send_event(server.events_url, dm("training in WV", channel="D0SECRET2", user="U0SECRET3"))
        send_command(server.events_url, "wv training", standin.response_url("cmd"))
        send_action(
            server.events_url,
            "feedback_helpful",
            "AR-8",
            standin.response_url("fb"),
            user={"id": "U0SECRET4", "username": "alice.secret", "team_id": "T0000TEAM"},
        )
        send_action(server.events_url, "feedback_not_helpful", "WV-8", standin.response_url("fb"))
        standin.wait_for("chat.postMessage", 2)
        standin.wait_for("chat.postEphemeral", 2)
    finally:
        server.stop()
    dump = dump_database(database_url)
    assert "AR-8" in dump and "WV-8" in dump  # the feedback is there...
    for identifying in [
        "U0000ASKER",
        "U0000CLICK",
        "U0SECRET3",
        "U0SECRET4",
        "alice.secret",
        "clicker",
        "asker",
        "C0SECRET1",
        "D0SECRET2",
        "C0000CHAN",
        "civil rights",
        "training",
    ]:
        assert identifying not in dump  # ...and nothing about who, where or what was asked


def test_query_logging_on_keeps_questions_without_ids(standin, tmp_path):
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    server = start_server(standin.api_url, tmp_path, database_url=url, QUERY_LOG="on", QUERY_LOG_DAYS="7")
    try:
        send_event(server.events_url, mention("a pizza recipe please", channel="C0SECRET1"))
        standin.wait_for("chat.postMessage")
        time.sleep(0.3)
    finally:
        server.stop()
    dump = dump_database(url)
    assert "a pizza recipe please" in dump and "C0SECRET1" not in dump and "U0000ASKER" not in dump


def test_logs_have_a_request_id_and_latency_and_no_token_or_question(standin, tmp_path):
    server = start_server(standin.api_url, tmp_path)
    try:
        send_event(server.events_url, mention("How does Arkansas protect civil rights?"))
        standin.wait_for("chat.postMessage")
        time.sleep(0.3)
    finally:
        server.stop()
    log = server.log()
    line = next(line for line in log.splitlines() if "kind=event_callback:app_mention" in line)
    assert re.search(r"request=[0-9a-f]{12} .* status=200 ms=\d+\.\d", line)
    assert "xoxb" not in log and SIGNING_SECRET not in log and "civil rights" not in log


def test_oauth_install_flow_keeps_the_installation_in_the_database(standin, database_url, tmp_path):
    server = start_server(
        standin.api_url,
        tmp_path,
        database_url=database_url,
        token=False,
        SLACK_CLIENT_ID="111.222",
        SLACK_CLIENT_SECRET="client-secret",
        SLACK_STATE_SECRET="state-secret-abc",
    )
    try:
        # The browser's side, by hand: Bolt's state cookie is Secure, which a cookie jar keeps off plain http.
        with urllib.request.urlopen(server.base + "/slack/install") as page:
            body, cookie = page.read().decode(), page.headers["Set-Cookie"].split(";")[0]
        authorize = re.search(r'https://slack\.com/oauth/v2/authorize\?[^"\']+', body).group(0)
        query = parse_qs(urlparse(authorize.replace("&amp;", "&")).query)
        assert query["client_id"] == ["111.222"]
        state = query["state"][0]
        assert cookie == f"slack-app-oauth-state={state}"

        def callback(code: str, state: str) -> int:
            request = urllib.request.Request(
                server.base + f"/slack/oauth_redirect?code={code}&state={state}",
                headers={"Cookie": f"slack-app-oauth-state={state}"},
            )
            try:
                with urllib.request.urlopen(request) as response:
                    return response.status
            except urllib.error.HTTPError as err:
                return err.code

        forged = state.rpartition(".")[0] + ".0000"
        assert callback("abc", forged) in (400, 401)  # a state not signed with SLACK_STATE_SECRET
        assert standin.calls_to("oauth.v2.access") == []
        assert callback("the-code", state) == 200
        [exchange] = standin.calls_to("oauth.v2.access")
        assert exchange.body["code"] == "the-code"

        dump = dump_database(database_url)
        assert INSTALLED_BOT_TOKEN in dump and "T000SECOND" in dump
        assert "U0INSTALLER" not in dump  # who installed it is not kept

        # the new workspace is served with its own token
        event = mention("civil rights in Arkansas")
        from tests.support.signed import event_envelope, send

        envelope = event_envelope(event)
        envelope["team_id"] = "T000SECOND"
        envelope["authorizations"] = [{"team_id": "T000SECOND", "user_id": "UBOTUSER2", "is_bot": True}]
        assert send(server.events_url, json.dumps(envelope), "application/json").status == 200
        [post] = standin.wait_for("chat.postMessage")
        assert post.headers["Authorization"] == f"Bearer {INSTALLED_BOT_TOKEN}"
    finally:
        server.stop()


def test_web_concurrency_sets_the_number_of_worker_processes(standin, tmp_path):
    server = start_server(standin.api_url, tmp_path, WEB_CONCURRENCY="3")
    try:
        deadline = time.monotonic() + 10
        while server.log().count("Booting worker") < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert server.log().count("Booting worker") == 3
    finally:
        server.stop()


def test_sigterm_lets_claimed_events_finish_their_reply(standin, tmp_path):
    server = start_server(standin.api_url, tmp_path, WEB_CONCURRENCY="2")
    standin.post_delay = 1.0  # replies are still on their way when SIGTERM arrives
    acknowledged = []

    def ask(n: int) -> None:
        event = mention(f"civil rights in Arkansas, take {n}")
        if send_event(server.events_url, event, event_id=f"EvDrain{n}").status == 200:
            acknowledged.append(event["ts"])

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    server.signal(signal.SIGTERM)  # right after the acknowledgements, before the replies are out
    assert standin.calls_to("chat.postMessage") == []
    server.process.wait(timeout=30)
    assert server.process.returncode == 0
    assert len(acknowledged) == 30
    assert sorted(p.body["thread_ts"] for p in standin.calls_to("chat.postMessage")) == sorted(acknowledged)


def worker_pids(server) -> list[int]:
    pid = server.process.pid
    return [int(p) for p in open(f"/proc/{pid}/task/{pid}/children").read().split()]


def test_a_killed_worker_loses_no_claimed_event(standin, database_url, tmp_path):
    server = start_server(standin.api_url, tmp_path, database_url=database_url, WEB_CONCURRENCY="2")
    standin.post_delay = 1.0  # replies are on the wire or queued when the worker dies
    acknowledged = []
    try:

        def ask(n: int) -> None:
            event = mention(f"civil rights in Arkansas, take {n}")
            if send_event(server.events_url, event, event_id=f"EvKill{n}").status == 200:
                acknowledged.append(event["ts"])

        threads = [threading.Thread(target=ask, args=(n,)) for n in range(160)]  # more than its reply threads
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(acknowledged) == 160
        # every worker: the master may have sent all 160 to one of them, so killing one alone
        # could kill the idle one; gunicorn starts others in their place
        for pid in worker_pids(server):
            os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            answered = {p.body["thread_ts"] for p in standin.calls_to("chat.postMessage")}
            if answered >= set(acknowledged):
                break
            time.sleep(0.2)
        time.sleep(1.5)  # any second post
    finally:
        server.stop()
    posts = standin.calls_to("chat.postMessage")
    assert {p.body["thread_ts"] for p in posts} == set(acknowledged)  # none lost
    by_thread: dict[str, list] = {}
    for post in posts:
        by_thread.setdefault(post.body["thread_ts"], []).append(post)
    twice = [calls for calls in by_thread.values() if len(calls) > 1]
    # Posted twice only where the dead worker's request had already reached Slack when it died
    # (it could not know): every such thread has exactly one post whose sender was gone.
    assert all(len(calls) == 2 and sum(c.sender_gone for c in calls) == 1 for calls in twice)
    assert "answering an event whose first process stopped" in server.log()
