"""Events claimed by a process that died before replying are answered by another.

Each process (each gunicorn worker) runs one thread that, every few seconds,
renews the leases on the claims it holds (queued or being answered) and takes
over open claims whose lease ran out: their holder died (SIGKILL, out of
memory, a lost machine) or they were parked while the reply queue was full.
The event, kept encrypted in the claim, is dispatched again; its claim is
closed once the reply is out.
"""

from __future__ import annotations

import logging
import os
import threading

from slack_bolt import App, BoltRequest
from sqlalchemy.exc import SQLAlchemyError

from bot.db.store import Store
from bot.slack.app import RECOVERED
from bot.slack.lanes import Lanes

log = logging.getLogger("bot.slack")


class Recovery:
    def __init__(self, app: App, store: Store, every: float | None = None):
        self.app = app
        self.store = store
        self.every = every if every is not None else store.lease.total_seconds() / 4
        self._stop = threading.Event()
        self._pid = 0

    def start(self) -> None:
        """Start the thread (once per process: call it again after a fork)."""
        if self._pid == os.getpid():
            return
        self._pid = os.getpid()
        self._stop.clear()
        threading.Thread(target=self._run, name="claims-recovery", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.run_once()

    def run_once(self) -> int:
        """Renew this process's leases, then re-dispatch expired claims it has room for; how many."""
        executor = self.app.listener_runner.listener_executor
        room = executor.room("reply") if isinstance(executor, Lanes) else 16
        try:
            self.store.renew_leases()
            events = self.store.take_over_expired(limit=min(room, 16)) if room > 0 else []
        except SQLAlchemyError as err:
            log.warning("claims not renewed: %s", type(err).__name__)
            return 0
        for raw in events:
            log.info("answering an event whose first process stopped")
            # Socket-mode requests skip signature checks: this body was verified when it first came in.
            self.app.dispatch(BoltRequest(body=raw, mode="socket_mode", context={RECOVERED: True}))
        return len(events)
