"""pytest11 entry point of the pantheon secrets plugin: options, ini keys, markers.

Importing this module imports neither the emulator nor Flask; the fixtures import
them the first time a test asks for a fake Pantheon, so suites that never do pay
nothing for the plugin being installed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from .fixtures import *  # noqa: F401,F403  (pytest finds the fixtures on this module)

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


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("pantheon", "fake Pantheon secrets (pytest-pantheon-secrets)")
    group.addoption("--pantheon-rate-limit", dest="pantheon_rate_limit", metavar="on|off", default=None,
                    help="Rate-limit the management API in pantheon fixtures (default: off) "
                         "[ini: pantheon_rate_limit].")
    group.addoption("--pantheon-cache-ttl", dest="pantheon_cache_ttl", metavar="SECONDS", default=None,
                    help="Runtime cache lifetime in seconds, 0 turns it off (default: 900) [ini: pantheon_cache_ttl].")
    group.addoption("--pantheon-transport", dest="pantheon_transport", metavar="inprocess|live", default=None,
                    help="How the `pantheon` fixture reaches the emulator: in-process WSGI (default) or a live "
                         "HTTP server [ini: pantheon_transport].")
    parser.addini("pantheon_rate_limit", "on|off: rate-limit the management API in pantheon fixtures (default off).")
    parser.addini("pantheon_cache_ttl", "Runtime cache lifetime in seconds for pantheon fixtures (default 900).")
    parser.addini("pantheon_transport", "inprocess|live: the transport of the `pantheon` fixture (default inprocess).")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "pantheon_seed(*sources): seed the fake Pantheon before the test; each source is a seed document "
        "(dict) or a path to a JSON one, relative to the test file.",
    )
    config.stash[OPTIONS_KEY] = read_options(config)


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
