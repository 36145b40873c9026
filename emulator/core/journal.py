"""A bounded, in-memory record of recent API calls: who, what, when; never values."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from emulator.core import clock, policy
from emulator.core.errors import shown


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

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class RequestFacts:
    """What the views learn about one API request, for its journal entry: filled while the
    request is handled, recorded with the response's status when it is done."""

    kind: str = "management"  # or "runtime"
    actor: str = "anonymous"
    environment: str | None = None
    secret: str | None = None
    delivered: tuple[str, ...] = ()


FILTERABLE = ("kind", "actor", "method", "status", "site", "organization", "environment", "secret")


def _listable(field: object) -> Any:
    """Text escaped and capped as in error messages, so any input is safe to list."""
    return shown(field, policy.JOURNAL_TEXT_MAX_LENGTH) if isinstance(field, str) else field


def _capped(text: str | None) -> str | None:
    """Text as stored: at most a little over what listing shows, whatever the request sent."""
    if text is None or len(text) <= policy.JOURNAL_TEXT_MAX_LENGTH:
        return text
    return text[: policy.JOURNAL_TEXT_MAX_LENGTH + 1]  # listing cuts it with "..."


class Journal:
    """The last ``size`` calls. Recording runs on every request, so it keeps the moment
    and the fields as a tuple; :class:`JournalEntry` objects are built when read."""

    def __init__(self, size: int):
        self._entries: deque[tuple[Any, ...]] = deque(maxlen=size)
        self._lock = threading.Lock()

    def record(
        self,
        kind: str,
        actor: str,
        method: str,
        path: str,
        status: int,
        site: str | None = None,
        organization: str | None = None,
        environment: str | None = None,
        secret: str | None = None,
        delivered: tuple[str, ...] = (),
    ) -> None:
        cap = _capped
        row = (
            clock.now(),
            kind,
            cap(actor),
            cap(method),
            cap(path),
            status,
            cap(site),
            cap(organization),
            cap(environment),
            cap(secret),
            delivered,
        )
        with self._lock:
            self._entries.append(row)

    def entries(self, **filters: object) -> list[JournalEntry]:
        """Entries, oldest first, keeping those whose fields equal every given filter."""
        wanted = {k: v for k, v in filters.items() if v is not None}
        with self._lock:
            snapshot: Iterable[tuple[Any, ...]] = list(self._entries)
        entries = [JournalEntry(clock.isoformat(moment), *map(_listable, fields)) for moment, *fields in snapshot]
        return [e for e in entries if all(str(getattr(e, k)) == str(v) for k, v in wanted.items())]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
