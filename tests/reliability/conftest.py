"""Fixtures for the reliability tests: the multi-tenant world, in process and behind a real server."""

from __future__ import annotations

import threading

import pytest

from emulator.app import create_app
from emulator.config import Config
from emulator.seed import apply_seed
from emulator.server import create_wsgi_server

from .support import TENANT_WORLD


@pytest.fixture
def tenant_app():
    """A private in-memory emulator holding TENANT_WORLD; rate limit off."""
    app = create_app(Config(db=":memory:", demo=False, rate_limit=False))
    apply_seed(app.extensions["pantheon_emulator"].store, TENANT_WORLD)
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
    servers = []

    def serve(app, threads: int = 4) -> str:
        server = create_wsgi_server(app, host="127.0.0.1", port=0, threads=threads)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        servers.append((server, thread))
        return f"http://127.0.0.1:{server.effective_port}"

    yield serve
    for server, thread in servers:
        server.close()
        thread.join(timeout=5)


@pytest.fixture
def tenant_url(tenant_app, serve_app) -> str:
    """TENANT_WORLD behind a real waitress server on 127.0.0.1."""
    return serve_app(tenant_app)
