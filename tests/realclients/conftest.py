from __future__ import annotations

import pytest

from .support import Server, Terminus


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One ``pantheon-emulator serve`` per module, seeded with support.WORLD."""
    started = Server(tmp_path_factory.mktemp("emulator"), "--no-rate-limit")  # not what these tests exercise
    yield started
    started.stop()


@pytest.fixture(scope="module")
def terminus(server, tmp_path_factory):
    """The real Terminus with its own HOME, pointed at ``server`` by ``terminus-env``."""
    return Terminus(server, tmp_path_factory.mktemp("home"))
