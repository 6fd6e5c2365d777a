"""Under slowness and faults, in-process: Slack's Web API played by a stand-in that misbehaves on
purpose, and a database that is locked or unreachable."""

from __future__ import annotations

import json
import threading
import time

import pytest
from slack_bolt.context.ack.ack import Ack
from sqlalchemy import select

from bot.db.database import make_engine, open_database
from bot.db.schema import feedback
from bot.db.store import Store
from bot.slack.recovery import Recovery
from tests.support.chat import new_chat
from tests.support.faults import closed_port_url, sqlite_write_lock
from tests.support.signed import SIGNING_SECRET, event_envelope, mention
from tests.support.standin import SlackStandIn


@pytest.fixture
def own_standin():
    """A stand-in of the test's own, for faults that would upset the shared one."""
    with SlackStandIn() as server:
        yield server


@pytest.fixture
def sqlite_path(tmp_path):
    return tmp_path / "bot.sqlite3"


@pytest.fixture
def database(sqlite_path):
    engine = open_database(f"sqlite:///{sqlite_path}")
    yield engine
    engine.dispose()


def counters(database) -> dict[str, int]:
    return Store(database).stats().counters


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


# -- 1. acknowledgements never wait behind replies -------------------------------------


def test_state_and_clicks_are_acknowledged_at_once_while_slack_takes_seconds_per_post(
    own_standin, answerer, database
):
    chat = new_chat(own_standin, answerer, database, run_now=False)  # the real answering pools
    own_standin.delays["chat.postMessage"] = 2.0
    for n in range(40):  # more replies waiting on Slack than there are reply threads
        response, seconds = timed(lambda n=n: chat.event(mention(f"civil rights in Arkansas {n}")))
        assert response.status == 200 and seconds < 1.0
    response, seconds = timed(lambda: chat.command_response("wv 12"))
    assert response.status == 200 and seconds < 1.0
    assert json.loads(response.body)["blocks"][0]["text"]["text"].startswith("*West Virginia · Q12")
    for action_id, value in [("more_answers", "AR-15,AR-5"), ("feedback_helpful", "AR-8")]:
        response, seconds = timed(lambda a=action_id, v=value: chat.click(a, v))
        assert response.status == 200 and seconds < 1.0
    own_standin.wait_for("chat.postMessage", 41, timeout=20)


def test_a_command_or_click_finding_every_prompt_thread_taken_is_refused_at_once(
    own_standin, answerer, database, monkeypatch
):
    chat = new_chat(own_standin, answerer, database, run_now=False)
    lanes = chat.app.listener_runner.listener_executor
    monkeypatch.setattr(lanes, "room", lambda lane: 0 if lane == "prompt" else 10)
    response, seconds = timed(lambda: chat.command_response("wv 12"))
    assert response.status == 503 and seconds < 0.5
    assert chat.click("feedback_helpful", "AR-8").status == 503


def test_a_full_reply_queue_parks_the_event_and_another_round_answers_it(
    own_standin, answerer, database, monkeypatch
):
    chat = new_chat(own_standin, answerer, database)
    lanes = chat.app.listener_runner.listener_executor
    monkeypatch.setattr(lanes, "room", lambda lane: 0 if lane == "reply" else 10)
    event = mention("civil rights in Arkansas")
    assert chat.event(event).status == 200  # acknowledged: it is safe in the database
    assert own_standin.calls_to("chat.postMessage") == []
    monkeypatch.undo()
    store = Store(database, SIGNING_SECRET.encode())
    assert Recovery(chat.app, store).run_once() == 1
    [post] = own_standin.wait_for("chat.postMessage")
    assert post.body["thread_ts"] == event["ts"]
    assert Recovery(chat.app, store).run_once() == 0  # answered once, claim closed


def test_an_event_claimed_by_a_process_that_died_is_answered_by_another(own_standin, answerer, database):
    chat = new_chat(own_standin, answerer, database)
    event = mention("civil rights in Arkansas")
    body = json.dumps(event_envelope(event))
    dead = Store(database, SIGNING_SECRET.encode())
    dead._owner = ("a-dead-worker", dead._owner[1])
    dead.claim(f"message:{event['channel']}:{event['ts']}", payload=body)
    assert chat.send(body, "application/json").status == 200  # Slack's re-send: the claim is held
    assert own_standin.calls_to("chat.postMessage") == []
    store = Store(database, SIGNING_SECRET.encode())
    store.lease = dead.lease = -store.lease  # as if its lease ran out
    dead.renew_leases()
    assert Recovery(chat.app, store).run_once() == 1
    [post] = own_standin.wait_for("chat.postMessage")
    assert post.body["thread_ts"] == event["ts"]


# -- 2. a click is stored and acknowledged, or not acknowledged -------------------------


def test_a_vote_is_committed_before_the_click_is_acknowledged(chat, monkeypatch):
    order: list[str] = []
    record_vote = Store.record_vote

    def recording_vote(self, *args, **kwargs):
        record_vote(self, *args, **kwargs)  # returns once the transaction is committed
        order.append("vote committed")

    real_ack = Ack.__call__

    def recording_ack(self, *args, **kwargs):
        order.append("ack")
        return real_ack(self, *args, **kwargs)

    monkeypatch.setattr(Store, "record_vote", recording_vote)
    monkeypatch.setattr(Ack, "__call__", recording_ack)
    assert chat.click("feedback_helpful", "AR-8").status == 200
    assert order == ["vote committed", "ack"]


def test_a_vote_the_locked_database_cannot_store_is_not_acknowledged(
    own_standin, answerer, database, sqlite_path
):
    chat = new_chat(own_standin, answerer, database)
    with sqlite_write_lock(str(sqlite_path)):
        response, seconds = timed(lambda: chat.click("feedback_helpful", "AR-8"))
    assert response.status == 503 and seconds < 3.0  # Slack shows the person the click failed
    [note] = own_standin.calls_to("chat.postEphemeral")
    assert "could not record your vote" in note.body["text"]
    with database.connect() as connection:
        assert connection.execute(select(feedback)).all() == []
    assert chat.click("feedback_helpful", "AR-8").status == 200  # once the lock is gone
    with database.connect() as connection:
        assert len(connection.execute(select(feedback)).all()) == 1


def test_a_vote_slower_than_the_ack_deadline_is_not_acknowledged_by_a_catch_all(
    own_standin, answerer, database, monkeypatch
):
    chat = new_chat(own_standin, answerer, database, run_now=False)
    store = Store(database, SIGNING_SECRET.encode())
    original = Store.record_vote
    stored = threading.Event()

    def slow_vote(self, *args, **kwargs):
        time.sleep(3.5)  # a database that answers, but too late
        original(self, *args, **kwargs)
        stored.set()

    monkeypatch.setattr(Store, "record_vote", slow_vote)
    response = chat.click("feedback_helpful", "AR-8")
    assert response.status == 503  # not the catch-all's 200
    assert stored.wait(5)
    assert store.stats().votes == {"AR-8": (1, 0)}  # stored, unacknowledged: a second click is harmless


def test_a_feedback_value_that_is_not_a_known_ref_is_never_echoed(chat):
    chat.click("feedback_helpful", "<b>not a ref</b> & more")
    [note] = chat.posts("chat.postEphemeral")
    assert "not a ref" not in json.dumps(note.body) and "no longer in the corpus" in note.body["text"]


# -- 3. a database that is down: events wait for Slack's re-send, commands never wait ----


def test_with_the_database_unreachable_events_are_not_acknowledged_and_commands_are(own_standin, answerer):
    engine = make_engine(closed_port_url())
    chat = new_chat(own_standin, answerer, engine, QUERY_LOG="on")
    response, seconds = timed(lambda: chat.event(mention("civil rights in Arkansas")))
    assert response.status == 503 and seconds < 1.0  # not claimed: Slack sends it again later
    for text in [
        "",
        "wv 12",
        "wv training",
    ]:  # the last one would be logged: after the ack, and it fails quietly
        response, seconds = timed(lambda t=text: chat.command_response(t))
        assert response.status == 200 and seconds < 1.0


def test_with_sqlite_locked_state_is_answered_at_once(own_standin, answerer, database, sqlite_path):
    chat = new_chat(own_standin, answerer, database, run_now=False, QUERY_LOG="on")
    with sqlite_write_lock(str(sqlite_path)):
        response, seconds = timed(lambda: chat.command_response("wv training"))
    assert response.status == 200 and seconds < 1.0


# -- 5. a post Slack took is not sent twice -----------------------------------------------


def test_a_post_slack_took_before_the_connection_broke_is_not_sent_again(own_standin, answerer, database):
    chat = new_chat(own_standin, answerer, database)
    own_standin.drop_after_accepting("chat.postMessage")
    chat.event(mention("civil rights in Arkansas"))
    assert len(own_standin.calls_to("chat.postMessage")) == 1
    assert counters(database) == {"replies_unconfirmed": 1}


# -- 7. replies are retried within a bounded time, and what is dropped is counted --------


@pytest.mark.parametrize("status", [500, 503])
def test_a_server_error_from_slack_is_retried(own_standin, answerer, database, status):
    chat = new_chat(own_standin, answerer, database)
    own_standin.fail_next("chat.postMessage", status=status, error="internal_error")
    own_standin.fail_next("chat.postMessage", status=status, error="internal_error")
    chat.event(mention("civil rights in Arkansas"))
    assert [c.body.get("channel") for c in own_standin.calls_to("chat.postMessage")] == ["C0000CHAN"] * 3
    assert counters(database) == {}


def test_more_than_three_429s_in_a_row_are_still_retried(own_standin, answerer, database):
    chat = new_chat(own_standin, answerer, database)
    for _ in range(5):
        own_standin.fail_next(
            "chat.postMessage", status=429, headers={"Retry-After": "0"}, error="ratelimited"
        )
    chat.event(mention("civil rights in Arkansas"))
    assert len(own_standin.calls_to("chat.postMessage")) == 6
    assert counters(database) == {}


def test_refused_connections_for_a_while_are_retried(own_standin, answerer, database):
    chat = new_chat(own_standin, answerer, database)
    own_standin.refuse_connections(3.0)  # longer than the stock handler retries for
    event = mention("civil rights in Arkansas")
    chat.event(event)
    [post] = own_standin.calls_to("chat.postMessage")
    assert post.body["thread_ts"] == event["ts"]


def test_a_retry_after_longer_than_the_budget_is_not_waited_for_and_is_counted(
    own_standin, answerer, database, caplog
):
    chat = new_chat(own_standin, answerer, database)
    own_standin.fail_next("chat.postMessage", status=429, headers={"Retry-After": "120"}, error="ratelimited")
    _, seconds = timed(lambda: chat.event(mention("civil rights in Arkansas")))
    assert seconds < 2.0
    assert counters(database) == {"replies_dropped": 1}
    assert "replies_dropped" in caplog.text


def test_the_dropped_count_is_in_stats(database_url, tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    engine = open_database(database_url)
    Store(engine).count("replies_dropped", 3)
    engine.dispose()
    done = subprocess.run(
        [sys.executable, "-m", "bot", "stats"],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": database_url},
    )
    assert done.returncode == 0, done.stderr
    assert "dropped (Slack never got them): 3" in done.stdout


def test_the_retry_budget_bounds_a_slack_that_keeps_failing(own_standin):
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    from bot.slack.retries import SlackRetries

    client = WebClient(
        token="xoxb-x", base_url=own_standin.api_url, retry_handlers=[SlackRetries(budget=2.0)]
    )
    for _ in range(20):
        own_standin.fail_next("chat.postMessage", status=503, error="service_unavailable")
    started = time.monotonic()
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="C1", text="hi")
    assert time.monotonic() - started < 2.5
    assert 2 <= len(own_standin.calls_to("chat.postMessage")) < 6


def test_a_click_still_posting_after_its_ack_no_longer_holds_the_prompt_lane():
    from slack_bolt import BoltContext

    from bot.slack.lanes import Lanes

    lanes = Lanes(prompt_threads=1, after_ack_threads=1, reply_threads=1, reply_queue=0)
    context = BoltContext()
    posting, done = threading.Event(), threading.Event()

    def click_listener():
        context.ack()
        posting.set()
        done.wait(5)  # its reply, on a slow Slack

    lanes.admit({"type": "block_actions"}, context, lambda: lanes.submit(click_listener))
    assert posting.wait(5)
    assert lanes.room("prompt") == 1  # acknowledged: room for the next command or click
    second = BoltContext()
    lanes.admit({"type": "block_actions"}, second, lambda: lanes.submit(lambda: done.wait(5)))
    assert lanes.room("prompt") == 0  # one awaits its ack, and the pool is full
    assert lanes.admit({"type": "block_actions"}, BoltContext(), lambda: None).status == 503
    done.set()
