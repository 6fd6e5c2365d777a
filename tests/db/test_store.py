"""The database layer, on SQLite and on PostgreSQL."""

import os
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

from sqlalchemy import inspect, select, text, update

from bot.db.database import current_revision, head_revision, make_engine, normalize_url, upgrade
from bot.db.schema import claimed_events, feedback, metadata, query_log
from bot.db.store import Store, now

ROOT = Path(__file__).resolve().parents[2]
SECRET = b"server-secret"


def test_migrations_create_every_table_and_are_idempotent(database):
    assert current_revision(database) == head_revision()
    assert set(inspect(database).get_table_names()) >= set(metadata.tables)
    assert upgrade(database) == head_revision()  # a second start changes nothing


def test_db_upgrade_command(database_url):
    done = subprocess.run(
        [sys.executable, "-m", "bot", "db", "upgrade"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": database_url},
    )
    assert done.returncode == 0, done.stderr
    assert f"database at revision {head_revision()}" in done.stdout


def test_sqlite_is_a_file_in_wal_mode(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'sub' / 'bot.sqlite3'}")
    upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert (tmp_path / "sub" / "bot.sqlite3").exists()
    assert normalize_url(None) == "sqlite:///bot.sqlite3"
    assert normalize_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"


def test_an_event_is_claimed_once_even_by_racing_threads(database):
    store = Store(database, SECRET)
    results = []
    barrier = threading.Barrier(8)

    def claim():
        barrier.wait()
        results.append(store.claim("event:Ev1"))

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 7 + [True]
    assert store.claim("event:Ev2") is True


def test_old_claims_expire(database):
    store = Store(database, SECRET)
    store.claim("event:old")
    with database.begin() as connection:
        connection.execute(update(claimed_events).values(claimed_at=now() - timedelta(days=2)))
    store.claim("event:new")
    assert store.expire_claims() == 1
    assert store.claim("event:old") is True  # an expired key can be claimed again
    assert store.claim("event:new") is False
    with database.connect() as connection:
        keys = connection.execute(select(claimed_events.c.key)).scalars().all()
    assert len(keys) == 2 and not any("event" in k for k in keys)  # stored hashed


def test_one_vote_per_person_per_answer_and_a_second_click_changes_it(database):
    store = Store(database, SECRET)
    store.record_vote("T1", "U_ALICE", "AR-8", True)
    store.record_vote("T1", "U_ALICE", "AR-8", False)  # changes her vote
    store.record_vote("T1", "U_BOB", "AR-8", True)
    store.record_vote("T1", "U_ALICE", "WV-10", True)
    store.record_vote("T2", "U_ALICE", "AR-8", True)  # another workspace, another person
    assert store.stats().votes == {"AR-8": (2, 1), "WV-10": (1, 0)}
    with database.connect() as connection:
        rows = connection.execute(select(feedback)).mappings().all()
    assert len(rows) == 4
    for row in rows:
        assert "U_ALICE" not in str(dict(row)) and "U_BOB" not in str(dict(row))
    # the voter hash cannot be linked across answers without the secret
    assert store.voter_hash("T1", "U_ALICE", "AR-8") != store.voter_hash("T1", "U_ALICE", "WV-10")
    assert Store(database, b"other").voter_hash("T1", "U_ALICE", "AR-8") != store.voter_hash(
        "T1", "U_ALICE", "AR-8"
    )


def test_query_log_is_off_by_default(database):
    store = Store(database, SECRET)
    store.log_query("how is training done in WV", True, "WV-8")
    with database.connect() as connection:
        assert connection.execute(select(query_log)).all() == []
    assert store.stats().answered is None


def test_query_log_keeps_question_answered_and_ref_and_expires(database):
    store = Store(database, SECRET, query_log_days=30)
    store.log_query("pizza recipe", False, None)
    store.log_query("pizza recipe", False, None)
    store.log_query("training in WV", True, "WV-8")
    store.log_query("an old one", False, None)
    with database.begin() as connection:
        connection.execute(
            update(query_log)
            .where(query_log.c.question == "an old one")
            .values(asked_at=now() - timedelta(days=31))
        )
    assert store.purge_queries() == 1
    stats = store.stats()
    assert (stats.answered, stats.unanswered) == (1, 2)
    assert stats.most_missed == [("pizza recipe", 2)]
    with database.connect() as connection:
        assert set(query_log.c.keys()) == {"id", "asked_at", "question", "answered", "ref"}
        assert len(connection.execute(select(query_log)).all()) == 3


def test_turning_the_query_log_off_deletes_what_was_logged(database):
    Store(database, SECRET, query_log_days=30).log_query("x", True, "AR-1")
    assert Store(database, SECRET).purge_queries() == 1


def test_stats_command_prints_counts_feedback_and_the_grid(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    store = Store(engine, SECRET, query_log_days=30)
    store.record_vote("T1", "U1", "AR-8", True)
    store.record_vote("T1", "U2", "WV-10", False)
    store.log_query("what is the capital of Arkansas", False, None)
    engine.dispose()
    done = subprocess.run(
        [sys.executable, "-m", "bot", "stats"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": database_url},
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "answered: 0" in out and "not answered: 1" in out
    assert "AR-8     1 / 0" in out and "WV-10    0 / 1" in out
    assert "1  what is the capital of Arkansas" in out
    ar_row = next(line for line in out.splitlines() if line.strip().startswith("AR "))
    assert ar_row.split()[8] == "+1/-0"  # the 8th question's cell


def test_db_revision_writes_the_next_numbered_migration(tmp_path):
    import shutil

    from bot.db.database import MIGRATIONS, head_revision, new_revision, open_database

    head = head_revision()
    expected = f"{int(head) + 1:04d}"
    migrations = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, migrations, ignore=shutil.ignore_patterns("__pycache__"))
    database = open_database(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    path = Path(new_revision(database, "add a column", migrations))
    database.dispose()
    assert path.name == f"{expected}_add_a_column.py"
    text = path.read_text()
    assert f"Revision ID: {expected}" in text and f"Revises: {head}" in text
