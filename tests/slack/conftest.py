from __future__ import annotations

import pytest

from bot.db.database import open_database
from tests.support.chat import Chat, new_chat
from tests.support.standin import SlackStandIn


@pytest.fixture(scope="session")
def standin():
    with SlackStandIn() as server:
        yield server


@pytest.fixture(scope="module")
def chat_database(tmp_path_factory):
    database = open_database(f"sqlite:///{tmp_path_factory.mktemp('chat') / 'bot.sqlite3'}")
    yield database
    database.dispose()


@pytest.fixture(scope="module")
def module_chat(standin, answerer, chat_database) -> Chat:
    return new_chat(standin, answerer, chat_database)


@pytest.fixture
def chat(module_chat, standin) -> Chat:
    """The bot on the two-state corpus, with nothing posted yet."""
    standin.reset()
    return module_chat
