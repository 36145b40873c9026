from __future__ import annotations

import pytest

from .support import MACHINE_TOKEN, Server, Terminus


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One ``pantheon-emulator serve`` per module, seeded with support.WORLD."""
    started = Server(tmp_path_factory.mktemp("emulator"), "--no-rate-limit")  # not what these tests exercise
    yield started
    started.stop()


@pytest.fixture(scope="module")
def terminus(server, tmp_path_factory):
    """The real Terminus with its own HOME, pointed at ``server`` by ``terminus-env``, logged in.

    Logged in here rather than by a test, so no test depends on another having run first
    (with pytest-xdist each worker builds its own module fixtures).
    """
    logged_in = Terminus(server, tmp_path_factory.mktemp("home"))
    run = logged_in("auth:login", f"--machine-token={MACHINE_TOKEN}")
    assert run.code == 0, run.err
    return logged_in


@pytest.fixture
def new_terminus(server, tmp_path):
    """The real Terminus with a fresh HOME (never logged in), pointed at ``server``."""
    home = tmp_path / "home"
    home.mkdir()
    return Terminus(server, home)
