"""The image: seeded from a variable, read through the API and by PHP from another container,
healthy, non-root, stopped by SIGTERM with its world kept in the volume."""

from __future__ import annotations

import json
import time

import pytest

from tests.container.conftest import IMAGE, RUNTIME, ULIMITS, php_in_container, podman, run_emulator, seed_json, wait_healthy

pytestmark = pytest.mark.container

WORLD = {
    "users": [{"email": "ci@example.com", "token": "ci-token"}],
    "sites": [
        {
            "name": "ci-site",
            "members": ["ci@example.com"],
            "runtime_token": "ci-runtime",
            "secrets": [{"name": "API_KEY", "value": "from-the-variable", "scopes": ["web", "user"]}],
        }
    ],
}
SITE_ENV = {"PANTHEON_SITE": "ci-site", "PANTHEON_ENVIRONMENT": "dev", "PANTHEON_EMULATOR_RUNTIME_TOKEN": "ci-runtime"}


def api(container: str, network: str, php_volume: str, method: str, path: str, body: dict | None = None) -> tuple[int, str]:
    """A management API call from a second container on the network, by the emulator's name."""
    code = f"""
    $context = stream_context_create(['http' => ['method' => '{method}', 'ignore_errors' => true,
        'header' => "Authorization: ci-token\\r\\nContent-Type: application/json\\r\\n",
        'content' => {json.dumps(json.dumps(body)) if body else "''"}]]);
    $body = file_get_contents('http://{container}:8770/customer-secrets/v1{path}', false, $context);
    echo explode(' ', $http_response_header[0])[1], "\\n", $body;
    """
    run = php_in_container(network, php_volume, code, {})
    assert run.returncode == 0, run.stderr
    status, _, text = run.stdout.partition("\n")
    return int(status), text


def test_seeded_by_variable_read_by_api_and_php_then_sigterm_keeps_the_volume(images, names):
    network, data, php, first = names("network"), names("volume"), names("volume"), names("container")
    podman("network", "create", network)
    mounts = ["--network", network, "-v", f"{data}:/data", "-v", f"{php}:/opt/pantheon-emulator/php"]
    run_emulator(first, *mounts, env={"PANTHEON_EMULATOR_SEED_JSON": seed_json(WORLD)})
    wait_healthy(first)
    assert podman("inspect", "--format", "{{.State.Health.Status}}", first).stdout.strip() == "healthy"

    banner = podman("logs", first).stderr
    assert "listening on http://0.0.0.0:8770" in banner
    assert "Inside a container: bound to 0.0.0.0 on purpose" in banner
    assert "Store: /data/store.sqlite3" in banner and "ci@example.com" in banner and "demo-site" not in banner

    # The API, from another container, by the emulator's container name.
    status, body = api(first, network, php, "GET", "/sites/ci-site/secrets/showall")
    assert status == 200 and json.loads(body)["Secrets"]["API_KEY"]["Value"] == "from-the-variable"
    # A name the container was not told about (what DNS rebinding sends) is refused, values unread.
    foreign = php_in_container(
        network,
        php,
        f"""
    $context = stream_context_create(['http' => ['ignore_errors' => true, 'header' => "Host: rebound.example:8770\\r\\n"]]);
    $body = file_get_contents('http://{first}:8770/_emulator/state', false, $context);
    echo explode(' ', $http_response_header[0])[1], "\\n", $body;
    """,
        {},
    )
    assert foreign.returncode == 0, foreign.stderr
    assert foreign.stdout.startswith(("400", "403")) and "from-the-variable" not in foreign.stdout, foreign.stdout
    # pantheon_get_secret() through the drop-in the image shares in its volume.
    url = {"PANTHEON_EMULATOR_URL": f"http://{first}:8770"}
    read = php_in_container(network, php, 'var_dump(pantheon_get_secret("API_KEY"));', {**SITE_ENV, **url})
    assert read.returncode == 0 and read.stdout.strip() == 'string(17) "from-the-variable"', read.stderr
    missing = php_in_container(network, php, 'var_dump(pantheon_get_secret("NOPE"));', {**SITE_ENV, **url})
    assert missing.stdout.strip() == "NULL"

    status, _ = api(first, network, php, "POST", "/sites/ci-site/secrets", {"name": "KEPT", "value": "kept", "scopes": ["web"]})
    assert status == 200

    started = time.monotonic()
    podman("stop", "-t", "10", first)  # SIGTERM to PID 1
    stop_seconds = time.monotonic() - started
    assert stop_seconds < 2, f"SIGTERM took {stop_seconds:.2f} s"
    assert podman("inspect", "--format", "{{.State.ExitCode}}", first).stdout.strip() == "0"
    assert "Pantheon secrets emulator stopped." in podman("logs", first).stderr

    # A new container on the same volume, with no seed: the world written before is there.
    second = names("container")
    run_emulator(second, *mounts)
    wait_healthy(second)
    read = php_in_container(
        network, php, 'var_dump(pantheon_get_secret("KEPT"));', {**SITE_ENV, "PANTHEON_EMULATOR_URL": f"http://{second}:8770"}
    )
    assert read.stdout.strip() == 'string(4) "kept"', read.stderr
    assert "demo-site" not in podman("logs", second).stderr  # the store was not empty: no demo world


def test_runs_as_a_user_with_no_build_tools_and_a_private_store(images, names):
    container = names("container")
    run_emulator(container)
    wait_healthy(container)
    checks = podman(
        "exec", container, "sh", "-c",
        "id -u; stat -c %a /data /data/store.sqlite3; for t in gcc cc make; do command -v $t || true; done",
    ).stdout.split()  # fmt: skip
    uid, data_mode, store_mode, *tools = checks
    assert uid != "0"
    assert (data_mode, store_mode) == ("700", "600")
    assert tools == []
    banner = podman("logs", container).stderr
    assert "User: demo@example.com" in banner  # an empty store gets the demo world, as outside


def test_the_drop_in_is_at_its_documented_path(images):
    run = podman(
        "run", *RUNTIME, *ULIMITS, "--rm", "--entrypoint", "cat", IMAGE, "/opt/pantheon-emulator/php/pantheon_get_secret.php"
    )
    assert "function pantheon_get_secret(" in run.stdout


def test_a_bad_seed_variable_stops_the_start_with_a_clear_error(images, names):
    container = names("container")
    run = podman(
        "run", *RUNTIME, *ULIMITS, "--name", container, "-e", 'PANTHEON_EMULATOR_SEED_JSON={"users": [nope]}', IMAGE,
        check=False,
    )  # fmt: skip
    assert run.returncode == 1
    assert "Error: PANTHEON_EMULATOR_SEED_JSON is not valid JSON: Expecting value at line 1 column 12." in run.stderr
