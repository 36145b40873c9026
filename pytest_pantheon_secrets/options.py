"""The plugin's settings: ``--pantheon-*`` options over ``pantheon_*`` ini keys over defaults."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

TRANSPORTS = ("inprocess", "live")
_ON = ("on", "true", "yes", "1")
_OFF = ("off", "false", "no", "0")
OPTIONS_KEY = pytest.StashKey["PantheonOptions"]()


@dataclass(frozen=True)
class PantheonOptions:
    """The plugin's settings after the command line, the ini file and the defaults are combined."""

    rate_limit: bool = False  # off in fixtures; `pantheon-emulator serve` has it on
    cache_ttl: float | None = None  # None: the emulator's default (900 s)
    transport: str = "inprocess"  # or "live": `pantheon` then talks to a real server


def _setting(config: pytest.Config, name: str) -> tuple[str | None, str]:
    """The raw value of a setting and where it came from: command line over ini file."""
    value = config.getoption(name)
    if value is not None:
        return str(value), "--" + name.replace("_", "-")
    value = config.getini(name)
    if value not in (None, "", []):
        return str(value), f"ini option '{name}'"
    return None, ""


def read_options(config: pytest.Config) -> PantheonOptions:
    """Combine command line, ini file and defaults; a bad value stops the run with a usage error."""
    options = PantheonOptions()
    raw, source = _setting(config, "pantheon_rate_limit")
    rate_limit = options.rate_limit
    if raw is not None:
        word = raw.strip().lower()
        if word not in _ON + _OFF:
            raise pytest.UsageError(f"{source}: expected 'on' or 'off', got {raw!r}.")
        rate_limit = word in _ON
    raw, source = _setting(config, "pantheon_cache_ttl")
    cache_ttl = options.cache_ttl
    if raw is not None:
        try:
            cache_ttl = float(raw)
        except ValueError:
            cache_ttl = -1.0
        if not cache_ttl >= 0:  # also rejects NaN
            raise pytest.UsageError(f"{source}: expected a number of seconds (0 or more), got {raw!r}.")
    raw, source = _setting(config, "pantheon_transport")
    transport = options.transport
    if raw is not None:
        transport = raw.strip().lower()
        if transport not in TRANSPORTS:
            raise pytest.UsageError(f"{source}: expected one of {', '.join(TRANSPORTS)}, got {raw!r}.")
    return PantheonOptions(rate_limit=rate_limit, cache_ttl=cache_ttl, transport=transport)
