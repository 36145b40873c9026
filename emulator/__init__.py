"""pantheon-secrets-emulator: a local, offline stand-in for Pantheon's Secrets service."""

from __future__ import annotations

from emulator.core.errors import (
    AlreadyExists,
    EmulatorError,
    Forbidden,
    InvalidInput,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    PluginError,
    RateLimited,
    SeedRejected,
    Unauthenticated,
)
from emulator.core.events import SecretChange
from emulator.core.version import __version__


def create_app(*args, **kwargs):
    """Build the Flask app (imported lazily so ``import emulator`` stays cheap)."""
    from emulator.web.app import create_app as _create_app

    return _create_app(*args, **kwargs)


def __getattr__(name: str):
    """``emulator.hookimpl``, the marker for plugin hooks, loaded on first use (pluggy stays unimported)."""
    if name == "hookimpl":
        from emulator.hooks.specs import hookimpl

        return hookimpl
    raise AttributeError(f"module 'emulator' has no attribute '{name}'")


__all__ = [
    "__version__",
    "create_app",
    "hookimpl",
    "SecretChange",
    "AlreadyExists",
    "EmulatorError",
    "Forbidden",
    "InvalidInput",
    "MethodNotAllowed",
    "NotFound",
    "PayloadTooLarge",
    "PluginError",
    "RateLimited",
    "SeedRejected",
    "Unauthenticated",
]
