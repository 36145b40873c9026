"""Shared fixtures for the project's own tests: an app over a private in-memory store."""

from __future__ import annotations

import pytest

from emulator.config import Config
from emulator.web.app import create_app

ACME_WORLD = {
    "users": [
        {"email": "dev@example.com", "token": "dev-token"},
        {"email": "outsider@example.com", "token": "outsider-token"},
        {"email": "partner@example.com", "token": "partner-token"},
    ],
    "organizations": [
        {
            "name": "acme",
            "members": ["dev@example.com"],
            "secrets": [
                {
                    "name": "API_KEY",
                    "value": "org-value",
                    "type": "runtime",
                    "scopes": ["web", "user"],
                    "overrides": {"live": "org-live"},
                }
            ],
        },
        {
            "name": "partner",
            "members": ["partner@example.com"],
            "secrets": [{"name": "PARTNER_ONLY", "value": "partner-value", "scopes": ["web", "user"]}],
        },
    ],
    "sites": [
        {
            "name": "acme-web",
            "owner": "acme",
            "supporting": ["partner"],
            "runtime_token": "acme-web-runtime",
            "environments": {
                "dev": {"php_version": "8.3"},
                "test": {"php_version": "8.3"},
                "live": {"php_version": "8.3"},
                "legacy": {"php_version": "7.4"},
            },
        },
        {"name": "personal", "members": ["outsider@example.com"], "runtime_token": "personal-runtime"},
    ],
}


@pytest.fixture
def config() -> Config:
    """A private in-memory emulator without the demo world; rate limit off unless a test turns it on."""
    return Config(db=":memory:", demo=False, rate_limit=False)


@pytest.fixture
def app(config):
    return create_app(config)


@pytest.fixture
def emulator_service(app):
    return app.extensions["pantheon_emulator"]


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def world(emulator_service) -> dict:
    """The acme world of ACME_WORLD seeded; returns the seed summary."""
    return emulator_service.seed(ACME_WORLD).summary()


@pytest.fixture
def live_server(app):
    """The app behind a real waitress server on 127.0.0.1 and a free port; yields its URL."""
    from emulator.web.server import BackgroundServer

    server = BackgroundServer(app, host="127.0.0.1", port=0, threads=4)
    yield server.url
    server.stop()
