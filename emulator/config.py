"""Server configuration: defaults, then a ``.env`` file, then the environment, then explicit values.

Every option of ``pantheon-emulator serve`` has a ``PANTHEON_EMULATOR_*`` twin. Any other
``PANTHEON_EMULATOR_<NAME>`` variable is a plugin setting: it lands in
``Config.plugin_settings["<NAME>"]`` for plugins to read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from emulator.client.settings import PREFIX, setting_sources
from emulator.core import policy
from emulator.core.errors import InvalidInput
from emulator.core.settings import check_setting

DEFAULT_DB = ".pantheon-emulator/store.sqlite3"


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
    session_ttl: float = policy.SESSION_TTL_SECONDS
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


_KINDS = {
    "port": int,
    "rate_limit_requests": int,
    "threads": int,
    "rate_limit_window": float,
    "cache_ttl": float,
    "session_ttl": float,
    "rate_limit": bool,
    "demo": bool,
    "plugins": list,
    "blocked_plugins": list,
}


def load_config(
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    dotenv_path: str | Path | None = ".env",
) -> Config:
    """Build a Config: defaults < ``.env`` < ``environ`` (default os.environ) < ``overrides``."""
    layers = setting_sources(environ, dotenv_path)
    config = Config()
    names = {f.name for f in fields(Config)}
    env_names = names - {"plugin_settings"}
    core_keys = {PREFIX + name.upper() for name in env_names} | {PREFIX + "MEMORY"}
    for source, values in layers:
        config.plugin_settings.update(
            {key[len(PREFIX) :]: value for key, value in values.items() if key.startswith(PREFIX) and key not in core_keys}
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
    for name in ("rate_limit_requests", "rate_limit_window", "cache_ttl", "session_ttl"):
        setattr(config, name, check_setting(name, getattr(config, name)))
    return config
