"""A bounded, in-memory record of recent API calls: who, what, when; never values."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import asdict, dataclass
from typing import Iterable

from . import clock, policy
from .errors import shown


@dataclass(frozen=True)
class JournalEntry:
    time: str
    kind: str  # "management" or "runtime"
    actor: str  # a user's email, "runtime:<site>", or "anonymous"
    method: str
    path: str
    status: int
    site: str | None = None
    organization: str | None = None
    environment: str | None = None
    secret: str | None = None
    delivered: tuple[str, ...] = ()  # names a runtime read answered with (never their values)

    def to_dict(self) -> dict:
        return asdict(self)


FILTERABLE = ("kind", "actor", "method", "status", "site", "organization", "environment", "secret")


class Journal:
    def __init__(self, size: int):
        self._entries: deque[JournalEntry] = deque(maxlen=size)
        self._lock = threading.Lock()

    def record(self, **fields) -> None:
        """Keep one entry; text is escaped and capped as in error messages, so any input is safe to list."""
        safe = {k: shown(v, policy.JOURNAL_TEXT_MAX_LENGTH) if isinstance(v, str) else v for k, v in fields.items()}
        entry = JournalEntry(time=clock.isoformat(clock.now()), **safe)
        with self._lock:
            self._entries.append(entry)

    def entries(self, **filters) -> list[JournalEntry]:
        """Entries, oldest first, keeping those whose fields equal every given filter."""
        wanted = {k: v for k, v in filters.items() if v is not None}
        with self._lock:
            snapshot: Iterable[JournalEntry] = list(self._entries)
        return [e for e in snapshot if all(str(getattr(e, k)) == str(v) for k, v in wanted.items())]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
