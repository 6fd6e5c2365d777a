"""Command line: parse the arguments and call; the work is done by the modules that own it."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from bot.corpus import CorpusError, check_corpus, load_corpus
from bot.settings import ConfigError, load_settings


def _ask(args: argparse.Namespace, out: TextIO) -> int:
    from bot.answerer import Answerer
    from bot.render import render_text  # jinja2 is only needed here

    answerer = Answerer(load_corpus(load_settings().corpus_dir))
    if args.question:
        reply = answerer.answer(" ".join(args.question))
        shown = json.dumps(reply.as_json(), ensure_ascii=False) if args.json else render_text(answerer, reply)
        print(shown, file=out)
        return 0
    if not args.json:
        print('usage: python -m bot ask "QUESTION" (or --json with questions on stdin)', file=sys.stderr)
        return 2
    for line in sys.stdin:
        reply = answerer.answer(line.rstrip("\r\n"))
        print(json.dumps(reply.as_json(), ensure_ascii=False), file=out, flush=True)
    return 0


def _corpus_check(args: argparse.Namespace, out: TextIO) -> int:
    records, errors = check_corpus(load_settings().corpus_dir)
    counts: dict[str, int] = {}
    for r in records:
        key = f"{r.state.name} ({r.state.code}) {Path(r.path).name}"
        counts[key] = counts.get(key, 0) + 1
    for key, count in sorted(counts.items()):
        print(f"{key}: {count} questions", file=out)
    for err in errors:
        print(f"error: {err}", file=sys.stderr)
    print(f"{len(counts)} states, {len(records)} questions, {len(errors)} problems", file=out)
    return 1 if errors else 0


def _serve(args: argparse.Namespace, out: TextIO) -> int:
    from slack_bolt.error import BoltError

    from bot.answerer import Answerer
    from bot.db.database import open_database
    from bot.db.store import Store
    from bot.settings import load_slack_settings
    from bot.slack.app import build_app
    from bot.slack.recovery import Recovery
    from bot.slack.server import serve_http, serve_socket_mode
    from bot.slack.services import Services

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(process)d %(name)s %(message)s"
    )
    settings = load_slack_settings()
    answerer = Answerer(load_corpus(settings.common.corpus_dir))
    database = open_database(settings.common.database_url)
    store = Store(database, settings.hash_secret, settings.common.query_log_days)
    store.purge_queries()  # past QUERY_LOG_DAYS, or everything once logging is off
    try:
        app = build_app(settings, Services(answerer, store))
    except BoltError as err:  # e.g. Slack rejected the token at auth.test
        print(f"error: could not start the Slack app: {err}", file=sys.stderr)
        return 2
    recovery = Recovery(app, store)
    if settings.socket_mode:
        serve_socket_mode(app, settings, recovery)
    else:
        serve_http(app, settings, database, recovery)
    return 0


def _db_upgrade(args: argparse.Namespace, out: TextIO) -> int:
    from bot.db.database import current_revision, open_database

    database = open_database(load_settings().database_url, timeout=None)
    print(f"database at revision {current_revision(database)}", file=out)
    return 0


def _db_revision(args: argparse.Namespace, out: TextIO) -> int:
    from bot.db.database import new_revision, open_database

    path = new_revision(open_database(load_settings().database_url, timeout=None), args.message)
    print(f"new migration: {path} (check it, then commit it)", file=out)
    return 0


def _stats(args: argparse.Namespace, out: TextIO) -> int:
    from bot.answerer import Answerer
    from bot.db.database import open_database
    from bot.db.store import Store
    from bot.render import render

    settings = load_settings()
    database = open_database(settings.database_url, timeout=None)
    stats = Store(database, query_log_days=settings.query_log_days).stats()
    answerer = Answerer(load_corpus(settings.corpus_dir))
    width = max(r.number for r in answerer.records)
    grid = stats.feedback_grid([s.code for s in answerer.states], width)
    print(render("stats.txt.j2", stats=stats, grid=grid, numbers=range(1, width + 1)), file=out)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    ask = commands.add_parser("ask", help="answer a question as the bot would")
    ask.add_argument(
        "--json", action="store_true", help="print JSON; with no QUESTION, one line per stdin line"
    )
    ask.add_argument("question", nargs="*", help="the question")
    ask.set_defaults(run=_ask)

    serve = commands.add_parser("serve", help="run the Slack app (HTTP on $PORT, or Socket Mode)")
    serve.set_defaults(run=_serve)

    db = commands.add_parser("db", help="database tools")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help="apply the schema migrations").set_defaults(run=_db_upgrade)
    revision = db_commands.add_parser(
        "revision", help="write the next migration from the changes in bot/db/schema.py"
    )
    revision.add_argument("-m", "--message", required=True, help="what changed")
    revision.set_defaults(run=_db_revision)

    stats = commands.add_parser("stats", help="answered vs not, feedback per answer, most-missed questions")
    stats.set_defaults(run=_stats)

    corpus = commands.add_parser("corpus", help="corpus tools")
    corpus_commands = corpus.add_subparsers(dest="corpus_command", required=True)
    check = corpus_commands.add_parser("check", help="parse every state page and report problems")
    check.set_defaults(run=_corpus_check)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO = sys.stdout) -> int:
    args = build_parser().parse_args(argv)
    if hasattr(sys.stdin, "reconfigure"):
        sys.stdin.reconfigure(errors="replace")  # one undecodable byte must not end a batch
    try:
        return args.run(args, out)
    except BrokenPipeError:  # `ask --json | head -1`: the reader has gone, which is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except ConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except CorpusError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
