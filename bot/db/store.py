"""Reading and writing the shared state. Knows nothing about Slack's payloads."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import logging
import os
import secrets
import threading
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import Connection, Engine, delete, func, insert, inspect, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeout

from bot.db.schema import (
    channel_intros,
    channel_states,
    claimed_events,
    counters,
    feedback,
    pages,
    query_log,
    thread_refs,
)

log = logging.getLogger("bot.db")

THREAD_TTL = timedelta(days=1)  # a follow-up a day later starts afresh
CLAIM_TTL = timedelta(days=1)  # Slack's last retry comes about 5 minutes after the first try
LEASE = timedelta(seconds=10)  # an open claim whose holder stopped renewing it for this long is taken over
MAX_ATTEMPTS = 3  # processes that may try one event before it is given up (and counted as dropped)
_CLEANUP_EVERY = 500  # claims between two clean-ups of old keys, per process


def now() -> datetime:
    return datetime.now(UTC)


_writers: dict[tuple[int, str], threading.Lock] = {}
_writers_lock = threading.Lock()


def _sqlite_writer(database: Engine) -> threading.Lock:
    key = (os.getpid(), str(database.url))  # one per database file and process (a fork gets its own)
    with _writers_lock:
        return _writers.setdefault(key, threading.Lock())


def _busy_seconds(database: Engine) -> float:
    return float(getattr(database, "busy_timeout", 5.0))


@dataclass
class Stats:
    answered: int | None  # None: query logging is off and nothing was logged before
    unanswered: int | None
    votes: dict[str, tuple[int, int]] = field(default_factory=dict)  # ref -> (helpful, not helpful)
    most_missed: list[tuple[str, int]] = field(default_factory=list)
    logging: bool = False  # QUERY_LOG is on now
    counters: dict[str, int] = field(default_factory=dict)  # e.g. replies_dropped

    def feedback_grid(self, state_codes: list[str], width: int) -> list[tuple[str, list[str]]]:
        """Rows of (state code, one cell per question number 1..width: "+helpful/-not", "." when none)."""
        rows = []
        for code in state_codes:
            cells = []
            for number in range(1, width + 1):
                up, down = self.votes.get(f"{code}-{number}", (0, 0))
                cells.append(f"+{up}/-{down}" if up or down else ".")
            rows.append((code, cells))
        return rows


class Store:
    def __init__(self, database: Engine, secret: bytes | None = None, query_log_days: int | None = None):
        """`secret` keys the voter hash; `query_log_days` None means query logging is off."""
        self.database = database
        self._secret = secret
        self.query_log_days = query_log_days
        self.lease = LEASE
        self._claims = 0
        self._lock = threading.Lock()
        self._owner = ("", 0)
        self._fernet = (
            Fernet(base64.urlsafe_b64encode(hmac.new(secret, b"claimed events", hashlib.sha256).digest()))
            if secret
            else None
        )

    @contextlib.contextmanager
    def _writing(self) -> Iterator[Connection]:
        """A write transaction. SQLite lets one writer in at a time and makes the others poll
        for the lock; one process's threads queue here instead, in turn, so only processes poll.
        """
        if self.database.dialect.name != "sqlite":
            with self.database.begin() as connection:
                yield connection
            return
        lock = _sqlite_writer(self.database)
        if not lock.acquire(timeout=_busy_seconds(self.database)):
            raise SQLAlchemyTimeout("another thread held the SQLite write lock too long")
        try:
            with self.database.begin() as connection:
                yield connection
        finally:
            lock.release()

    # -- events ----------------------------------------------------------------

    @property
    def owner(self) -> str:
        """This process's id on the claims it holds: new in each forked worker."""
        if self._owner[1] != os.getpid():
            self._owner = (secrets.token_hex(8), os.getpid())
        return self._owner[0]

    def _digest(self, key: str) -> str:
        return hmac.new(self._secret or b"claims", key.encode(), hashlib.sha256).hexdigest()

    def claim(self, key: str, payload: str | None = None, parked: bool = False) -> bool:
        """True for exactly one caller per key at a time, across every process sharing the database.

        The claim stays open until `finish(key)`: `payload` (the event, kept encrypted) lets
        another process answer it if this one dies first. A claim whose holder stopped renewing
        it is taken over by the next caller. `parked`: claimed for whichever process has room
        first (see `take_over_expired`). Keys are stored hashed: one like
        "message:<channel>:<ts>" would otherwise say where someone asked.
        """
        digest, at = self._digest(key), now()
        values = {
            "lease_until": at if parked else at + self.lease,
            "owner": None if parked else self.owner,
            "payload": self._seal(payload),
            "attempts": 0 if parked else 1,
        }
        try:
            with self._writing() as connection:
                connection.execute(insert(claimed_events).values(key=digest, claimed_at=at, **values))
        except IntegrityError:
            return not parked and self._take_over(digest, values)
        with self._lock:
            self._claims += 1
            due = self._claims % _CLEANUP_EVERY == 0
        if due:
            self.expire_claims()
        return True

    def _take_over(self, digest: str, values: dict) -> bool:
        with self._writing() as connection:
            taken = connection.execute(
                update(claimed_events)
                .where(claimed_events.c.key == digest, claimed_events.c.lease_until < now())
                .values(
                    lease_until=values["lease_until"],
                    owner=values["owner"],
                    payload=values["payload"],
                    attempts=claimed_events.c.attempts + 1,
                )
            ).rowcount
        if taken:
            log.info("took over a claim whose holder stopped")
        return bool(taken)

    def finish(self, key: str) -> None:
        """The reply is out (or given up): the claim is final and the event's copy is deleted."""
        with self._writing() as connection:
            connection.execute(
                update(claimed_events)
                .where(claimed_events.c.key == self._digest(key))
                .values(lease_until=None, owner=None, payload=None)
            )

    def renew_leases(self) -> int:
        """This process is alive: keep the claims it holds (queued or being answered) its own."""
        with self._writing() as connection:
            return connection.execute(
                update(claimed_events)
                .where(claimed_events.c.owner == self.owner, claimed_events.c.lease_until.is_not(None))
                .values(lease_until=now() + self.lease)
            ).rowcount

    def take_over_expired(self, limit: int) -> list[str]:
        """Open claims nobody holds any more (a process died, or parked): up to `limit` become this
        process's; their events are returned to be answered. One tried MAX_ATTEMPTS times is given up."""
        with self.database.connect() as connection:
            rows = connection.execute(
                select(claimed_events.c.key, claimed_events.c.attempts)
                .where(claimed_events.c.lease_until < now())
                .order_by(claimed_events.c.lease_until)
                .limit(limit)
            ).all()
        events = []
        for digest, attempts in rows:
            with self._writing() as connection:
                if attempts >= MAX_ATTEMPTS:
                    given_up = connection.execute(
                        update(claimed_events)
                        .where(claimed_events.c.key == digest, claimed_events.c.lease_until < now())
                        .values(lease_until=None, owner=None, payload=None)
                    ).rowcount
                    if given_up:
                        log.warning("reply dropped: event given up after %d attempts", attempts)
                        self._count(connection, "replies_dropped")
                    continue
                taken = connection.execute(
                    update(claimed_events)
                    .where(claimed_events.c.key == digest, claimed_events.c.lease_until < now())
                    .values(
                        lease_until=now() + self.lease,
                        owner=self.owner,
                        attempts=claimed_events.c.attempts + 1,
                    )
                    .returning(claimed_events.c.payload)
                ).scalar()
            if taken and (event := self._open(taken)) is not None:
                events.append(event)
        return events

    def _seal(self, payload: str | None) -> str | None:
        if payload is None or self._fernet is None:
            return None
        return self._fernet.encrypt(payload.encode()).decode()

    def _open(self, sealed: str) -> str | None:
        try:
            return self._fernet.decrypt(sealed.encode()).decode() if self._fernet else None
        except InvalidToken:  # sealed under another secret
            return None

    def expire_claims(self, older_than: timedelta = CLAIM_TTL) -> int:
        with self._writing() as connection:
            result = connection.execute(
                delete(claimed_events).where(claimed_events.c.claimed_at < now() - older_than)
            )
        return result.rowcount

    # -- threads ---------------------------------------------------------------

    def _place_key(self, *parts: str) -> str:
        """A keyed hash of where (workspace, channel, thread): not reversible without the secret."""
        return hmac.new(self._secret or b"places", "\0".join(parts).encode(), hashlib.sha256).hexdigest()

    def _thread_key(self, workspace: str, channel: str, thread_ts: str) -> str:
        return self._place_key("thread", workspace, channel, thread_ts)

    def remember_thread(self, workspace: str, channel: str, thread_ts: str, ref: str) -> None:
        """The answer just given in a thread (a later one replaces it)."""
        key = self._thread_key(workspace, channel, thread_ts)
        statement = self._dialect.insert(thread_refs).values(thread=key, ref=ref[:16], updated_at=now())
        statement = statement.on_conflict_do_update(
            index_elements=["thread"], set_={"ref": statement.excluded.ref, "updated_at": now()}
        )
        with self._writing() as connection:
            connection.execute(statement)
            connection.execute(delete(thread_refs).where(thread_refs.c.updated_at < now() - THREAD_TTL))

    def thread_ref(self, workspace: str, channel: str, thread_ts: str) -> str | None:
        """The last answer given in this thread within THREAD_TTL, if any."""
        key = self._thread_key(workspace, channel, thread_ts)
        with self.database.connect() as connection:
            row = connection.execute(
                select(thread_refs.c.ref).where(
                    thread_refs.c.thread == key, thread_refs.c.updated_at >= now() - THREAD_TTL
                )
            ).first()
        return row[0] if row else None

    # -- a channel's own state (opt-in) -----------------------------------------

    def set_channel_state(self, workspace: str, channel: str, code: str | None) -> None:
        """Questions in this channel that name no state are read as `code`; None clears it."""
        key = self._place_key("channel", workspace, channel)
        with self._writing() as connection:
            connection.execute(delete(channel_states).where(channel_states.c.channel == key))
            if code:
                connection.execute(insert(channel_states).values(channel=key, state=code, updated_at=now()))

    def channel_state(self, workspace: str, channel: str) -> str | None:
        key = self._place_key("channel", workspace, channel)
        with self.database.connect() as connection:
            row = connection.execute(
                select(channel_states.c.state).where(channel_states.c.channel == key)
            ).first()
        return row[0] if row else None

    # -- feedback --------------------------------------------------------------

    def voter_hash(self, workspace: str, user: str, ref: str) -> str:
        if not self._secret:
            raise ValueError("no secret to hash voters with")
        return hmac.new(self._secret, f"{workspace}\0{user}\0{ref}".encode(), hashlib.sha256).hexdigest()

    def record_vote(self, workspace: str, user: str, ref: str, helpful: bool) -> None:
        """One vote per person per answer: a second click replaces the first."""
        values = {
            "workspace": workspace[:32],
            "voter": self.voter_hash(workspace, user, ref),
            "ref": ref[:16],
            "helpful": helpful,
            "voted_at": now(),
        }
        statement = self._dialect.insert(feedback).values(**values)
        statement = statement.on_conflict_do_update(
            index_elements=["voter", "ref"], set_={"helpful": statement.excluded.helpful, "voted_at": now()}
        )
        with self._writing() as connection:
            connection.execute(statement)

    @property
    def _dialect(self) -> Any:
        return postgresql if self.database.dialect.name == "postgresql" else sqlite

    # -- channel introductions -------------------------------------------------

    def _intro_key(self, workspace: str, channel: str) -> str:
        return self._place_key("intro", workspace, channel)

    def introduce_once(self, workspace: str, channel: str) -> bool:
        """True the first time for a channel, across every process; kept as a keyed hash only."""
        try:
            with self.database.begin() as connection:
                connection.execute(
                    insert(channel_intros).values(
                        key=self._intro_key(workspace, channel), introduced_at=now()
                    )
                )
        except IntegrityError:
            return False
        return True

    def forget_intro(self, workspace: str, channel: str) -> None:
        """The introduction could not be posted: let the next join try again."""
        with self.database.begin() as connection:
            connection.execute(
                delete(channel_intros).where(channel_intros.c.key == self._intro_key(workspace, channel))
            )

    # -- pages: as-of dates ------------------------------------------------------

    def record_pages(self, digests: Mapping[str, str], today: date | None = None) -> dict[str, date]:
        """Record each page's text (state code -> sha256); each page's as-of date.

        A page's as-of date is the day its current text was first recorded. A
        changed page gets a new row dated today; its earlier rows stay.
        """
        today = today or now().date()
        latest = self._latest_pages()
        with self.database.begin() as connection:
            for code, sha in digests.items():
                row = latest.get(code)
                if row is not None and row.sha256 == sha:
                    continue
                statement = self._dialect.insert(pages).values(
                    state=code, sha256=sha, first_seen=today, replaces=row.id if row is not None else 0
                )
                # Another process recording the same change at the same moment: theirs stands.
                connection.execute(statement.on_conflict_do_nothing(index_elements=["state", "replaces"]))
        latest = self._latest_pages()
        return {
            code: latest[code].first_seen if code in latest and latest[code].sha256 == sha else today
            for code, sha in digests.items()
        }

    def page_dates(self, digests: Mapping[str, str]) -> dict[str, date | None]:
        """Read only: each page's as-of date, or None when its current text was never served."""
        # A database from before the pages table has served no page yet.
        latest = self._latest_pages() if inspect(self.database).has_table("pages") else {}
        return {
            code: latest[code].first_seen if code in latest and latest[code].sha256 == sha else None
            for code, sha in digests.items()
        }

    def _latest_pages(self) -> dict[str, Any]:
        newest = select(func.max(pages.c.id).label("id")).group_by(pages.c.state).subquery()
        with self.database.connect() as connection:
            rows = connection.execute(select(pages).join(newest, pages.c.id == newest.c.id)).all()
        return {row.state: row for row in rows}

    # -- counters --------------------------------------------------------------

    def count(self, name: str, n: int = 1) -> None:
        with self._writing() as connection:
            self._count(connection, name, n)

    def _count(self, connection, name: str, n: int = 1) -> None:
        statement = self._dialect.insert(counters).values(name=name, value=n)
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=["name"], set_={"value": counters.c.value + statement.excluded.value}
            )
        )

    # -- query log (off by default) ---------------------------------------------

    @property
    def logging_queries(self) -> bool:
        return self.query_log_days is not None

    def log_query(self, question: str, answered: bool, ref: str | None) -> None:
        """Best effort: a database that is down must not stop the answer going out."""
        if not self.logging_queries:
            return
        try:
            with self._writing() as connection:
                connection.execute(
                    insert(query_log).values(
                        asked_at=now(), question=question[:4000], answered=answered, ref=ref
                    )
                )
        except SQLAlchemyError as err:
            log.warning("query not logged: %s", type(err).__name__)

    def purge_queries(self) -> int:
        """Delete logged questions older than QUERY_LOG_DAYS (all of them when logging is off)."""
        cutoff = (
            now() - timedelta(days=self.query_log_days) if self.logging_queries else now() + timedelta(days=1)
        )
        with self._writing() as connection:
            return connection.execute(delete(query_log).where(query_log.c.asked_at < cutoff)).rowcount

    # -- stats -----------------------------------------------------------------

    def stats(self, most_missed: int = 10) -> Stats:
        with self.database.connect() as connection:
            votes: dict[str, Counter] = {}
            for ref, helpful, count in connection.execute(
                select(feedback.c.ref, feedback.c.helpful, func.count()).group_by(
                    feedback.c.ref, feedback.c.helpful
                )
            ):
                votes.setdefault(ref, Counter())[bool(helpful)] += count
            logged = dict(
                connection.execute(
                    select(query_log.c.answered, func.count()).group_by(query_log.c.answered)
                ).all()
            )
            missed = connection.execute(
                select(query_log.c.question, func.count().label("n"))
                .where(query_log.c.answered.is_(False))
                .group_by(query_log.c.question)
                .order_by(func.count().desc(), query_log.c.question)
                .limit(most_missed)
            ).all()
            totals = dict(connection.execute(select(counters.c.name, counters.c.value)).all())
        any_logged = self.logging_queries or bool(logged)
        return Stats(
            answered=logged.get(True, 0) if any_logged else None,
            unanswered=logged.get(False, 0) if any_logged else None,
            votes={ref: (c[True], c[False]) for ref, c in sorted(votes.items())},
            most_missed=[(q, n) for q, n in missed],
            logging=self.logging_queries,
            counters=totals,
        )
