"""Fault injector: answer a share of requests with a configured failure, to test client retries.

Load it with ``--plugin emulator.contrib.faults`` and set (as ``PANTHEON_EMULATOR_<NAME>``
environment variables, in ``.env``, or in ``Config.plugin_settings``):

=================  =========================================================  ==========================
name               meaning                                                    default
=================  =========================================================  ==========================
FAULT_STATUS       the status to answer with (400-599)                        500
FAULT_RATE         share of matching requests that fail, 0 to 1              0.5
FAULT_SEED         seed of the random draw: same seed, same sequence          unseeded
FAULT_PATHS        comma-separated shell patterns of request paths            /customer-secrets/v1/*
FAULT_METHODS      comma-separated methods that may fail                      every method
FAULT_RETRY_AFTER  seconds sent in a ``Retry-After`` header                   1 for 429 and 503, else none
=================  =========================================================  ==========================

Or register an instance: ``create_app(config, plugins=[FaultInjector(status=429, rate=1.0)])``.
A fault answers before the request is authenticated, rate limited or handled, so it
changes nothing: a retry meets the emulator as the first attempt would have.
The draws follow the order requests arrive in; with a seed and one request at a
time, a run repeats exactly.
"""

from __future__ import annotations

import fnmatch
import random
import threading
from collections.abc import Mapping
from http import HTTPStatus

from flask import Request, Response

from emulator.config import Config
from emulator.core import policy
from emulator.core.errors import PluginError
from emulator.core.service import Emulator
from emulator.hooks.manager import register
from emulator.hooks.specs import hookimpl
from emulator.web.http import text_response

DEFAULT_PATHS: tuple[str, ...] = (policy.API_PREFIX + "/*",)
RETRY_AFTER_BY_DEFAULT = (429, 503)
MESSAGE = "Injected fault: {status} {phrase} (pantheon-emulator fault injector)."


class FaultInjector:
    """Fails ``rate`` of the requests matching ``paths`` and ``methods`` with ``status``."""

    def __init__(
        self,
        status: int = 500,
        rate: float = 0.5,
        seed: int | None = None,
        paths: tuple[str, ...] | list[str] = DEFAULT_PATHS,
        methods: tuple[str, ...] | list[str] = (),
        retry_after: int | None = None,
    ):
        if not 400 <= status <= 599:
            raise PluginError(f"FAULT_STATUS must be an error status from 400 to 599, not {status}.")
        if not 0 <= rate <= 1:
            raise PluginError(f"FAULT_RATE must be a share from 0 to 1, not {rate}.")
        if retry_after is not None and retry_after < 0:
            raise PluginError(f"FAULT_RETRY_AFTER must be 0 or more seconds, not {retry_after}.")
        self.status = status
        self.rate = rate
        self.paths = tuple(paths)
        self.methods = tuple(m.upper() for m in methods)
        self.retry_after = retry_after if retry_after is not None or status not in RETRY_AFTER_BY_DEFAULT else 1
        self.injected = 0  # how many faults were answered so far
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Mapping[str, str]) -> FaultInjector:
        """An injector from ``FAULT_*`` settings (strings), naming any that is invalid."""
        kwargs: dict = {}
        for name, key, kind in (
            ("status", "FAULT_STATUS", int),
            ("rate", "FAULT_RATE", float),
            ("seed", "FAULT_SEED", int),
            ("retry_after", "FAULT_RETRY_AFTER", int),
        ):
            if settings.get(key, "").strip():
                try:
                    kwargs[name] = kind(settings[key].strip())
                except ValueError:
                    raise PluginError(
                        f"Invalid PANTHEON_EMULATOR_{key}: '{settings[key]}' is not a valid {kind.__name__}."
                    ) from None
        for name, key in (("paths", "FAULT_PATHS"), ("methods", "FAULT_METHODS")):
            parts = [part.strip() for part in settings.get(key, "").split(",") if part.strip()]
            if parts:
                kwargs[name] = tuple(parts)
        return cls(**kwargs)

    def matches(self, method: str, path: str) -> bool:
        """True if a request of ``method`` on ``path`` may be failed."""
        if self.methods and method.upper() not in self.methods:
            return False
        return any(fnmatch.fnmatchcase(path, pattern) for pattern in self.paths)

    def fault(self, method: str, path: str) -> Response | None:
        """The failure to answer with, or None to let the request through."""
        if not self.matches(method, path):
            return None
        with self._lock:
            if self._random.random() >= self.rate:
                return None
            self.injected += 1
        response = text_response(MESSAGE.format(status=self.status, phrase=_phrase(self.status)), self.status)
        if self.retry_after is not None:
            response.headers["Retry-After"] = str(self.retry_after)
        return response

    @hookimpl
    def pantheon_emulator_request(self, request: Request) -> Response | None:
        return self.fault(request.method, request.path)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


@hookimpl
def pantheon_emulator_startup(emulator: Emulator, config: Config) -> None:
    """Loaded as a module: start a :class:`FaultInjector` from the ``FAULT_*`` settings."""
    if not emulator.hooks.has_plugin("fault-injector"):
        register(emulator.hooks, FaultInjector.from_settings(config.plugin_settings), "fault-injector")
