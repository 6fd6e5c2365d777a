"""The database misbehaving: every wait on it is bounded, and claims stay open until the reply is out."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import SQLAlchemyError

from bot.db.database import make_engine, upgrade
from bot.db.health import DatabaseHealth
from bot.db.schema import claimed_events
from bot.db.store import MAX_ATTEMPTS, Store, now
from tests.conftest import POSTGRES_URL, _postgres_admin
from tests.support.faults import FreezingProxy, closed_port_url, silent_server, sqlite_write_lock

SECRET = b"server-secret"


def seconds_to_fail(call) -> float:
    started = time.monotonic()
    with pytest.raises(SQLAlchemyError):
        call()
    return time.monotonic() - started


def test_a_held_sqlite_write_lock_fails_a_write_in_about_two_seconds(tmp_path):
    path = tmp_path / "bot.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    store = Store(engine, SECRET)
    with sqlite_write_lock(str(path)):
        assert 1.5 < seconds_to_fail(lambda: store.claim("event:Ev1")) < 3.0
        assert DatabaseHealth(engine, within=5).status() == "locked"
    assert store.claim("event:Ev1") is True  # and all is well once it is released
    assert DatabaseHealth(engine).status() == "ok"


def test_postgresql_on_a_closed_port_fails_at_once():
    engine = make_engine(closed_port_url())
    assert seconds_to_fail(lambda: Store(engine, SECRET).claim("event:Ev1")) < 1.0
    assert DatabaseHealth(engine).status() == "unreachable"


def test_a_postgresql_that_accepts_and_never_answers_fails_within_the_connect_timeout():
    with silent_server() as url:
        engine = make_engine(url)
        assert seconds_to_fail(lambda: Store(engine, SECRET).claim("event:Ev1")) < 3.5
        started = time.monotonic()
        assert DatabaseHealth(engine, within=1.0).status() == "not answering"
        assert time.monotonic() - started < 1.5  # /healthz does not hang with it


def test_a_postgresql_that_hangs_on_open_connections_is_cut_off_by_the_watchdog():
    _postgres_admin().dispose()  # skips (or fails in CI) without PostgreSQL
    from sqlalchemy.engine import make_url

    target = make_url(POSTGRES_URL)
    proxy = FreezingProxy(target.host, target.port)
    engine = make_engine(target.set(port=proxy.port).render_as_string(hide_password=False))
    try:
        upgrade(engine)
        store = Store(engine, SECRET)
        assert store.claim("event:before") is True  # connections are open and pooled
        proxy.freeze()
        # pre-ping, the statement: each would wait forever on a socket nothing comes back on
        assert seconds_to_fail(lambda: store.claim("event:frozen")) < 6.0
        proxy.thaw()
        with engine.begin() as connection:
            assert connection.execute(text("SELECT 1")).scalar() == 1  # a new connection works again
    finally:
        proxy.close()
        engine.dispose()


# -- claims: open until the reply is out ---------------------------------------------


def test_a_claim_is_open_until_finished_and_then_final(database):
    store = Store(database, SECRET)
    assert store.claim("event:Ev1", payload='{"event": 1}') is True
    assert store.claim("event:Ev1") is False  # held by a live process
    store.finish("event:Ev1")
    with database.begin() as connection:  # even long after, a finished claim is never taken over
        connection.execute(update(claimed_events).values(claimed_at=now() - timedelta(hours=1)))
    assert store.claim("event:Ev1") is False
    assert store.take_over_expired(limit=10) == []
    with database.connect() as connection:
        [row] = connection.execute(select(claimed_events)).mappings().all()
    assert row["payload"] is None and row["lease_until"] is None and row["owner"] is None


def expire_all(database) -> None:
    with database.begin() as connection:
        connection.execute(
            update(claimed_events)
            .where(claimed_events.c.lease_until.is_not(None))
            .values(lease_until=now() - timedelta(seconds=1))
        )


def test_a_claim_whose_holder_stopped_is_taken_over_with_its_event(database):
    dead, alive = Store(database, SECRET), Store(database, SECRET)
    dead._owner = ("dead-process", dead._owner[1] or __import__("os").getpid())
    assert dead.claim("message:C1:1.2", payload='{"the": "event"}') is True
    assert alive.renew_leases() == 0  # not its claim
    expire_all(database)
    assert alive.take_over_expired(limit=10) == ['{"the": "event"}']
    assert alive.take_over_expired(limit=10) == []  # now held, and renewed, by the live one
    assert alive.renew_leases() == 1
    with database.connect() as connection:
        sealed = connection.execute(select(claimed_events.c.payload)).scalar()
    assert "event" not in sealed  # kept encrypted under the server's secret


def test_a_re_sent_event_takes_over_an_expired_claim(database):
    store = Store(database, SECRET)
    assert store.claim("event:Ev1") is True
    expire_all(database)
    assert store.claim("event:Ev1") is True
    assert store.claim("event:Ev1") is False


def test_an_event_tried_too_often_is_given_up_and_counted(database):
    store = Store(database, SECRET)
    store.claim("event:poison", payload="{}")
    for _ in range(MAX_ATTEMPTS - 1):
        expire_all(database)
        assert store.take_over_expired(limit=10) == ["{}"]
    expire_all(database)
    assert store.take_over_expired(limit=10) == []
    assert store.stats().counters == {"replies_dropped": 1}


def test_a_parked_event_waits_for_any_process(database):
    store = Store(database, SECRET)
    assert store.claim("event:parked", payload="{}", parked=True) is True
    assert store.claim("event:parked", parked=True) is False  # a re-send to a busy process: still parked
    assert store.take_over_expired(limit=10) == ["{}"]
    assert store.claim("event:parked", payload="{}", parked=True) is False
    assert store.claim("event:other", payload="{}", parked=True) is True
    assert store.claim("event:other") is True  # a re-send to a process with room answers it at once
    assert store.take_over_expired(limit=10) == []


def test_counters_add_up(database):
    store = Store(database, SECRET)
    store.count("replies_dropped")
    store.count("replies_dropped", 2)
    store.count("replies_unconfirmed")
    assert store.stats().counters == {"replies_dropped": 3, "replies_unconfirmed": 1}
