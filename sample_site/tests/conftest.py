"""Fixtures for the sample site's tests: the seeded world and the site built against it.

Every test starts from ``sample_site/seed.json``, the world ``pantheon-emulator serve
--seed sample_site/seed.json`` serves, so what the tests show is what a developer sees.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from sample_site import create_app
from sample_site.outbound import Outbox

SITE = "acme-web"
ORG = "acme-coffee"
CI_USER = "ci@acme-coffee.example"


@pytest.fixture
def pantheon_seed() -> str:
    """The world of every test in this directory (the path is relative to this file)."""
    return "../seed.json"


@pytest.fixture
def make_site(pantheon) -> Callable[..., Flask]:
    """``make_site(env)``: the sample site as acme-web's process in ``env``, reading its
    secrets from the in-process fake Pantheon (no sockets)."""

    def make(env: str = "dev", **config: Any) -> Flask:
        pantheon.point_at(SITE, env)
        return create_app({"TESTING": True, "DOTENV_PATH": None, "SECRETS_SESSION": pantheon.session, **config})

    return make


def outbox(app: Flask) -> Outbox:
    """What the site sent to its providers (each delivery with the API key it used)."""
    return app.extensions["sample_site.outbox"]
