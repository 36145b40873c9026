"""The plugin's fixtures. Each imports the emulator only when a test first asks for it.

``pantheon`` is the one most tests want; ``pantheon_live`` is the same handle over a
real HTTP server; the rest are small pieces a suite may override in its conftest.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .backend import SharedEmulator
    from .handle import FakePantheon
    from .options import PantheonOptions

__all__ = ["pantheon_options", "pantheon_backend", "pantheon_seed", "pantheon", "pantheon_live"]

_SEEDED = pytest.StashKey[list]()


@pytest.fixture(scope="session")
def pantheon_options(pytestconfig: pytest.Config) -> PantheonOptions:
    """The plugin's settings: ``--pantheon-*`` options over ``pantheon_*`` ini keys over defaults.

    Session-scoped; override it in a conftest to fix settings in code.
    """
    from .options import OPTIONS_KEY, read_options

    return pytestconfig.stash.get(OPTIONS_KEY, None) or read_options(pytestconfig)


@pytest.fixture(scope="session")
def pantheon_backend(pantheon_options: PantheonOptions) -> Iterator[SharedEmulator]:
    """The one emulator of this test process (each xdist worker has its own), reset before each test.

    Session-scoped: it holds the Flask app, its in-memory store, and the live server once a
    test has asked for one. Tests use ``pantheon`` or ``pantheon_live`` instead.
    """
    from .backend import SharedEmulator

    backend = SharedEmulator(pantheon_options)
    yield backend
    backend.close()


@pytest.fixture
def pantheon_seed() -> Any:
    """Seed applied before each test that uses a fake Pantheon, before its ``pantheon_seed`` markers.

    Returns None here. Override it in a conftest to give a directory a world: return a seed
    document (dict), the path of a JSON one (relative to that conftest), or a list of them.
    """
    return None


@pytest.fixture
def pantheon(
    request: pytest.FixtureRequest, pantheon_backend: SharedEmulator, pantheon_options: PantheonOptions, pantheon_seed: Any
) -> Iterator[FakePantheon]:
    """A fresh fake Pantheon for this test, in-process: no sockets, no threads.

    Function-scoped: the world, runtime cache, journal and settings start empty for every test
    (after the ``pantheon_seed`` fixture and markers are applied). With ``--pantheon-transport=live``
    it is served over a real HTTP server instead, like ``pantheon_live``.
    """
    yield from _serve(request, pantheon_backend, pantheon_options.transport, pantheon_seed)


@pytest.fixture
def pantheon_live(
    request: pytest.FixtureRequest,
    pantheon_backend: SharedEmulator,
    pantheon_seed: Any,
) -> Iterator[FakePantheon]:
    """The same fake Pantheon as ``pantheon``, served over HTTP on 127.0.0.1 and an ephemeral port.

    For code under test that makes its own HTTP calls, runs subprocesses or is not Python: hand it
    ``pantheon_live.url`` (or call ``point_at``). The server starts once per session (per xdist
    worker) and the world is reset for every test. Used together with ``pantheon`` in one test,
    both handles share one world.
    """
    yield from _serve(request, pantheon_backend, "live", pantheon_seed)


def _serve(request: pytest.FixtureRequest, backend: SharedEmulator, transport: str, seed: Any) -> Iterator[FakePantheon]:
    from .handle import FakePantheon

    handle = FakePantheon(
        backend.emulator,
        backend.url_for(transport),
        transport,
        make_session=lambda: _session(backend, transport),
        fixture=request.getfixturevalue,
        seeded=_fresh_world(request, backend, seed),
        default_cache_ttl=backend.cache_ttl,
    )
    yield handle
    handle.close()
    errors = backend.errors.take()
    if errors:
        pytest.fail(
            "The fake Pantheon failed inside while serving this test (an emulator bug):\n" + "\n".join(errors), pytrace=False
        )


def _fresh_world(request: pytest.FixtureRequest, backend: SharedEmulator, seed: Any) -> list:
    """Reset and seed once per test, however many pantheon fixtures it uses."""
    stash = request.node.stash
    if _SEEDED not in stash:
        from .seeding import apply_all, sources_for

        emulator = backend.fresh()
        stash[_SEEDED] = apply_all(emulator, sources_for(request, seed))
    return stash[_SEEDED]


def _session(backend: SharedEmulator, transport: str):
    import requests

    from .transport import in_process_session

    if transport == "live":
        session = requests.Session()
        session.trust_env = False  # 127.0.0.1 directly, whatever proxies the environment names
        return session
    return in_process_session(backend.app)
