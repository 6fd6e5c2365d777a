"""Load on the Procfile server (`python -m bot serve`), Slack played by a local stand-in.

    python benchmarks/load.py [--seconds 4] [--rates 50,100,200,400]

Sends correctly signed slash commands and mention events (half each) at
rising rates for a bounded time, on loopback only, for SQLite and PostgreSQL
and for 1 and 4 workers. Reports throughput, median and p99 acknowledgement
latency, errors, and replies posted per mention event (must be exactly 1).
The baseline, in the same run, is GET /healthz on the same server at the same
rate: what gunicorn alone costs, so the ratio is what the app adds.
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
from tests.support.signed import SIGNING_SECRET, event_envelope, mention  # noqa: E402
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


def make_request(kind: str, response_url: str) -> tuple[str, str, str, dict[str, str]]:
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
    body = json.dumps(
        event_envelope(mention("How does Arkansas protect civil rights?"), f"Ev{uuid.uuid4().hex}")
    )
    return "POST", "/slack/events", body, signed(body, "application/json")


def run_step(base: str, rate: float, seconds: float, kinds: list[str], response_url: str) -> dict:
    """Open-loop load: requests start on schedule whether or not earlier ones finished."""
    host = urlparse(base)
    total = int(rate * seconds)
    schedule = [(i / rate, kinds[i % len(kinds)]) for i in range(total)]
    latencies: list[float] = []
    errors = 0
    sent_events = 0
    lock = threading.Lock()
    cursor = iter(schedule)
    start = time.perf_counter() + 0.2

    def worker() -> None:
        nonlocal errors, sent_events
        connection = http.client.HTTPConnection(host.hostname, host.port, timeout=10)
        while True:
            with lock:
                item = next(cursor, None)
            if item is None:
                break
            at, kind = item
            method, path, body, headers = make_request(kind, response_url)
            delay = start + at - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            began = time.perf_counter()
            try:
                connection.request(method, path, body=body.encode(), headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection(host.hostname, host.port, timeout=10)
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                latencies.append(elapsed)
                errors += not ok
                sent_events += ok and kind == "event"
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
        "events": sent_events,
    }


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--rates", default="50,100,200,400")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--workers", default="1,4")
    args = parser.parse_args()
    rates = [float(r) for r in args.rates.split(",")]

    print(
        f"{'db':<11}{'workers':>7}{'rate/s':>8}{'done/s':>8}{'median ms':>11}{'p99 ms':>9}"
        f"{'errors':>8}{'posts/event':>13}{'p99 vs /healthz':>17}"
    )
    with SlackStandIn() as standin, tempfile.TemporaryDirectory() as tmp:
        for database in args.databases.split(","):
            for workers in [int(w) for w in args.workers.split(",")]:
                drop = None
                if database == "postgresql":
                    url, drop = postgres_database()
                else:
                    url = f"sqlite:///{Path(tmp) / f'load-{workers}.sqlite3'}"
                server = start_server(
                    standin.api_url,
                    Path(tmp) / f"{database}-{workers}",
                    database_url=url,
                    WEB_CONCURRENCY=str(workers),
                )
                try:
                    for rate in rates:
                        standin.reset()
                        baseline = run_step(server.base, rate, args.seconds, ["health"], "")
                        step = run_step(
                            server.base,
                            rate,
                            args.seconds,
                            ["command", "event"],
                            standin.response_url("load"),
                        )
                        deadline = time.monotonic() + 30
                        while (
                            len(standin.calls_to("chat.postMessage")) < step["events"]
                            and time.monotonic() < deadline
                        ):
                            time.sleep(0.1)
                        time.sleep(0.5)  # let any duplicate post arrive
                        posts = len(standin.calls_to("chat.postMessage")) / max(1, step["events"])
                        print(
                            f"{database:<11}{workers:>7}{rate:>8.0f}{step['throughput']:>8.1f}"
                            f"{step['median']:>11.1f}{step['p99']:>9.1f}{step['errors']:>8}{posts:>13.2f}"
                            f"{step['p99'] / baseline['p99']:>16.1f}x",
                            flush=True,
                        )
                finally:
                    server.stop()
                    if drop:
                        drop()


if __name__ == "__main__":
    main()
