"""Reading and writing the shared state. Knows nothing about Slack's payloads."""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from bot.db.schema import claimed_events, feedback, query_log

CLAIM_TTL = timedelta(days=1)  # Slack's last retry comes about 5 minutes after the first try
_CLEANUP_EVERY = 500  # claims between two clean-ups of old keys, per process


def now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Stats:
    answered: int | None  # None: query logging is off and nothing was logged before
    unanswered: int | None
    votes: dict[str, tuple[int, int]] = field(default_factory=dict)  # ref -> (helpful, not helpful)
    most_missed: list[tuple[str, int]] = field(default_factory=list)
    logging: bool = False  # QUERY_LOG is on now

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
        self._claims = 0
        self._lock = threading.Lock()

    # -- events ----------------------------------------------------------------

    def claim(self, key: str) -> bool:
        """True for exactly one caller per key, across every process sharing the database.

        Keys are stored hashed: one like "message:<channel>:<ts>" would otherwise say where someone asked.
        """
        digest = hmac.new(self._secret or b"claims", key.encode(), hashlib.sha256).hexdigest()
        try:
            with self.database.begin() as connection:
                connection.execute(insert(claimed_events).values(key=digest, claimed_at=now()))
        except IntegrityError:
            return False
        with self._lock:
            self._claims += 1
            due = self._claims % _CLEANUP_EVERY == 0
        if due:
            self.expire_claims()
        return True

    def expire_claims(self, older_than: timedelta = CLAIM_TTL) -> int:
        with self.database.begin() as connection:
            result = connection.execute(
                delete(claimed_events).where(claimed_events.c.claimed_at < now() - older_than)
            )
        return result.rowcount

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
        dialect = postgresql if self.database.dialect.name == "postgresql" else sqlite
        statement = dialect.insert(feedback).values(**values)
        statement = statement.on_conflict_do_update(
            index_elements=["voter", "ref"], set_={"helpful": statement.excluded.helpful, "voted_at": now()}
        )
        with self.database.begin() as connection:
            connection.execute(statement)

    # -- query log (off by default) ---------------------------------------------

    @property
    def logging_queries(self) -> bool:
        return self.query_log_days is not None

    def log_query(self, question: str, answered: bool, ref: str | None) -> None:
        if not self.logging_queries:
            return
        with self.database.begin() as connection:
            connection.execute(
                insert(query_log).values(asked_at=now(), question=question[:4000], answered=answered, ref=ref)
            )

    def purge_queries(self) -> int:
        """Delete logged questions older than QUERY_LOG_DAYS (all of them when logging is off)."""
        cutoff = (
            now() - timedelta(days=self.query_log_days) if self.logging_queries else now() + timedelta(days=1)
        )
        with self.database.begin() as connection:
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
        any_logged = self.logging_queries or bool(logged)
        return Stats(
            answered=logged.get(True, 0) if any_logged else None,
            unanswered=logged.get(False, 0) if any_logged else None,
            votes={ref: (c[True], c[False]) for ref, c in sorted(votes.items())},
            most_missed=[(q, n) for q, n in missed],
            logging=self.logging_queries,
        )
