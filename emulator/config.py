"""Configuration: defaults, then a ``.env`` file, then the environment, then explicit values.

Every option of ``pantheon-emulator serve`` has a ``PANTHEON_EMULATOR_*`` twin. Any other
``PANTHEON_EMULATOR_<NAME>`` variable is a plugin setting: it lands in
``Config.plugin_settings["<NAME>"]`` for plugins to read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Mapping

from dotenv import dotenv_values

from emulator.core import policy
from emulator.core.errors import InvalidInput

DEFAULT_DB = ".pantheon-emulator/store.sqlite3"
PREFIX = "PANTHEON_EMULATOR_"


@dataclass
class Config:
    host: str = policy.DEFAULT_HOST
    port: int = policy.DEFAULT_PORT
    db: str = DEFAULT_DB  # a file path, or ":memory:"
    seed: str | None = None  # a seed document loaded at start-up
    demo: bool = True  # load the demo world into an empty store when no seed is given
    rate_limit: bool = True
    rate_limit_requests: int = policy.RATE_LIMIT_REQUESTS
    rate_limit_window: float = policy.RATE_LIMIT_WINDOW_SECONDS
    cache_ttl: float = policy.RUNTIME_CACHE_TTL_SECONDS
    threads: int = 8
    plugins: list[str] = field(default_factory=list)
    blocked_plugins: list[str] = field(default_factory=list)
    plugin_settings: dict[str, str] = field(default_factory=dict)  # e.g. {"AUDIT_LOG": "audit.jsonl"}

    @property
    def memory(self) -> bool:
        return self.db == ":memory:"


def _parse(name: str, raw: Any, kind: type, source: str) -> Any:
    if not isinstance(raw, str):
        return raw
    text = raw.strip()
    try:
        if kind is bool:
            lowered = text.lower()
            if lowered in ("1", "true", "yes", "on"):
                return True
            if lowered in ("0", "false", "no", "off", ""):
                return False
            raise ValueError
        if kind is int:
            return int(text)
        if kind is float:
            value = float(text)
            if value < 0:
                raise ValueError
            return value
        if kind is list:
            return [part.strip() for part in text.split(",") if part.strip()]
    except ValueError:
        raise InvalidInput(f"Invalid value for {source}: '{text}' is not a valid {kind.__name__}.") from None
    return text


_KINDS = {"port": int, "rate_limit_requests": int, "threads": int, "rate_limit_window": float, "cache_ttl": float,
          "rate_limit": bool, "demo": bool, "plugins": list, "blocked_plugins": list}


def load_config(
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    dotenv_path: str | Path | None = ".env",
) -> Config:
    """Build a Config: defaults < ``.env`` < ``environ`` (default os.environ) < ``overrides``."""
    layers: list[tuple[str, Mapping[str, Any]]] = []
    if dotenv_path and Path(dotenv_path).is_file():
        layers.append((f"{dotenv_path}", {k: v for k, v in dotenv_values(dotenv_path).items() if v is not None}))
    layers.append(("the environment", os.environ if environ is None else environ))
    config = Config()
    names = {f.name for f in fields(Config)}
    env_names = names - {"plugin_settings"}
    core_keys = {PREFIX + name.upper() for name in env_names} | {PREFIX + "MEMORY"}
    for source, values in layers:
        config.plugin_settings.update(
            {key[len(PREFIX):]: value for key, value in values.items() if key.startswith(PREFIX) and key not in core_keys}
        )
        for name in env_names:
            key = PREFIX + name.upper()
            if key in values:
                setattr(config, name, _parse(name, values[key], _KINDS.get(name, str), f"{key} in {source}"))
        memory_key = PREFIX + "MEMORY"
        if memory_key in values and _parse("memory", values[memory_key], bool, f"{memory_key} in {source}"):
            config.db = ":memory:"
    for name, value in (overrides or {}).items():
        if value is None:
            continue
        if name == "memory":
            if value:
                config.db = ":memory:"
            continue
        if name not in names:
            raise InvalidInput(f"Unknown configuration option '{name}'.")
        if name == "plugin_settings":
            config.plugin_settings.update({str(k): str(v) for k, v in dict(value).items()})
            continue
        setattr(config, name, _parse(name, value, _KINDS.get(name, str), f"option '{name}'"))
    if not 0 < config.port < 65536 and config.port != 0:
        raise InvalidInput(f"Invalid port {config.port}: use 1-65535 (or 0 for any free port).")
    if config.rate_limit_requests < 1:
        raise InvalidInput("The rate limit must allow at least 1 request per window.")
    if config.rate_limit_window <= 0:
        raise InvalidInput("The rate-limit window must be longer than 0 seconds.")
    return config


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
    from emulator.client import DEFAULT_URL

    layers: list[Mapping[str, Any]] = []
    if dotenv_path and Path(dotenv_path).is_file():
        layers.append({k: v for k, v in dotenv_values(dotenv_path).items() if v is not None})
    layers.append(os.environ if environ is None else environ)
    layers.append({PREFIX + "URL": url, PREFIX + "TOKEN": token})
    settings = {"URL": DEFAULT_URL, "TOKEN": policy.DEMO_USER_TOKEN}
    for values in layers:
        for name in settings:
            value = values.get(PREFIX + name)
            if isinstance(value, str) and value.strip():
                settings[name] = value.strip()
    return ClientConfig(url=settings["URL"], token=settings["TOKEN"])
