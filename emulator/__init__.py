"""pantheon-secrets-emulator: a local, offline stand-in for Pantheon's Secrets service."""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import (  # noqa: E402
    AlreadyExists,
    EmulatorError,
    Forbidden,
    InvalidInput,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    RateLimited,
    SeedRejected,
    Unauthenticated,
)


def create_app(*args, **kwargs):
    """Build the Flask app (imported lazily so ``import emulator`` stays cheap)."""
    from .app import create_app as _create_app

    return _create_app(*args, **kwargs)


__all__ = [
    "__version__",
    "create_app",
    "AlreadyExists",
    "EmulatorError",
    "Forbidden",
    "InvalidInput",
    "MethodNotAllowed",
    "NotFound",
    "PayloadTooLarge",
    "RateLimited",
    "SeedRejected",
    "Unauthenticated",
]
