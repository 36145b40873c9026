"""Errors the domain raises, each carrying a message safe to show a client.

One table (:data:`STATUS_BY_ERROR`) turns them into HTTP statuses; the HTTP layer and
the CLI both read it, so a failure means the same thing everywhere. Messages name the
offending input (a secret *name*, a site, a field) and never carry a secret value.
"""

from __future__ import annotations

from emulator.core import policy


class EmulatorError(Exception):
    """Base class: ``message`` is the plain-text body a client receives."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    @property
    def status(self) -> int:
        return status_for(self)


class InvalidInput(EmulatorError):
    """The request or seed is malformed or breaks a rule (400)."""


class SeedRejected(InvalidInput):
    """A seed document refused whole; ``where`` is the path of the problem in it (400)."""

    def __init__(self, where: str, problem: str):
        super().__init__(f"Seed rejected at {where}: {problem}")
        self.where = where
        self.problem = problem


class AlreadyExists(InvalidInput):
    """POST on a name that exists (400 whose body mentions PATCH, as Terminus expects)."""


class Unauthenticated(EmulatorError):
    """No token, or a token nobody holds (401)."""


class Forbidden(EmulatorError):
    """A known caller without access to the thing asked for (403)."""


class NotFound(EmulatorError):
    """Unknown site, organization, environment or secret (404)."""


class MethodNotAllowed(EmulatorError):
    """The path exists but not with this method (405)."""


class PayloadTooLarge(EmulatorError):
    """The request body is over the limit (413)."""


class RateLimited(EmulatorError):
    """Too many management requests by one user (429)."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class StoreBusy(EmulatorError):
    """Another process holds the store's write lock longer than we wait (503, Retry-After)."""

    retry_after = policy.STORE_BUSY_RETRY_AFTER_SECONDS


class PluginError(EmulatorError):
    """A plugin cannot be loaded, is invalid (a misspelt hook, a bad argument) or refused to start."""


STATUS_BY_ERROR: dict[type[EmulatorError], int] = {
    InvalidInput: policy.STATUS_BAD_REQUEST,
    Unauthenticated: policy.STATUS_UNAUTHORIZED,
    Forbidden: policy.STATUS_FORBIDDEN,
    NotFound: policy.STATUS_NOT_FOUND,
    MethodNotAllowed: policy.STATUS_METHOD_NOT_ALLOWED,
    PayloadTooLarge: policy.STATUS_TOO_LARGE,
    RateLimited: policy.STATUS_RATE_LIMITED,
    StoreBusy: policy.STATUS_UNAVAILABLE,
}


def status_for(error: EmulatorError) -> int:
    """The HTTP status of ``error``, found by walking its class hierarchy."""
    for cls in type(error).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return 500


def shown(text: str, limit: int = 80) -> str:
    """``text`` made safe to quote in a message: control characters escaped, length capped."""
    escaped = text.encode("unicode_escape", "backslashreplace").decode("ascii") if not text.isprintable() else text
    return escaped if len(escaped) <= limit else escaped[: limit - 3] + "..."
