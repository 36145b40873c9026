"""Audit log: one JSON line per secret change, appended to a file. Never a value.

Load it with ``--plugin emulator.contrib.audit_log`` and name the file in
``PANTHEON_EMULATOR_AUDIT_LOG`` (or ``.env``, or ``Config.plugin_settings["AUDIT_LOG"]``),
or register an instance yourself: ``create_app(config, plugins=[AuditLog("audit.jsonl")])``.

Each line is :meth:`emulator.events.SecretChange.to_dict` as JSON: ``action``,
``owner_kind``, ``owner_id``, ``owner_name``, ``secret``, ``environment``, ``actor``,
``time``, ``type``, ``scopes``.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from emulator.config import Config
from emulator.core.errors import PluginError
from emulator.core.events import SecretChange
from emulator.core.service import Emulator
from emulator.hooks.manager import register
from emulator.hooks.specs import hookimpl

SETTING = "AUDIT_LOG"


class AuditLog:
    """Appends each change to ``path`` (created if missing, with its directory)."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8"):
                pass
        except OSError as error:
            raise PluginError(f"The audit log cannot write to {self.path}: {error.strerror or error}.") from None

    @hookimpl
    def pantheon_emulator_secret_changed(self, change: SecretChange) -> None:
        line = json.dumps(change.to_dict(), ensure_ascii=False) + "\n"
        with self._lock, self.path.open("a", encoding="utf-8") as handle:
            handle.write(line)


@hookimpl
def pantheon_emulator_startup(emulator: Emulator, config: Config) -> None:
    """Loaded as a module: start an :class:`AuditLog` on the configured file."""
    path = config.plugin_settings.get(SETTING)
    if not path:
        raise PluginError(
            "The audit log plugin (emulator.contrib.audit_log) needs a file: set PANTHEON_EMULATOR_AUDIT_LOG=<path>."
        )
    name = f"audit-log:{Path(path).resolve()}"
    if not emulator.hooks.has_plugin(name):
        register(emulator.hooks, AuditLog(path), name)
