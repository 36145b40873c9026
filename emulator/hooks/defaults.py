"""Built-in behaviour written as hook implementations, so a plugin can replace it.

Registered by :func:`emulator.plugins.get_plugin_manager` under the names in
:data:`emulator.plugins.DEFAULT_PLUGINS`; ``--block-plugin demo-world`` removes it.
"""

from __future__ import annotations

from typing import Any

from emulator.config import Config
from emulator.core.demo import demo_world
from emulator.hooks.specs import hookimpl


@hookimpl(trylast=True)
def pantheon_emulator_seed_world(config: Config) -> dict[str, Any] | None:
    """The demo world, when no plugin offered a world and demo mode is on."""
    return demo_world() if config.demo else None
