"""Fixtures for the reliability tests: the multi-tenant world, in process and behind a real server."""

from __future__ import annotations

import pytest

from emulator.config import Config
from emulator.web.app import create_app
from emulator.web.server import BackgroundServer

from .support import TENANT_WORLD


@pytest.fixture
def tenant_app():
    """A private in-memory emulator holding TENANT_WORLD; rate limit off."""
    app = create_app(Config(db=":memory:", demo=False, rate_limit=False))
    app.extensions["pantheon_emulator"].seed(TENANT_WORLD)
    return app


@pytest.fixture
def tenant_client(tenant_app):
    return tenant_app.test_client()


@pytest.fixture
def tenant_service(tenant_app):
    return tenant_app.extensions["pantheon_emulator"]


@pytest.fixture
def serve_app():
    """Serve a Flask app the way ``pantheon-emulator serve`` does (same waitress limits); returns its URL."""
    servers: list[BackgroundServer] = []

    def serve(app, threads: int = 4) -> str:
        servers.append(BackgroundServer(app, threads=threads))
        return servers[-1].url

    yield serve
    for server in servers:
        server.stop()


@pytest.fixture
def tenant_url(tenant_app, serve_app) -> str:
    """TENANT_WORLD behind a real waitress server on 127.0.0.1."""
    return serve_app(tenant_app)
