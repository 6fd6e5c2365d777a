"""Pages' as-of dates and channel introductions, on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import select

from bot.db.schema import channel_intros, pages
from bot.db.store import Store

SECRET = b"server-secret"
DAY1, DAY2, DAY3 = date(2026, 11, 22), date(2026, 12, 1), date(2027, 1, 5)


def rows(database):
    with database.connect() as connection:
        return [
            (r.state, r.sha256, r.first_seen) for r in connection.execute(select(pages).order_by(pages.c.id))
        ]


def test_a_page_keeps_its_as_of_date_until_its_text_changes(database):
    store = Store(database, SECRET)
    assert store.record_pages({"AR": "a1", "WV": "w1"}, today=DAY1) == {"AR": DAY1, "WV": DAY1}
    assert store.record_pages({"AR": "a1", "WV": "w1"}, today=DAY2) == {"AR": DAY1, "WV": DAY1}
    assert store.record_pages({"AR": "a1", "WV": "w2"}, today=DAY2) == {"AR": DAY1, "WV": DAY2}
    # back to the old text: a change too, on record with its own date
    assert store.record_pages({"AR": "a1", "WV": "w1"}, today=DAY3) == {"AR": DAY1, "WV": DAY3}
    assert rows(database) == [
        ("AR", "a1", DAY1),
        ("WV", "w1", DAY1),
        ("WV", "w2", DAY2),
        ("WV", "w1", DAY3),
    ]


def test_page_dates_reads_only_and_knows_a_page_never_served(database):
    store = Store(database, SECRET)
    store.record_pages({"AR": "a1"}, today=DAY1)
    before = rows(database)
    assert store.page_dates({"AR": "a1", "WV": "w1"}) == {"AR": DAY1, "WV": None}
    assert store.page_dates({"AR": "a2"}) == {"AR": None}  # changed since it was last served
    assert rows(database) == before


def test_processes_starting_at_once_record_a_change_once(database):
    stores = [Store(database, SECRET) for _ in range(6)]
    barrier = threading.Barrier(len(stores))
    results = []

    def start(store):
        barrier.wait()
        results.append(store.record_pages({"AR": "a1", "WV": "w1"}, today=DAY1))

    threads = [threading.Thread(target=start, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [{"AR": DAY1, "WV": DAY1}] * len(stores)
    assert sorted(rows(database)) == [("AR", "a1", DAY1), ("WV", "w1", DAY1)]


def test_a_channel_is_introduced_once_and_kept_only_as_a_keyed_hash(database):
    store = Store(database, SECRET)
    assert store.introduce_once("T1", "C1") is True
    assert store.introduce_once("T1", "C1") is False
    assert store.introduce_once("T1", "C2") is True
    assert store.introduce_once("T2", "C1") is True
    with database.connect() as connection:
        keys = [r.key for r in connection.execute(select(channel_intros))]
    assert len(keys) == 3 and not any("C1" in k or "T1" in k for k in keys)
    assert Store(database, b"another-secret").introduce_once("T1", "C1") is True  # keyed by the secret
    store.forget_intro("T1", "C1")
    assert store.introduce_once("T1", "C1") is True


def test_a_database_from_before_the_pages_table_has_served_no_page(tmp_path):
    from alembic import command

    from bot.db.database import alembic_config, make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    assert Store(engine).page_dates({"AR": "a1"}) == {"AR": None}
    engine.dispose()
