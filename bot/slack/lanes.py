"""Where listeners run, so that an acknowledgement never waits behind a reply.

Bolt hands every listener to its `listener_executor` and, for a command or a
click, waits (up to 3 s) for the listener to call ack(); an event is
acknowledged before its listener starts. So a listener whose request still
awaits its ack runs in the *prompt* pool, and one whose request is
acknowledged already (an event, whose reply then waits on Slack's Web API)
in the *reply* pool. Gunicorn's request threads only verify, claim and
acknowledge. A click's listener goes on after its ack (to post its reply):
from then on it no longer counts against the prompt lane's limit, only
against the prompt pool's size. Both pools are bounded: `admit` answers 503 to
a command or click when the prompt lane is full, and an event that finds the
reply queue full is parked in the database for later (see
app.claim_each_event_once).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from contextvars import ContextVar
from typing import Any

from slack_bolt import Ack, BoltContext, BoltResponse

log = logging.getLogger("bot.slack")
WHEN_DONE = "when_done"  # context key: callables run once the listener has finished, however it ended

_handed = threading.local()  # the request a request thread is about to hand to a listener
_current: ContextVar[BoltContext | None] = ContextVar("current_request", default=None)


def current_context() -> BoltContext | None:
    """The request the calling listener is answering (None outside a listener)."""
    return _current.get()


class _Ack(Ack):
    """Bolt's ack(), telling the prompt lane when it is called (the first time)."""

    on_first_call: Callable[[], None] | None = None

    def __call__(self, *args: Any, **kwargs: Any) -> BoltResponse:
        response = super().__call__(*args, **kwargs)
        release, self.on_first_call = self.on_first_call, None
        if release is not None:
            release()
        return response


class Lanes(Executor):
    def __init__(
        self,
        prompt_threads: int = 32,
        after_ack_threads: int = 64,
        reply_threads: int = 32,
        reply_queue: int = 256,
        run: Executor | None = None,
    ):
        """`run`: one executor for both lanes instead of the two pools (tests run listeners at once)."""
        self._pools = {
            "prompt": run
            or ThreadPoolExecutor(prompt_threads + after_ack_threads, thread_name_prefix="prompt"),
            "reply": run or ThreadPoolExecutor(reply_threads, thread_name_prefix="reply"),
        }
        # awaiting their ack; in the prompt pool at all; in the reply pool or its queue
        self._limits = {
            "unacked": prompt_threads,
            "prompt": prompt_threads + after_ack_threads,
            "reply": reply_threads + reply_queue,
        }
        self._busy = dict.fromkeys(self._limits, 0)
        self._lock = threading.Lock()

    def room(self, lane: str) -> int:
        """Listeners `lane` can still take before it refuses (prompt) or parks (reply) new work."""
        with self._lock:
            if lane == "prompt":
                return min(self._limits[k] - self._busy[k] for k in ("unacked", "prompt"))
            return self._limits[lane] - self._busy[lane]

    def admit(
        self, body: dict[str, Any], context: BoltContext, next: Callable[[], None]
    ) -> BoltResponse | None:
        """Middleware: a command or click with no prompt thread free is refused at once (503), not queued."""
        if body.get("type") != "event_callback" and self.room("prompt") <= 0:
            log.warning("busy: %s refused, every prompt thread taken", body.get("type") or "command")
            return BoltResponse(status=503, body="busy")
        context["lanes"] = self
        if body.get("type") != "event_callback":
            context["ack"] = _Ack()
        _handed.context = context  # read back by submit(), called next in this same thread
        next()
        return None

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        context: BoltContext | None = getattr(_handed, "context", None)
        _handed.context = None
        lane = "prompt" if context is not None and context.ack.response is None else "reply"
        released = threading.Event()

        def release_unacked() -> None:
            with self._lock:
                if not released.is_set():
                    released.set()
                    self._busy["unacked"] -= 1

        with self._lock:
            self._busy[lane] += 1
            if lane == "prompt":
                self._busy["unacked"] += 1
        if lane == "prompt":
            ack = context.ack if context is not None else None
            if isinstance(ack, _Ack):
                ack.on_first_call = release_unacked

        def run() -> Any:
            token = _current.set(context)
            try:
                return fn(*args, **kwargs)
            finally:
                _current.reset(token)
                if lane == "prompt":
                    release_unacked()
                with self._lock:
                    self._busy[lane] -= 1
                for done in (context or {}).get(WHEN_DONE, ()):
                    try:
                        done()
                    except Exception as err:  # e.g. the database went away meanwhile
                        log.warning("after the reply: %s", type(err).__name__)

        return self._pools[lane].submit(run)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        for pool in set(self._pools.values()):
            pool.shutdown(wait=wait, cancel_futures=cancel_futures)
