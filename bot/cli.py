"""Command line: ask questions, check the corpus, run the Slack app."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from bot.corpus import DEFAULT_CORPUS_DIR, CorpusError, check_corpus, load_corpus
from bot.engine import Engine, Reply


def corpus_dir() -> Path:
    return Path(os.environ.get("CORPUS_DIR") or DEFAULT_CORPUS_DIR)


def reply_json(reply: Reply) -> dict[str, Any]:
    """The machine-readable form of a reply (`ask --json`)."""
    best = reply.best
    return {
        "query": reply.query,
        "answered": reply.answered,
        "kind": reply.kind,
        "results": [
            {
                "ref": h.record.ref,
                "state": h.record.state.name,
                "number": h.record.number,
                "question": h.record.question,
                "score": round(h.score, 4),
            }
            for h in reply.hits
        ],
        "why": {
            "state_filter": [s.code for s in reply.states],
            "not_covered": [s.code for s in reply.missing_states],
            "matched": list(best.matched) if best else [],
            "coverage": round(reply.coverage, 3),
        },
        "other_states": [{"ref": h.record.ref, "question": h.record.question} for h in reply.others],
    }


def _ask(args: argparse.Namespace, out: TextIO) -> int:
    from bot.render import render_text  # jinja2 is only needed here

    engine = Engine(load_corpus(corpus_dir()))
    questions: Sequence[str] = [" ".join(args.question)] if args.question else None
    if questions is None:
        if not args.json:
            print('usage: python -m bot ask "QUESTION" (or --json with questions on stdin)', file=sys.stderr)
            return 2
        for line in sys.stdin:
            print(
                json.dumps(reply_json(engine.answer(line.rstrip("\r\n"))), ensure_ascii=False),
                file=out,
                flush=True,
            )
        return 0
    reply = engine.answer(questions[0])
    if args.json:
        print(json.dumps(reply_json(reply), ensure_ascii=False), file=out)
    else:
        print(render_text(engine, reply), file=out)
    return 0


def _corpus_check(args: argparse.Namespace, out: TextIO) -> int:
    records, errors = check_corpus(corpus_dir())
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


def _database(settings_url: str | None = None):
    from dotenv import load_dotenv

    from bot.db.database import make_engine, upgrade

    load_dotenv(".env")
    engine = make_engine(settings_url or os.environ.get("DATABASE_URL"))
    upgrade(engine)
    return engine


def _serve(args: argparse.Namespace, out: TextIO) -> int:
    import logging

    from slack_bolt.error import BoltError

    from bot.db.store import Store
    from bot.slack.app import Services, build_app
    from bot.slack.config import ConfigError, load_settings
    from bot.slack.server import serve_http, serve_socket_mode

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(process)d %(name)s %(message)s"
    )
    try:
        settings = load_settings()
    except ConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    engine = Engine(load_corpus(corpus_dir()))
    database = _database(settings.database_url)
    store = Store(database, settings.hash_secret, settings.query_log_days)
    store.purge_queries()  # past QUERY_LOG_DAYS, or everything once logging is off
    try:
        app = build_app(settings, Services(engine, store))
    except BoltError as err:  # e.g. Slack rejected the token at auth.test
        print(f"error: could not start the Slack app: {err}", file=sys.stderr)
        return 2
    if settings.socket_mode:
        serve_socket_mode(app, settings)
    else:
        serve_http(app, settings, database, workers=int(os.environ.get("WEB_CONCURRENCY") or 2))
    return 0


def _db_upgrade(args: argparse.Namespace, out: TextIO) -> int:
    from bot.db.database import current_revision

    print(f"database at revision {current_revision(_database())}", file=out)
    return 0


def _stats(args: argparse.Namespace, out: TextIO) -> int:
    from bot.db.store import Store
    from bot.render import render

    store = Store(_database())
    engine = Engine(load_corpus(corpus_dir()))
    print(
        render("stats.txt.j2", stats=store.stats(), grid=feedback_grid(engine, store.stats().votes)), file=out
    )
    return 0


def feedback_grid(engine: Engine, votes: dict[str, tuple[int, int]]) -> list[tuple[str, list[str]]]:
    """Rows of (state code, one cell per question number: "+helpful/-not", "." when none)."""
    width = max(r.number for r in engine.records)
    rows = []
    for state in engine.states:
        cells = []
        for number in range(1, width + 1):
            up, down = votes.get(f"{state.code}-{number}", (0, 0))
            cells.append(f"+{up}/-{down}" if up or down else ".")
        rows.append((state.code, cells))
    return rows


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

    stats = commands.add_parser("stats", help="answered vs not, feedback per answer, most-missed questions")
    stats.set_defaults(run=_stats)

    corpus = commands.add_parser("corpus", help="corpus tools")
    corpus_commands = corpus.add_subparsers(dest="corpus_command", required=True)
    check = corpus_commands.add_parser("check", help="parse every state page and report problems")
    check.set_defaults(run=_corpus_check)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO = sys.stdout) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args, out)
    except CorpusError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
