from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from bot.answerer import Answerer
from bot.corpus import load_corpus
from tests.support.corpora import write_many_state_corpus


@pytest.fixture(scope="session")
def records():
    return load_corpus()


@pytest.fixture(scope="session")
def answerer(records):
    return Answerer(records)


@pytest.fixture(scope="session")
def fifty_state_dir(tmp_path_factory) -> Path:
    return write_many_state_corpus(tmp_path_factory.mktemp("fifty"), 50)


@pytest.fixture(scope="session")
def fifty_state_answerer(fifty_state_dir):
    return Answerer(load_corpus(fifty_state_dir))


# -- databases: every database test runs on SQLite and on a real PostgreSQL server -------

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _postgres_admin():
    from sqlalchemy import create_engine, text

    engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as err:
        engine.dispose()
        message = f"PostgreSQL is not reachable at {POSTGRES_URL} ({type(err).__name__}); start it or set TEST_POSTGRES_URL"
        if os.environ.get("REQUIRE_POSTGRES"):
            pytest.fail(message)
        pytest.skip(message)
    return engine


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A fresh, empty database: a SQLite file, or a new database on the PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'bot.sqlite3'}"
        return
    from sqlalchemy import text

    admin = _postgres_admin()
    name = f"bot_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def database(database_url):
    from bot.db.database import make_engine, upgrade

    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()
