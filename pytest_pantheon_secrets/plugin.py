"""pytest11 entry point of the pantheon secrets plugin: options, ini keys, markers.

Importing this module imports neither the emulator nor Flask; the fixtures import
them the first time a test asks for a fake Pantheon, so suites that never do pay
nothing for the plugin being installed.
"""

from __future__ import annotations

import pytest

from .fixtures import *
from .options import OPTIONS_KEY, read_options


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("pantheon", "fake Pantheon secrets (pytest-pantheon-secrets)")
    group.addoption(
        "--pantheon-rate-limit",
        dest="pantheon_rate_limit",
        metavar="on|off",
        default=None,
        help="Rate-limit the management API in pantheon fixtures (default: off) [ini: pantheon_rate_limit].",
    )
    group.addoption(
        "--pantheon-cache-ttl",
        dest="pantheon_cache_ttl",
        metavar="SECONDS",
        default=None,
        help="Runtime cache lifetime in seconds, 0 turns it off (default: 900) [ini: pantheon_cache_ttl].",
    )
    group.addoption(
        "--pantheon-transport",
        dest="pantheon_transport",
        metavar="inprocess|live",
        default=None,
        help="How the `pantheon` fixture reaches the emulator: in-process WSGI (default) or a live "
        "HTTP server [ini: pantheon_transport].",
    )
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
