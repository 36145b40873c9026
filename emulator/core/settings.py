"""The settings a running emulator may change (rate limit, runtime cache), and the one rule
that checks them: for ``serve`` options, the control plane, the pytest plugin and its handle."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from emulator.core import policy
from emulator.core.errors import InvalidInput, shown


@dataclass
class Settings:
    """Runtime-adjustable behaviour of one emulator."""

    rate_limit: bool = True
    rate_limit_requests: int = policy.RATE_LIMIT_REQUESTS
    rate_limit_window: float = policy.RATE_LIMIT_WINDOW_SECONDS
    cache_ttl: float = policy.RUNTIME_CACHE_TTL_SECONDS
    session_ttl: float = policy.SESSION_TTL_SECONDS
    journal_size: int = policy.JOURNAL_SIZE


RUNTIME_SETTINGS: dict[str, type | tuple[type, ...]] = {
    "rate_limit": bool,
    "rate_limit_requests": int,
    "rate_limit_window": (int, float),
    "cache_ttl": (int, float),
    "session_ttl": (int, float),
}


def check_setting(key: str, value: Any) -> Any:
    """``value`` for setting ``key``, or InvalidInput naming what is wrong with it."""
    kind = RUNTIME_SETTINGS.get(key)
    if kind is None:
        raise InvalidInput(f"Unknown setting '{shown(str(key))}'. Settings: {', '.join(RUNTIME_SETTINGS)}.")
    if isinstance(value, bool) and kind is not bool or not isinstance(value, kind):
        raise InvalidInput(f"Setting '{key}' has the wrong type.")
    if key == "rate_limit_requests" and value < 1:
        raise InvalidInput("Setting 'rate_limit_requests' must be at least 1.")
    if key in ("rate_limit_window", "cache_ttl", "session_ttl"):
        try:
            value = float(value)  # a JSON integer may be too large for a float
        except OverflowError:
            raise InvalidInput(f"Setting '{key}' is too large.") from None
        if math.isnan(value):
            raise InvalidInput(f"Setting '{key}' must be a number.")
        if key in ("rate_limit_window", "session_ttl") and value <= 0:
            raise InvalidInput(f"Setting '{key}' must be more than 0 seconds.")
        if value < 0:
            raise InvalidInput(f"Setting '{key}' must not be negative.")
    return value


def check_settings(changes: dict[str, Any]) -> dict[str, Any]:
    """Every change checked before any is applied (all or nothing)."""
    return {key: check_setting(key, value) for key, value in changes.items()}
