"""Starting `python -m bot serve` as a new user would, and every way it can fail to start.

A failure to start is one line naming what is wrong and the variable to set,
exit code 2, and never a traceback (nor a token or a database password).
Slack is the local stand-in; nothing leaves this machine.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.servers import ROOT, free_port, start_server
from tests.support.signed import BOT_TOKEN, SIGNING_SECRET, mention, send_event
from tests.support.standin import SlackStandIn

BAD_PAGE = (
    "State Coordination With CBP And ICE Task Forces in Ohio\n\n1. A question?\n\nAn answer.\n\n3. Lost?\n"
)


@pytest.fixture
def slack():
    """A stand-in of this test's own: queued failures never leak into another test."""
    with SlackStandIn() as standin:
        yield standin


def serve(cwd: Path, **env: str) -> subprocess.CompletedProcess:
    """`python -m bot serve` from `cwd`, with a good token and secret unless `env` says otherwise."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "QUERY_LOG"))
        and k not in ("PORT", "WEB_CONCURRENCY", "DATABASE_URL", "CORPUS_DIR")
    }
    settings = {
        "PYTHONPATH": str(ROOT),
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "PORT": str(free_port()),
        "DATABASE_URL": f"sqlite:///{cwd / 'bot.sqlite3'}",
        **env,
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "serve"],
        cwd=cwd,
        env={**base, **{k: v for k, v in settings.items() if v is not None}},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done


def assert_one_line_naming(done: subprocess.CompletedProcess, *names: str) -> str:
    """Exit 2, no traceback, and a last line that starts with "error:" and names each of `names`."""
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    line = done.stderr.strip().splitlines()[-1]
    assert line.startswith("error: "), done.stderr
    for name in names:
        assert name in line, line
    assert BOT_TOKEN not in done.stderr and SIGNING_SECRET not in done.stderr
    return line


def closed_port() -> int:
    return free_port()  # nothing listens there once the probe socket is closed


# -- a .env made from .env.example -------------------------------------------------------------


def test_a_dotenv_made_from_the_example_answers_a_mention(slack, tmp_path):
    """The example's empty SLACK_CLIENT_ID= must not switch Bolt to its OAuth mode."""
    example = (ROOT / ".env.example").read_text()
    assert "\nSLACK_CLIENT_ID=\n" in example and "\nSLACK_CLIENT_SECRET=\n" in example
    filled = example.replace("SLACK_BOT_TOKEN=\n", f"SLACK_BOT_TOKEN={BOT_TOKEN}\n").replace(
        "SLACK_SIGNING_SECRET=\n", f"SLACK_SIGNING_SECRET={SIGNING_SECRET}\n"
    )
    (tmp_path / ".env").write_text(filled)
    server = start_server(
        slack.api_url, tmp_path, token=False, signing_secret=False, cwd=tmp_path, WEB_CONCURRENCY=""
    )
    try:
        event = mention("How does Arkansas protect civil rights during joint operations?")
        assert send_event(server.events_url, event).status == 200
        [post] = slack.wait_for("chat.postMessage")
        assert post.body["thread_ts"] == event["ts"]
        assert post.body["blocks"][0]["text"]["text"].startswith("*Arkansas · Q8 · AR-8*")
    finally:
        server.stop()
    assert "installation" not in server.log()  # Bolt's "your installation ... is no longer available"


# -- Slack: address and tokens ---------------------------------------------------------------


def test_unreachable_slack_is_one_line_naming_slack_api_url(tmp_path):
    url = f"http://127.0.0.1:{closed_port()}/api/"
    line = assert_one_line_naming(serve(tmp_path, SLACK_API_URL=url), "SLACK_API_URL", url, "cannot reach")
    assert "slack-gov.com" in line  # what to set for GovSlack


def test_an_address_that_is_not_slack_is_one_line_naming_slack_api_url(slack, tmp_path):
    slack.fail_next("auth.test", status=404)
    assert_one_line_naming(serve(tmp_path, SLACK_API_URL=slack.api_url), "SLACK_API_URL", "HTTP 404")


@pytest.mark.parametrize("mode", ["http", "socket"])
def test_a_refused_bot_token_is_one_line_naming_it(slack, tmp_path, mode):
    slack.fail_next("auth.test", error="invalid_auth")
    app_token = "xapp-test-token" if mode == "socket" else None
    done = serve(tmp_path, SLACK_API_URL=slack.api_url, SLACK_APP_TOKEN=app_token)
    assert_one_line_naming(done, "SLACK_BOT_TOKEN", "invalid_auth", "xoxb-")


def test_a_refused_app_token_is_one_line_naming_it(slack, tmp_path):
    slack.fail_next("apps.connections.open", error="invalid_auth")
    done = serve(tmp_path, SLACK_API_URL=slack.api_url, SLACK_APP_TOKEN="xapp-test-token")
    assert_one_line_naming(done, "SLACK_APP_TOKEN", "invalid_auth", "xapp-")
    assert "xapp-test-token" not in done.stderr


def test_a_socket_mode_address_that_does_not_answer_is_one_line(slack, tmp_path):
    slack.socket_url = f"ws://127.0.0.1:{closed_port()}/link"
    done = serve(tmp_path, SLACK_API_URL=slack.api_url, SLACK_APP_TOKEN="xapp-test-token")
    assert_one_line_naming(done, "Socket Mode", "SLACK_APP_TOKEN")


# -- the server's own settings ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [("PORT", "http"), ("PORT", "70000"), ("WEB_CONCURRENCY", "two"), ("WEB_CONCURRENCY", "0")],
)
def test_a_bad_number_is_one_line_naming_it(slack, tmp_path, name, value):
    # WEB_CONCURRENCY=two once crashed inside gunicorn, which reads it when imported.
    assert_one_line_naming(serve(tmp_path, SLACK_API_URL=slack.api_url, **{name: value}), name, repr(value))


def test_a_port_in_use_is_one_line_naming_port(slack, tmp_path):
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        done = serve(tmp_path, SLACK_API_URL=slack.api_url, PORT=port)
    assert_one_line_naming(done, "PORT", port, "taken")


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("nonsense://", "unknown kind of database 'nonsense'"),
        ("not a url", "is not a database URL"),
        ("mysql://user@127.0.0.1/db", "driver that is not installed"),
        ("sqlite:////proc/no-such-folder/bot.sqlite3", "cannot make the folder"),
    ],
)
def test_a_bad_database_url_is_one_line_naming_it(slack, tmp_path, url, says):
    assert_one_line_naming(
        serve(tmp_path, SLACK_API_URL=slack.api_url, DATABASE_URL=url), "DATABASE_URL", says
    )


def test_an_unreachable_database_is_one_line_without_its_password(slack, tmp_path):
    url = f"postgresql+psycopg://bot:s3cret-pw@127.0.0.1:{closed_port()}/bot"
    done = serve(tmp_path, SLACK_API_URL=slack.api_url, DATABASE_URL=url)
    line = assert_one_line_naming(done, "DATABASE_URL", "cannot open the database", "Connection refused")
    assert "s3cret-pw" not in done.stderr and "bot:***@127.0.0.1" in line


def test_a_broken_corpus_is_one_line_naming_the_file_and_corpus_dir(slack, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ROOT / "corpus" / "arkansas.txt", corpus)
    (corpus / "ohio.txt").write_text(BAD_PAGE)
    done = serve(tmp_path, SLACK_API_URL=slack.api_url, CORPUS_DIR=str(corpus))
    assert_one_line_naming(done, f"{corpus / 'ohio.txt'}:7:", "out of order", "CORPUS_DIR")


def test_a_database_from_a_newer_version_is_one_line_naming_database_url(slack, tmp_path):
    from sqlalchemy import create_engine, text

    engine = create_engine(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)"))
        connection.execute(text("INSERT INTO alembic_version VALUES ('9999')"))
    engine.dispose()
    done = serve(tmp_path, SLACK_API_URL=slack.api_url)
    assert_one_line_naming(done, "DATABASE_URL", "'9999'")


def test_corpus_warnings_are_logged_at_start_up(slack, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ROOT / "corpus" / "arkansas.txt", corpus / "texas.txt")
    (corpus / "notes.md").write_text("not a page")
    server = start_server(slack.api_url, tmp_path, CORPUS_DIR=str(corpus))
    server.stop()
    log = server.log()
    assert f"corpus: {corpus / 'texas.txt'}:" in log and "name it arkansas.txt" in log
    assert f"corpus: {corpus / 'notes.md'}: not read" in log
