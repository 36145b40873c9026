"""What runs outside the server: the management, control and runtime clients, the local
secrets file, ``.env`` and Composer auth output, and the ``env`` / ``ic-build`` commands.

``from emulator.client import get_secret, RuntimeClient, ManagementClient`` is the
public, documented import path.
"""

from __future__ import annotations

from emulator.client.api import (
    DEFAULT_URL,
    ClientError,
    FakeFileError,
    ManagementClient,
    RuntimeClient,
    Unreachable,
    get_secret,
    get_secrets,
    reaching,
    runtime_environment,
)

__all__ = [
    "DEFAULT_URL",
    "ClientError",
    "FakeFileError",
    "ManagementClient",
    "RuntimeClient",
    "Unreachable",
    "get_secret",
    "get_secrets",
    "reaching",
    "runtime_environment",
]
