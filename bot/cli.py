"""Command line: parse the arguments and call; the work is done by the modules that own it."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TextIO

from bot.corpus import CorpusError, check_corpus, load_corpus, page_digests
from bot.settings import ConfigError, load_settings, load_slack_settings


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
    settings = load_settings()
    records, errors, warnings = check_corpus(settings.corpus_dir)
    counts: dict[tuple[str, str, str], int] = {}
    for r in records:
        key = (r.state.name, r.state.code, Path(r.path).name)
        counts[key] = counts.get(key, 0) + 1
    as_of = _as_of_dates(settings.database_url, page_digests(records))
    for (name, code, file), count in sorted(counts.items()):
        when = as_of.get(code)
        served = f"as of {when.isoformat()}" if when else "not yet served"
        print(f"{name} ({code}) {file}: {count} questions, {served}", file=out)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for err in errors:
        print(f"error: {err}", file=sys.stderr)
    print(
        f"{len(counts)} states, {len(records)} questions, {len(errors)} problems, {len(warnings)} warnings",
        file=out,
    )
    if records and not errors:
        _ask_every_question(records, out)
    return 1 if errors else 0


def _ask_every_question(records: list, out: TextIO) -> None:
    from bot.answerer import Answerer
    from bot.selfcheck import ask_every_question

    problems = ask_every_question(Answerer(records))
    for problem in problems:
        print(f"check: {problem}", file=out)
    print(f"asked every page's own questions: {len(problems)} did not come back as themselves", file=out)


def _as_of_dates(database_url: str | None, digests: dict[str, str]) -> dict[str, date | None]:
    """Each page's as-of date, as the server recorded it; read only (no database is created)."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.db.database import open_existing
    from bot.db.store import Store

    try:
        database = open_existing(database_url)
        if database is None:
            return {}
        try:
            return Store(database).page_dates(digests)
        finally:
            database.dispose()
    except SQLAlchemyError as err:
        print(
            f"note: as-of dates unavailable, the database could not be read ({type(err).__name__})",
            file=sys.stderr,
        )
        return {}


def _serve(args: argparse.Namespace, out: TextIO) -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(process)d %(name)s %(message)s"
    )
    settings = load_slack_settings()  # before bot.slack.startup: gunicorn reads WEB_CONCURRENCY on import
    from bot.slack.startup import serve

    serve(settings)  # a start-up failure is a ConfigError: one line, exit 2
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
