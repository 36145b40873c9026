"""The emulator's only source of time.

Every rate-limit window, cache expiry and journal timestamp calls :func:`now`, so a
test that freezes or moves time with ``freezegun`` controls all of them at once.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone


def now() -> float:
    """Seconds since the epoch, as a float."""
    return time.time()


def isoformat(moment: float) -> str:
    """An RFC 3339 UTC timestamp for ``moment`` (seconds since the epoch)."""
    return datetime.fromtimestamp(moment, tz=timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
