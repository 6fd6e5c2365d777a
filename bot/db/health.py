"""Is the database usable? Answered within a bounded time, whatever the database is doing."""

from __future__ import annotations

import threading
import time

from sqlalchemy import Engine, text


class DatabaseHealth:
    def __init__(self, database: Engine, within: float = 2.0, fresh: float = 1.0):
        """`within`: longest a caller waits; `fresh`: how long one result is reused (a probe per second at most)."""
        self.database = database
        self.within = within
        self.fresh = fresh
        self._lock = threading.Lock()
        self._result: tuple[float, str] | None = None  # (when, "ok" / "locked" / "unreachable")
        self._probing: threading.Event | None = None

    def status(self) -> str:
        """ "ok", "locked" (SQLite: another connection holds the write lock), "unreachable", or
        "not answering" (the probe is still waiting after `within` seconds)."""
        with self._lock:
            if self._result and time.monotonic() - self._result[0] < self.fresh:
                return self._result[1]
            if self._probing is None:
                self._probing = threading.Event()
                threading.Thread(target=self._probe, args=(self._probing,), daemon=True).start()
            probing = self._probing
        if not probing.wait(self.within):
            return "not answering"
        with self._lock:
            return self._result[1] if self._result else "unreachable"

    def _probe(self, done: threading.Event) -> None:
        try:
            result = self._check()
        except Exception as err:  # the driver's own errors too: the probe uses a raw connection for SQLite
            result = "locked" if "database is locked" in str(err) else "unreachable"
        with self._lock:
            self._result = (time.monotonic(), result)
            self._probing = None
        done.set()

    def _check(self) -> str:
        if self.database.dialect.name == "sqlite":
            # Can it write? Take the write lock for an instant and let go.
            raw = self.database.raw_connection()
            try:
                cursor = raw.cursor()
                cursor.execute("BEGIN IMMEDIATE")
                cursor.execute("ROLLBACK")
            finally:
                raw.close()
            return "ok"
        with self.database.connect() as connection:
            connection.execute(text("SELECT 1"))
        return "ok"
