"""recipes/compose.yaml, run with podman-compose: seeded from the variable, published on
127.0.0.1, and read by a PHP service through the recipe's shared drop-in volume."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import uuid

import pytest
import requests

from tests.container.conftest import RUNTIME, php_script, podman, seed_json, wait_healthy
from tests.container.test_image import WORLD
from tests.tools import ROOT, need_program

pytestmark = pytest.mark.container


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_compose_recipe_serves_the_seeded_world(images, tmp_path):
    need_program("podman-compose", "podman-compose")
    project, port = f"psetest{uuid.uuid4().hex[:8]}", free_port()
    env = {**os.environ, "PANTHEON_EMULATOR_SEED_JSON": seed_json(WORLD), "PANTHEON_SECRETS_PORT": str(port)}
    files = ["-f", str(ROOT / "recipes/compose.yaml"), "-f", str(ROOT / "tests/container/compose.test.yaml")]
    compose = ["podman-compose", f"--podman-args={' '.join(RUNTIME)}", "-p", project, *files]
    try:
        up = subprocess.run([*compose, "up", "-d"], env=env, capture_output=True, text=True, timeout=300, cwd=tmp_path)
        assert up.returncode == 0, up.stdout + up.stderr
        emulator = f"{project}_pantheon-secrets_1"
        wait_healthy(emulator)
        deadline = time.monotonic() + 20
        while True:
            try:
                response = requests.get(
                    f"http://127.0.0.1:{port}/customer-secrets/v1/sites/ci-site/secrets/showall",
                    headers={"Authorization": "ci-token"},
                    timeout=5,
                )
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        assert response.json()["Secrets"]["API_KEY"]["Value"] == "from-the-variable"
        code = '<?php echo pantheon_get_secret("API_KEY");'
        read = podman("exec", "-e", f"PHP_CODE={code}", f"{project}_php_1", *php_script(code))
        assert read.stdout == "from-the-variable"
    finally:
        subprocess.run([*compose, "down", "-v", "-t", "1"], env=env, capture_output=True, timeout=300, cwd=tmp_path)
