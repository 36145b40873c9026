"""Fixtures for the Terminus-compatible commands: a seeded real server and a way to run them."""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from click.testing import CliRunner

from emulator.cli import main

TOKEN = "dev-token"
PHP8 = {"php_version": "8.3"}

TERMINUS_WORLD = {
    "users": [
        {"email": "dev@example.com", "token": TOKEN},
        {"email": "outsider@example.com", "token": "outsider-token"},
    ],
    "organizations": [
        {
            "name": "acme",
            "members": ["dev@example.com"],
            "secrets": [
                {
                    "name": "ORG_KEY",
                    "value": "org-value",
                    "type": "runtime",
                    "scopes": ["web", "user"],
                    "overrides": {"live": "org-live"},
                }
            ],
        },
        {"name": "empty-org", "members": ["dev@example.com"]},
        {"name": "other-org", "members": ["outsider@example.com"]},
    ],
    "sites": [
        # "site" is the name the documented transcripts use (seeds/000_a91e06efdab1f76e.txt).
        {"name": "site", "owner": "acme", "framework": "drupal", "environments": {"dev": PHP8, "test": PHP8, "live": PHP8}},
        {
            "name": "legacy",
            "owner": "acme",
            "framework": "wordpress",
            "environments": {"dev": {"php_version": "7.4"}, "test": PHP8, "live": PHP8},
        },
        {
            "name": "next-site",
            "owner": "acme",
            "framework": "nodejs",
            "environments": {"dev": {"php_version": "7.4"}, "test": PHP8, "live": PHP8},
        },
        {"name": "lonely", "members": ["dev@example.com"], "environments": {"dev": PHP8}},
    ],
}


@pytest.fixture
def terminus_world(emulator_service) -> dict:
    """TERMINUS_WORLD seeded into the test emulator; returns the seed summary."""
    return emulator_service.seed(TERMINUS_WORLD).summary()


@pytest.fixture
def server(live_server, terminus_world) -> str:
    """URL of a real HTTP server holding TERMINUS_WORLD."""
    return live_server


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def terminus(server, monkeypatch, tmp_path) -> Callable[..., Run]:
    """Run ``pantheon-emulator ARGS`` in-process against ``server`` as dev@example.com.

    The emulator and token come from PANTHEON_EMULATOR_URL/_TOKEN; COLUMNS is 80, as in a
    terminal-less CI, and the working directory is an empty temporary one (no .env).
    """
    monkeypatch.chdir(tmp_path)

    def run(*args: str, env: dict[str, str] | None = None) -> Run:
        environ = {"PANTHEON_EMULATOR_URL": server, "PANTHEON_EMULATOR_TOKEN": TOKEN, "COLUMNS": "80", **(env or {})}
        result = CliRunner().invoke(main, list(args), env=environ, catch_exceptions=False)
        return Run(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def journal(emulator_service) -> Callable[[], list[tuple[str, str, int]]]:
    """The secrets-API requests the server received so far, as (method, path, status)."""

    def entries() -> list[tuple[str, str, int]]:
        return [(e.method, e.path, e.status) for e in emulator_service.journal.entries()]

    return entries


@pytest.fixture
def site_id(terminus_world) -> str:
    return next(s["id"] for s in terminus_world["sites"] if s["name"] == "site")


@pytest.fixture
def closed_url() -> str:
    """A URL on 127.0.0.1 where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
