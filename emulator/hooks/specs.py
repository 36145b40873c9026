"""The emulator's plugin hooks: every place a plugin can bend its behaviour.

A plugin is a module or object with functions named after these specs and marked
with :data:`hookimpl` (``from emulator import hookimpl``). A hook implementation
declares only the arguments it uses; pluggy passes nothing else. That is how
secret values stay private: only an implementation that declares ``value`` gets it.

Each spec is listed, with an example, in ``docs/plugins.md`` (a test checks this).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:  # pragma: no cover - typing only; keeps this module cheap to import
    from flask import Flask, Request, Response

    from emulator.config import Config
    from emulator.core.events import SecretChange
    from emulator.core.service import Emulator

PROJECT = "pantheon_emulator"
HOOK_PREFIX = PROJECT + "_"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def pantheon_emulator_startup(app: Flask, emulator: Emulator, config: Config) -> None:
    """The app has been built and is about to serve: add routes, blueprints or settings.

    Called once per app, after the emulator's own routes are registered and the
    store is seeded. Raise :class:`emulator.errors.PluginError` to refuse to start
    (``pantheon-emulator serve`` prints its message and exits).
    """


@hookspec(firstresult=True)
def pantheon_emulator_seed_world(config: Config, emulator: Emulator) -> dict[str, Any] | None:
    """A seed document for an empty store at start-up, or None to pass.

    The first plugin to return a document wins; the built-in demo world is the
    last resort (a ``trylast`` implementation, registered as ``demo-world``).
    Not called when ``--seed FILE`` is given or the store already holds a world.
    """


@hookspec(firstresult=True)
def pantheon_emulator_validate_secret(change: SecretChange, value: str) -> str | None:
    """Check a secret about to be stored; return a message to refuse it, None to accept.

    Called for ``create``, ``update`` and ``override`` after the built-in rules
    passed, inside the write's transaction. The client gets 400 with the returned
    message as its body, and nothing is stored. ``value`` is the value being
    written; declare it only if the rule needs it, and never echo it back.
    """


@hookspec
def pantheon_emulator_secret_changed(change: SecretChange, value: str | None) -> None:
    """A secret was created, updated, overridden, had an override removed, or was deleted.

    Called after the change is committed. ``change`` names the secret, its owner,
    the environment, the acting user and the time. ``value`` (the value written, or
    None for deletions) reaches only implementations that declare it. An exception
    raised here is logged and does not undo the change.
    """


@hookspec(firstresult=True)
def pantheon_emulator_request(request: Request, emulator: Emulator) -> Response | None:
    """Before a request is handled: return a response to answer with instead, or None.

    A returned response short-circuits the view, so nothing is read or written
    (the way to inject faults a client should retry). The journal and the
    :func:`pantheon_emulator_response` hook still see it.
    """


@hookspec(firstresult=True)
def pantheon_emulator_response(request: Request, response: Response, emulator: Emulator) -> Response | None:
    """Before a response is sent: change it in place, or return a replacement.

    For headers, delays or rewritten answers. The first implementation that returns
    a response replaces the original and ends the hook. Every response passes here,
    errors included.
    """
