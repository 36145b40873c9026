"""Assertions over the emulator's journal: who read which secret, through which door.

The journal holds names, never values; failure messages list what did happen and,
where they show what a site reads now, mask every value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from emulator.core.journal import JournalEntry
from emulator.core.model import Site
from emulator.core.resolve import Resolved
from emulator.core.service import Emulator

MASK = "***"
# Which scope each kind of journaled call reads: the runtime path serves `web`-scoped
# values; a management listing shows `user`-scoped ones.
SCOPE_READ_BY_KIND = {"runtime": "web", "management": "user"}


def describe(entry: JournalEntry) -> str:
    """One journal entry as a line of a failure message: no values, only names."""
    line = f"{entry.time} {entry.method} {entry.path} -> {entry.status} as {entry.actor}"
    if entry.delivered:
        line += f" (delivered {', '.join(entry.delivered)})"
    return line


def masked(resolved: dict[str, Resolved]) -> str:
    """``NAME=*** (layer)`` for each resolved name; never a value."""
    if not resolved:
        return "nothing"
    return ", ".join(f"{name}={MASK} ({r.layer})" for name, r in resolved.items())


def _listing(title: str, entries: Iterable[JournalEntry]) -> str:
    lines = [describe(entry) for entry in entries]
    if not lines:
        return f"{title}: none."
    return f"{title}:\n" + "\n".join(f"  {i}. {line}" for i, line in enumerate(lines, 1))


def _times(n: int) -> str:
    return "once" if n == 1 else "never" if n == 0 else f"{n} times"


class JournalView:
    """The journal of one test's fake Pantheon, with assertions that explain themselves."""

    def __init__(self, emulator: Emulator, find_site: Callable[[Site | str], Site]):
        self._emulator = emulator
        self._find_site = find_site

    def entries(self, **filters: object) -> list[JournalEntry]:
        """Every recorded API call, oldest first, keeping those whose fields equal ``filters``."""
        return self._emulator.journal.entries(**filters)

    def clear(self) -> None:
        self._emulator.journal.clear()

    def runtime_reads(
        self, name: str | None = None, *, site: Site | str | None = None, env: str | None = None
    ) -> list[JournalEntry]:
        """Successful runtime reads (by site and environment) that delivered ``name``, if given."""
        refs = self._site_refs(site)
        return [
            e
            for e in self._emulator.journal.entries(kind="runtime")
            if e.status < 400
            and (refs is None or e.site in refs)
            and (env is None or e.environment == env)
            and (name is None or name in e.delivered)
        ]

    def assert_read(self, name: str, *, site: Site | str | None = None, env: str | None = None, times: int | None = None) -> None:
        """The runtime read ``name`` (at least once, or exactly ``times``), in ``site``/``env`` if given."""
        __tracebackhide__ = True
        found = len(self.runtime_reads(name, site=site, env=env))
        if (found >= 1) if times is None else (found == times):
            return
        where = self._where(site, env)
        expected = "at least once" if times is None else _times(times)
        message = [f"Expected the runtime{where} to read {name!r} {expected}, but it read it {_times(found)}."]
        message.append(_listing("Runtime reads recorded", self._emulator.journal.entries(kind="runtime")))
        if site is not None and env is not None:
            found_site = self._find_site(site)
            self._emulator.environment_of(found_site, env)
            message.append(
                f"What {found_site.name}.{env} reads now (web scope): {masked(self._emulator.resolved(found_site, env, 'web'))}."
            )
        raise AssertionError("\n".join(message))

    def assert_not_read(self, name: str, *, site: Site | str | None = None, env: str | None = None) -> None:
        """No runtime read delivered ``name`` (in ``site``/``env`` if given)."""
        __tracebackhide__ = True
        self.assert_read(name, site=site, env=env, times=0)

    def assert_no_reads_outside_scope(self, scope: str = "web") -> None:
        """Every secret read went through the door of ``scope``: for ``web``, the runtime path only.

        A management listing reads `user`-scoped values, and a runtime request for a name the
        web scope does not hold (answered 404) is an attempt to read outside it.
        """
        __tracebackhide__ = True
        outside = [e for e in self._emulator.journal.entries() if self._reads_outside(e, scope)]
        if outside:
            raise AssertionError(
                f"Expected every secret read to stay within the {scope!r} scope, but {len(outside)} did not.\n"
                + _listing("Reads outside it", outside)
            )

    @staticmethod
    def _reads_outside(entry: JournalEntry, scope: str) -> bool:
        if entry.method != "GET":
            return False
        kind_scope = SCOPE_READ_BY_KIND.get(entry.kind)
        if kind_scope != scope:
            return entry.status < 400 or entry.kind == "runtime" and entry.status == 404
        return entry.kind == "runtime" and entry.status == 404 and entry.secret is not None

    def _site_refs(self, site: Site | str | None) -> set[str] | None:
        if site is None:
            return None
        found = self._find_site(site)
        return {found.id, found.name}

    def _where(self, site: Site | str | None, env: str | None) -> str:
        parts = []
        if site is not None:
            parts.append(f"of site {self._find_site(site).name!r}")
        if env is not None:
            parts.append(f"in {env!r}")
        return (" " + " ".join(parts)) if parts else ""
