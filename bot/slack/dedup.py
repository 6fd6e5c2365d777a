"""Remember which events were answered, so a re-sent event is answered once."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict


class RecentKeys:
    """Keys claimed in the last `ttl` seconds, in memory (one process).

    `claim` is atomic: of many callers with one key, exactly one gets True.
    """

    def __init__(self, ttl: float = 3600.0, max_keys: int = 100_000):
        self.ttl = ttl
        self.max_keys = max_keys
        self._keys: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def claim(self, key: str) -> bool:
        now = time.monotonic()
        with self._lock:
            while self._keys and (
                len(self._keys) >= self.max_keys or next(iter(self._keys.values())) < now - self.ttl
            ):
                self._keys.popitem(last=False)
            if key in self._keys:
                return False
            self._keys[key] = now
            return True
