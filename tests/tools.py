"""What the tests need from outside Python: system programs and Pantheon's real clients.

A user's fresh clone may lack them: those tests then skip with a one-line reason. CI
(``CI=true``) has them all, installed by ``.ci/run`` with ``../shared`` beside the clone,
so there a missing one fails the test instead of skipping it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_CLIENTS = Path(os.environ.get("PANTHEON_SHARED_CLIENTS", ROOT.parent / "shared" / "clients"))
REAL_TERMINUS = SHARED_CLIENTS / "terminus" / "terminus"
PHP_SDK = SHARED_CLIENTS / "customer-secrets-php-sdk"
NODE_HELPER = SHARED_CLIENTS / "pantheon-secrets-js" / "dist" / "cjs" / "pantheon-secrets.js"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def need(condition: bool, reason: str) -> None:
    """Skip the calling test with ``reason`` unless ``condition`` holds; in CI, fail instead."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI must have it: see .ci/run)", pytrace=False)
    pytest.skip(reason)


def need_program(name: str, package: str) -> str:
    """The path of program ``name``; skips (fails in CI) when it is not installed."""
    found = shutil.which(name)
    need(found is not None, f"{name} is not installed (apt-get install {package})")
    return str(found)


def need_shared(path: Path) -> Path:
    """``path`` under ../shared/clients (Pantheon's real clients); skips without it, fails in CI."""
    need(path.exists(), f"Pantheon's real clients are not beside this clone ({path} is missing)")
    return path
