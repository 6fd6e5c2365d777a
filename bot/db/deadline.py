"""A deadline on every PostgreSQL round trip, so a hung server costs a request seconds, never minutes.

PostgreSQL's own timeouts cover a server that is slow (statement_timeout) or
not there (connect_timeout). A server that stops answering on a connection
already open (hung, or a network that drops packets while the kernel still
acknowledges them) leaves the driver waiting on a socket that never becomes
readable, and SQLAlchemy's pre-ping waits the same way. This watchdog shuts
such a socket down once its deadline passes: the driver then fails with an
error, SQLAlchemy discards the connection, and the caller gets an exception.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from typing import Any

from sqlalchemy import Engine, event

log = logging.getLogger("bot.db")
NO_DEADLINE = "no_deadline"  # connection.info key: migrations may wait for a lock as long as they need


class Watchdog:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self._armed: dict[int, tuple[float, Any, int]] = {}  # id(dbapi connection) -> (deadline, it, fd)
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None
        self._pid = 0

    def arm(self, dbapi_connection: Any) -> None:
        try:
            fd = dbapi_connection.fileno()
        except Exception:  # already closed: nothing to watch
            return
        with self._wake:
            self._ensure_thread()
            self._armed[id(dbapi_connection)] = (time.monotonic() + self.seconds, dbapi_connection, fd)
            self._wake.notify()

    def disarm(self, dbapi_connection: Any) -> None:
        with self._wake:
            self._armed.pop(id(dbapi_connection), None)

    def _ensure_thread(self) -> None:
        # One thread per process: a gunicorn worker forked from the master starts its own.
        if self._thread is None or self._pid != os.getpid():
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._watch, name="db-watchdog", daemon=True)
            self._thread.start()

    def _watch(self) -> None:
        while True:
            with self._wake:
                now = time.monotonic()
                due = [key for key, (deadline, _, _) in self._armed.items() if deadline <= now]
                expired = [self._armed.pop(key) for key in due]
                if not expired:
                    nearest = min((d for d, _, _ in self._armed.values()), default=now + 60)
                    self._wake.wait(max(0.01, nearest - now))
                    continue
            for _, connection, fd in expired:
                _cut(connection, fd, self.seconds)


def _cut(connection: Any, fd: int, seconds: float) -> None:
    try:
        if connection.fileno() != fd:  # closed and the number reused: not ours any more
            return
        with socket.socket(fileno=os.dup(fd)) as sock:
            sock.shutdown(socket.SHUT_RDWR)
        log.warning("database did not answer within %.1f s: connection dropped", seconds)
    except Exception:  # closed in the meantime
        pass


def watch(engine: Engine, seconds: float) -> Watchdog:
    """Arm a deadline at every statement, commit, rollback and pre-ping; disarm when the connection is returned."""
    dog = Watchdog(seconds)

    def arm(connection: Any) -> None:
        if not connection.info.get(NO_DEADLINE):
            dog.arm(connection.connection.dbapi_connection)

    event.listen(engine, "before_cursor_execute", lambda conn, *_: arm(conn))
    event.listen(engine, "commit", arm)
    event.listen(engine, "rollback", arm)
    event.listen(engine, "reset", lambda dbapi_connection, *_: dog.arm(dbapi_connection))
    event.listen(engine, "checkin", lambda dbapi_connection, *_: dog.disarm(dbapi_connection))
    event.listen(engine, "close", lambda dbapi_connection, *_: dog.disarm(dbapi_connection))
    event.listen(engine, "invalidate", lambda dbapi_connection, *_: dog.disarm(dbapi_connection))

    ping = engine.dialect.do_ping

    def do_ping(dbapi_connection: Any) -> bool:
        dog.arm(dbapi_connection)
        try:
            return ping(dbapi_connection)
        finally:
            dog.disarm(dbapi_connection)

    engine.dialect.do_ping = do_ping  # type: ignore[method-assign]
    return dog
