"""The image, built and run with podman as a user would with docker (marked `container`).

Machine-specific adjustments live here, never in the Dockerfile or the recipes: podman's
runc runtime and raised ulimits (crun and the default limits fail on these machines), the
host's CA bundle mounted during builds, and a local base image built from Debian's archive
(`.ci/run` makes it) since no image registry is reachable.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import uuid

import pytest

from tests.tools import ROOT, need, need_program

pytestmark = pytest.mark.container

BASE = os.environ.get("PANTHEON_EMULATOR_TEST_BASE", "localhost/debian-python:bookworm")
IMAGE = "localhost/pantheon-secrets-emulator:latest"  # the name the recipes use
PHP_IMAGE = "localhost/pantheon-emulator-test-php:latest"
CA = "/etc/ssl/certs/ca-certificates.crt"
RUNTIME = ["--runtime", "runc"]
ULIMITS = ["--ulimit", "nofile=20000:20000", "--ulimit", "nproc=32768:32768"]
BUILD = ["build", *RUNTIME, "--format", "docker", "-v", f"{CA}:{CA}:ro", "--build-arg", f"BASE={BASE}"]
DROP_IN = "/opt/pantheon-emulator/php/pantheon_get_secret.php"


def podman(*args: str, check: bool = True, timeout: float = 120, **kw) -> subprocess.CompletedProcess:
    run = subprocess.run(["podman", *args], capture_output=True, text=True, timeout=timeout, **kw)
    if check and run.returncode != 0:
        raise AssertionError(f"podman {' '.join(args[:3])}... failed ({run.returncode}):\n{run.stderr[-3000:]}")
    return run


@pytest.fixture(scope="session")
def images():
    """The emulator image and a php-cli image, built from the local Debian base."""
    need_program("podman", "podman")
    need(podman("image", "exists", BASE, check=False).returncode == 0, f"base image {BASE} is missing (.ci/run builds it)")
    podman(*BUILD, "-t", IMAGE, str(ROOT), timeout=900)
    podman(
        *BUILD,
        "-t",
        PHP_IMAGE,
        "-f",
        str(ROOT / "tests/container/php-cli.Dockerfile"),
        str(ROOT / "tests/container"),
        timeout=900,
    )
    return IMAGE


@pytest.fixture
def names():
    """Unique names for containers, volumes and networks; all removed afterwards."""
    made: dict[str, list[str]] = {"container": [], "volume": [], "network": []}

    def name(kind: str) -> str:
        value = f"pse-test-{kind}-{uuid.uuid4().hex[:8]}"
        made[kind].append(value)
        return value

    yield name
    for value in made["container"]:
        podman("rm", "-f", "-t", "0", value, check=False)
    for value in made["volume"]:
        podman("volume", "rm", "-f", value, check=False)
    for value in made["network"]:
        podman("network", "rm", "-f", value, check=False)


def wait_healthy(container: str, timeout: float = 30) -> None:
    """Run the image's HEALTHCHECK until it passes (podman here has no systemd timer to run it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if podman("healthcheck", "run", container, check=False).returncode == 0:
            return
        time.sleep(0.3)
    logs = podman("logs", container, check=False)
    raise AssertionError(f"{container} never became healthy:\n{logs.stdout}{logs.stderr}")


def run_emulator(name: str, *args: str, env: dict[str, str] | None = None) -> None:
    """Run the image as container ``name``, reachable by that name (as a recipe names its service)."""
    env = {"PANTHEON_EMULATOR_ALLOWED_HOSTS": f"{name},localhost,127.0.0.1", **(env or {})}
    flags = [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]
    podman("run", *RUNTIME, *ULIMITS, "-d", "--name", name, *flags, *args, IMAGE)


def php_script(code: str) -> list[str]:
    """Run ``code`` as a PHP file with the drop-in prepended (auto_prepend_file skips ``php -r``)."""
    return ["sh", "-c", f'printf "%s" "$PHP_CODE" > /tmp/check.php && exec php -d auto_prepend_file={DROP_IN} /tmp/check.php']


def php_in_container(network: str, php_volume: str, code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    flags = [arg for key, value in {**env, "PHP_CODE": f"<?php {code}"}.items() for arg in ("-e", f"{key}={value}")]
    return podman(
        "run", *RUNTIME, *ULIMITS, "--rm", "--network", network, "-v", f"{php_volume}:/opt/pantheon-emulator/php:ro",
        *flags, PHP_IMAGE, *php_script(code), check=False,
    )  # fmt: skip


def seed_json(document: dict) -> str:
    return json.dumps(document, separators=(",", ":"))
