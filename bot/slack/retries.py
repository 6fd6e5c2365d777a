"""When a Web API call (or a response_url post) is tried again, and for how long.

Retried, with backoff, within BUDGET seconds for the whole call: a 429 (after
its Retry-After: a wait that would overrun the budget is not started, so no
thread sleeps 20 s on a hint), a 500/502/503/504, and a connection refused or
cut before the request was sent. A connection cut *after* the request was
sent is retried only for methods that change nothing: Slack may already have
posted the message, and a second try would post it twice. Such a post is
counted as "unconfirmed" instead (see sending.py).
"""

from __future__ import annotations

import random
import time
from http.client import HTTPException
from typing import Any
from urllib.error import HTTPError, URLError

from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

BUDGET = 30.0  # seconds one call may spend waiting to try again
RETRIED_STATUS = (500, 502, 503, 504)


def changes_something(url: str) -> bool:
    """Posting methods and response_urls: not safe to send twice."""
    if "/api/" not in url:
        return True  # a response_url
    return url.rsplit("/", 1)[-1].startswith("chat.")


def never_sent(error: BaseException | None) -> bool:
    """urllib raises URLError (not an HTTP error) only when connecting or sending failed: Slack has nothing."""
    return isinstance(error, URLError) and not isinstance(error, HTTPError)


class SlackRetries(RetryHandler):
    def __init__(self, budget: float = BUDGET, max_retry_count: int = 8, base: float = 0.5):
        super().__init__(max_retry_count=max_retry_count)
        self.budget = budget
        self.base = base

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        values = state.custom_values if state.custom_values is not None else {}
        state.custom_values = values
        started = values.setdefault("started", time.monotonic())
        wait = self._wait(state, request, response, error)
        if wait is None or time.monotonic() - started + wait > self.budget:
            return False
        values["wait"] = wait
        return True

    def _wait(
        self, state: RetryState, request: HttpRequest, response: HttpResponse | None, error: Any
    ) -> float | None:
        backoff = self.base * 2**state.current_attempt * (1 + random.random() / 4)
        if response is not None:
            if response.status_code == 429:
                return _retry_after(response) + random.random() / 4
            return backoff if response.status_code in RETRIED_STATUS else None
        if never_sent(error):
            return backoff
        if isinstance(error, (ConnectionError, HTTPException, TimeoutError)):
            return None if changes_something(request.url) else backoff
        return None

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        time.sleep((state.custom_values or {}).get("wait", self.base))
        state.next_attempt_requested = True
        state.increment_current_attempt()


def _retry_after(response: HttpResponse) -> float:
    for name, values in response.headers.items():
        if name.lower() == "retry-after":
            value = values[0] if isinstance(values, list) else values
            try:
                return max(0.0, float(value))
            except (TypeError, ValueError):
                break
    return 1.0


def retry_handlers() -> list[RetryHandler]:
    return [SlackRetries()]
