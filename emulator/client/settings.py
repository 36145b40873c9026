"""Where settings come from, lowest first: a ``.env`` file, then the environment.

The one place that reads ``.env`` files: the server's configuration
(:func:`emulator.config.load_config`), the clients' (:func:`load_client_config`) and
the runtime client's variables (:func:`emulator.client.runtime_environment`) all layer
their sources with :func:`setting_sources`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dotenv import dotenv_values

from emulator.core import policy

PREFIX = "PANTHEON_EMULATOR_"


def setting_sources(
    environ: Mapping[str, str] | None = None, dotenv_path: str | Path | None = ".env"
) -> list[tuple[str, Mapping[str, str]]]:
    """``(where, values)`` for each source, lowest first: the ``.env`` file when it exists
    (empty entries dropped), then ``environ`` (default: the process environment)."""
    sources: list[tuple[str, Mapping[str, str]]] = []
    if dotenv_path and Path(dotenv_path).is_file():
        sources.append((str(dotenv_path), {k: v for k, v in dotenv_values(dotenv_path).items() if v is not None}))
    sources.append(("the environment", os.environ if environ is None else environ))
    return sources


@dataclass(frozen=True)
class ClientConfig:
    """Where a client finds the emulator and whose token it sends."""

    url: str
    token: str


def load_client_config(
    url: str | None = None,
    token: str | None = None,
    environ: Mapping[str, str] | None = None,
    dotenv_path: str | Path | None = ".env",
) -> ClientConfig:
    """Client settings: the local demo defaults < ``.env`` < the environment < ``url``/``token``.

    Read from ``PANTHEON_EMULATOR_URL`` and ``PANTHEON_EMULATOR_TOKEN``; empty values count as unset.
    """
    layers: list[Mapping[str, Any]] = [values for _, values in setting_sources(environ, dotenv_path)]
    layers.append({PREFIX + "URL": url, PREFIX + "TOKEN": token})
    settings = {"URL": policy.DEFAULT_URL, "TOKEN": policy.DEMO_USER_TOKEN}
    for values in layers:
        for name in settings:
            value = values.get(PREFIX + name)
            if isinstance(value, str) and value.strip():
                settings[name] = value.strip()
    return ClientConfig(url=settings["URL"], token=settings["TOKEN"])
