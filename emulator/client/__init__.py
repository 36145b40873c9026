"""What runs outside the server: the management, control and runtime clients, the local
secrets file, ``.env`` and Composer auth output, and the ``env`` / ``ic-build`` commands.

``from emulator.client import get_secret, RuntimeClient, ManagementClient`` is the
public, documented import path.
"""

from __future__ import annotations

from emulator.client.api import (
    DEFAULT_URL,
    ClientError,
    ManagementClient,
    RuntimeClient,
    Unreachable,
    get_secret,
    get_secrets,
    reaching,
    runtime_environment,
)
from emulator.core.secrets_file import FakeFileError
from emulator.core.site_env import (
    ENVIRONMENT_VARIABLE,
    FAKE_FILE_VARIABLE,
    RUNTIME_TOKEN_VARIABLE,
    SITE_NAME_VARIABLE,
    SITE_VARIABLE,
    URL_VARIABLE,
)

__all__ = [  # the variables a site's process finds its secrets by come with the clients
    "ENVIRONMENT_VARIABLE",
    "FAKE_FILE_VARIABLE",
    "RUNTIME_TOKEN_VARIABLE",
    "SITE_NAME_VARIABLE",
    "SITE_VARIABLE",
    "URL_VARIABLE",
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
