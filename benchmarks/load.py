"""Load on the Procfile server (`python -m bot serve`), Slack played by a local stand-in.

    python benchmarks/load.py [--seconds 4] [--rates 50,100,200,400] [--slack-delays 0,0.3,1]
    python benchmarks/load.py --soak [--minutes 10] [--rate 100] [--soak-workers 2] [--databases sqlite]

Sends correctly signed slash commands, mention events and feedback clicks (a
third each) at rising rates for a bounded time, on loopback only, for SQLite
and PostgreSQL, 1 and 4 workers, and a Slack whose chat.postMessage answers
at once or takes 0.3 s or 1 s. Reports throughput, median and p99
acknowledgement latency (and the worst /state or click acknowledgement: Slack
allows 3 s), errors and 5xx, replies posted per mention event (must be exactly
1), duplicate replies, and acknowledged votes missing from the database. The
baseline, in the same run, is GET /healthz on the same server at the same rate:
what gunicorn alone costs, so the ratio is what the app adds.

--soak holds one steady rate for --minutes (default 10) against one server
(WEB_CONCURRENCY=--soak-workers), asking questions from the development set, and
prints one line a minute: throughput, p99, errors, posts per event and each
worker's resident memory (RSS, from /proc), then memory at start and end.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from slack_sdk.signature import SignatureVerifier  # noqa: E402

from tests.support.servers import start_server  # noqa: E402
from tests.support.signed import SIGNING_SECRET, action_payload, event_envelope, mention  # noqa: E402
from tests.support.standin import TEAM_ID, SlackStandIn  # noqa: E402

POSTGRES_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
CLIENT_THREADS = 48


def signed(body: str, content_type: str) -> dict[str, str]:
    ts = str(int(time.time()))
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=ts, body=body),
    }


QUESTIONS = [
    line.split("\t", 1)[1].strip()
    for line in (ROOT / "tests" / "data" / "tuning.tsv").read_text(encoding="utf-8").splitlines()
    if line and not line.startswith("#") and "\t" in line
]


def make_request(
    kind: str, response_url: str, question: str = "How does Arkansas protect civil rights?"
) -> tuple[str, str, str, dict[str, str]]:
    """(method, path, body, headers) for one request of `kind`."""
    if kind == "health":
        return "GET", "/healthz", "", {}
    if kind == "command":
        body = urlencode(
            {
                "command": "/state",
                "text": "wv training",
                "team_id": TEAM_ID,
                "user_id": "U1",
                "channel_id": "C1",
                "response_url": response_url,
                "trigger_id": "1.2",
            }
        )
        return "POST", "/slack/events", body, signed(body, "application/x-www-form-urlencoded")
    if kind == "click":
        user = {"id": f"U{uuid.uuid4().hex[:10]}", "team_id": TEAM_ID}  # a new voter: one row per vote
        payload = action_payload("feedback_helpful", "AR-8", response_url, user=user)
        body = urlencode({"payload": json.dumps(payload)})
        return "POST", "/slack/events", body, signed(body, "application/x-www-form-urlencoded")
    body = json.dumps(event_envelope(mention(question), f"Ev{uuid.uuid4().hex}"))
    return "POST", "/slack/events", body, signed(body, "application/json")


def run_step(
    base: str, rate: float, seconds: float, kinds: list[str], response_url: str, questions: list[str] = ()
) -> dict:
    """Open-loop load: requests start on schedule whether or not earlier ones finished."""
    host = urlparse(base)
    total = int(rate * seconds)
    schedule = [(i / rate, kinds[i % len(kinds)], i) for i in range(total)]
    latencies: list[float] = []
    prompt: list[float] = []  # /state and clicks: what a person waits on
    errors = server_errors = 0
    sent_events = acked_votes = 0
    lock = threading.Lock()
    cursor = iter(schedule)
    start = time.perf_counter() + 0.2

    def worker() -> None:
        nonlocal errors, server_errors, sent_events, acked_votes
        connection = http.client.HTTPConnection(host.hostname, host.port, timeout=10)
        while True:
            with lock:
                item = next(cursor, None)
            if item is None:
                break
            at, kind, i = item
            asked = questions[i % len(questions)] if questions else None
            method, path, body, headers = make_request(kind, response_url, *([asked] if asked else []))
            delay = start + at - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            began = time.perf_counter()
            try:
                connection.request(method, path, body=body.encode(), headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
                status = response.status
            except (OSError, http.client.HTTPException):
                ok = False
                status = 0
                connection.close()
                connection = http.client.HTTPConnection(host.hostname, host.port, timeout=10)
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                latencies.append(elapsed)
                if kind in ("command", "click"):
                    prompt.append(elapsed)
                errors += not ok
                server_errors += status >= 500
                sent_events += ok and kind == "event"
                acked_votes += ok and kind == "click"
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(CLIENT_THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    duration = time.perf_counter() - start
    ordered = sorted(latencies)
    return {
        "sent": total,
        "throughput": len(latencies) / duration,
        "median": statistics.median(ordered),
        "p99": ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))],
        "errors": errors,
        "5xx": server_errors,
        "events": sent_events,
        "votes": acked_votes,
        "worst_prompt": max(prompt, default=0.0),
    }


def stored_votes(url: str) -> int:
    from sqlalchemy import create_engine, func, select

    from bot.db.schema import feedback

    engine = create_engine(url)
    with engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(feedback)).scalar()
    engine.dispose()
    return count


def postgres_database() -> tuple[str, callable]:
    from sqlalchemy import create_engine, text

    admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    name = f"bot_load_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return admin.url.set(database=name).render_as_string(hide_password=False), drop


def database_for(database: str, sqlite_file: Path) -> tuple[str, callable | None]:
    """A fresh database of the kind named ("postgresql" or "sqlite"), and how to drop it (or None)."""
    if database == "postgresql":
        return postgres_database()
    return f"sqlite:///{sqlite_file}", None


def worker_pids(master: int) -> list[int]:
    """gunicorn's worker processes: the children of the master (Linux /proc)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        if int(fields[1]) == master:
            children.append(int(stat.parent.name))
    return sorted(children)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def memory(master: int) -> dict[int, float]:
    """RSS in MB of each worker, by pid."""
    return {pid: rss_mb(pid) for pid in worker_pids(master)}


def posts_per_event(standin: SlackStandIn, events: int) -> float:
    """Wait (bounded) for one chat.postMessage per acknowledged event, then a little for duplicates."""
    deadline = time.monotonic() + 30
    while len(standin.calls_to("chat.postMessage")) < events and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)
    return len(standin.calls_to("chat.postMessage")) / max(1, events)


def soak(args: argparse.Namespace) -> None:
    """One steady rate for args.minutes, one line a minute, memory per worker at start and end."""
    database = args.databases.split(",")[0]
    with SlackStandIn() as standin, tempfile.TemporaryDirectory() as tmp:
        url, drop = database_for(database, Path(tmp) / "soak.sqlite3")
        server = start_server(
            standin.api_url, Path(tmp) / "soak", database_url=url, WEB_CONCURRENCY=str(args.soak_workers)
        )
        try:
            master = server.process.pid
            deadline = time.monotonic() + 30  # the server answers once one worker is up; wait for all
            while len(worker_pids(master)) < args.soak_workers and time.monotonic() < deadline:
                time.sleep(0.1)
            start = memory(master)
            print(
                f"soak: {database}, {len(start)} workers, {args.rate:.0f} requests/s for {args.minutes:g} min "
                f"(half /state commands, half mentions; {len(QUESTIONS)} questions in turn)"
            )
            print("worker RSS at start (MB): " + ", ".join(f"{mb:.1f}" for mb in start.values()))
            print(
                f"{'minute':>6}{'done/s':>8}{'median ms':>11}{'p99 ms':>9}{'errors':>8}{'posts/event':>13}"
                f"  worker RSS MB"
            )
            totals = {"requests": 0, "errors": 0, "events": 0, "posts": 0}
            warm: dict[int, float] = {}
            slice_seconds = min(60.0, args.minutes * 60)
            slices = max(1, round(args.minutes * 60 / slice_seconds))
            for minute in range(1, slices + 1):
                standin.reset()
                step = run_step(
                    server.base,
                    args.rate,
                    slice_seconds,
                    ["command", "event"],
                    standin.response_url("soak"),
                    QUESTIONS,
                )
                ratio = posts_per_event(standin, step["events"])
                now = memory(master)
                warm = warm or now
                totals["requests"] += step["sent"]
                totals["errors"] += step["errors"]
                totals["events"] += step["events"]
                totals["posts"] += len(standin.calls_to("chat.postMessage"))
                print(
                    f"{minute * slice_seconds / 60:>6g}{step['throughput']:>8.1f}{step['median']:>11.1f}"
                    f"{step['p99']:>9.1f}{step['errors']:>8}{ratio:>13.2f}  "
                    + ", ".join(f"{mb:.1f}" for mb in now.values()),
                    flush=True,
                )
            end = memory(master)
            print("worker RSS at end (MB): " + ", ".join(f"{mb:.1f}" for mb in end.values()))
            print(
                "growth after the first minute (MB): "
                + ", ".join(f"{end.get(pid, float('nan')) - mb:+.1f}" for pid, mb in warm.items())
            )
            same = set(start) == set(end)
            print(
                f"total: {totals['requests']} requests, {totals['errors']} errors, "
                f"{totals['posts'] / max(1, totals['events']):.3f} posts/event, "
                + ("same workers throughout" if same else "workers were replaced (a crash or a timeout)")
            )
        finally:
            server.stop()
            if drop:
                drop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--rates", default="50,100,200,400")
    parser.add_argument("--databases", default="sqlite,postgresql", help="the soak uses the first one named")
    parser.add_argument("--workers", default="1,4")
    parser.add_argument("--soak", action="store_true", help="one steady rate for --minutes (default 10)")
    parser.add_argument("--minutes", type=float, default=10.0, help="how long the soak lasts")
    parser.add_argument("--rate", type=float, default=100.0, help="requests per second in the soak")
    parser.add_argument(
        "--soak-workers", type=int, default=2, help="WEB_CONCURRENCY in the soak (the default's 2)"
    )
    parser.add_argument("--slack-delays", default="0,0.3,1", help="seconds chat.postMessage takes")
    args = parser.parse_args()
    if args.soak:
        soak(args)
        return
    rates = [float(r) for r in args.rates.split(",")]

    print(
        f"{'db':<11}{'workers':>7}{'slack s':>8}{'rate/s':>7}{'done/s':>8}{'median ms':>10}{'p99 ms':>8}"
        f"{'worst ack ms':>13}{'errors':>7}{'5xx':>5}{'posts/event':>12}{'dup':>5}{'votes lost':>11}"
        f"{'p99 vs /healthz':>16}"
    )
    with SlackStandIn() as standin, tempfile.TemporaryDirectory() as tmp:
        for database in args.databases.split(","):
            for workers in [int(w) for w in args.workers.split(",")]:
                url, drop = database_for(database, Path(tmp) / f"load-{workers}.sqlite3")
                server = start_server(
                    standin.api_url,
                    Path(tmp) / f"{database}-{workers}",
                    database_url=url,
                    WEB_CONCURRENCY=str(workers),
                )
                votes_before = 0
                try:
                    for delay in [float(d) for d in args.slack_delays.split(",")]:
                        for rate in rates:
                            standin.reset()
                            standin.delays["chat.postMessage"] = delay
                            baseline = run_step(server.base, rate, args.seconds, ["health"], "")
                            step = run_step(
                                server.base,
                                rate,
                                args.seconds,
                                ["command", "event", "click"],
                                standin.response_url("load"),
                            )
                            # the replies drain at (reply threads x workers) per `delay` seconds
                            deadline = time.monotonic() + 30 + step["events"] * delay / (32 * workers)
                            while (
                                len(standin.calls_to("chat.postMessage")) < step["events"]
                                and time.monotonic() < deadline
                            ):
                                time.sleep(0.1)
                            time.sleep(0.5 + delay)  # let any duplicate post arrive
                            calls = standin.calls_to("chat.postMessage")
                            posts = len(calls) / max(1, step["events"])
                            duplicates = len(calls) - len({c.body.get("thread_ts") for c in calls})
                            votes = stored_votes(url)
                            lost = step["votes"] - (votes - votes_before)
                            votes_before = votes
                            print(
                                f"{database:<11}{workers:>7}{delay:>8.1f}{rate:>7.0f}{step['throughput']:>8.1f}"
                                f"{step['median']:>10.1f}{step['p99']:>8.1f}{step['worst_prompt']:>13.1f}"
                                f"{step['errors']:>7}{step['5xx']:>5}{posts:>12.2f}{duplicates:>5}{lost:>11}"
                                f"{step['p99'] / baseline['p99']:>15.1f}x",
                                flush=True,
                            )
                finally:
                    server.stop()
                    if drop:
                        drop()


if __name__ == "__main__":
    main()
