"""One emulator per test process: a Flask app over an in-memory store, reset per test.

Building the app and its SQLite schema takes milliseconds; clearing the store takes
microseconds. So each pytest process (each xdist worker) builds one
:class:`SharedEmulator` and every test starts from :meth:`SharedEmulator.fresh`.
A real HTTP server (waitress, 127.0.0.1, an ephemeral port) is started over the same
app the first time a test asks for one, and stopped when the session ends.
"""

from __future__ import annotations

import logging
import threading

from emulator.config import Config
from emulator.core import policy
from emulator.core.service import Emulator
from emulator.web.app import create_app
from emulator.web.http import emulator_of
from emulator.web.server import BackgroundServer

from .options import PantheonOptions
from .transport import IN_PROCESS_URL

SERVER_THREADS = 4


class ServerErrors(logging.Handler):
    """Collects the emulator's unhandled errors so the test that caused one fails with it."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def take(self) -> list[str]:
        """The errors since the last call, formatted with their tracebacks."""
        taken, self.records = self.records, []
        formatter = logging.Formatter("%(message)s")
        return [formatter.format(record) for record in taken]


class SharedEmulator:
    """The emulator of one test process, with an optional live server over it."""

    def __init__(self, options: PantheonOptions):
        self.options = options
        self.cache_ttl = policy.RUNTIME_CACHE_TTL_SECONDS if options.cache_ttl is None else options.cache_ttl
        config = Config(db=":memory:", demo=False, rate_limit=options.rate_limit, cache_ttl=self.cache_ttl)
        self.app = create_app(config)
        self.emulator: Emulator = emulator_of(self.app)
        self.errors = ServerErrors()
        self._logger = logging.getLogger("pantheon_emulator")
        self._logger.addHandler(self.errors)
        self._server: BackgroundServer | None = None
        self._lock = threading.Lock()

    def fresh(self) -> Emulator:
        """Forget the previous test's world, cache, journal and settings."""
        self.emulator.reset()
        self.emulator.configure(
            rate_limit=self.options.rate_limit,
            rate_limit_requests=policy.RATE_LIMIT_REQUESTS,
            rate_limit_window=policy.RATE_LIMIT_WINDOW_SECONDS,
            cache_ttl=self.cache_ttl,
        )
        self.errors.take()
        return self.emulator

    def url_for(self, transport: str) -> str:
        return self.live_url() if transport == "live" else IN_PROCESS_URL

    def live_url(self) -> str:
        """The URL of the live server, started on first use."""
        with self._lock:
            if self._server is None:
                self._server = BackgroundServer(self.app, host="127.0.0.1", port=0, threads=SERVER_THREADS)
            return self._server.url

    def close(self) -> None:
        with self._lock:
            if self._server is not None:
                self._server.stop()
                self._server = None
        self._logger.removeHandler(self.errors)
        self.emulator.close()
