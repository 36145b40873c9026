"""Per-user sliding-window rate limit for the management API (SPEC §5)."""

from __future__ import annotations

import math
import threading
from collections import deque

from emulator.core import clock


class RateLimiter:
    """At most ``limit`` requests per ``window`` seconds per key; time from :func:`clock.now`."""

    def __init__(self, limit: int, window: float, enabled: bool = True):
        self.limit = limit
        self.window = window
        self.enabled = enabled
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, key: str) -> int:
        """Count one request by ``key``; return 0 if allowed, else whole seconds to wait."""
        if not self.enabled:
            return 0
        moment = clock.now()
        with self._lock:
            seen = self._seen.setdefault(key, deque())
            if seen and seen[-1] > moment:  # the clock went backwards: the window starts afresh
                seen.clear()
            while seen and seen[0] <= moment - self.window:
                seen.popleft()
            if len(seen) >= self.limit:
                return max(1, math.ceil(seen[0] + self.window - moment))
            seen.append(moment)
            return 0

    def clear(self) -> None:
        with self._lock:
            self._seen.clear()

    def describe_window(self) -> str:
        """'second' for a one-second window, else '<n> seconds'."""
        return "second" if self.window == 1 else f"{self.window:g} seconds"
