"""``pantheon-emulator env``: the variables a site's process sees (SPEC §10)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner
from dotenv import dotenv_values

from emulator.cli import main
from emulator.client import RuntimeClient

from .conftest import CONSUMER_WORLD

NODE = shutil.which("node")
STOREFRONT = next(s for s in CONSUMER_WORLD["sites"] if s["name"] == "storefront")


def env_output(url: str, *args: str) -> str:
    result = CliRunner().invoke(main, ["env", "--url", url, *args])
    assert result.exit_code == 0, result.output
    return result.output


def site_id(world: dict, name: str) -> str:
    return next(s["id"] for s in world["sites"] if s["name"] == name)


def test_a_nextjs_process_sees_env_secrets_and_all_secrets_as_json(live_server, consumer_world):
    variables = json.loads(env_output(live_server, "storefront.dev", "--format", "json"))
    assert list(variables)[:6] == [
        "PANTHEON_SITE",
        "PANTHEON_SITE_NAME",
        "PANTHEON_ENVIRONMENT",
        "PANTHEON_EMULATOR_URL",
        "PANTHEON_EMULATOR_RUNTIME_TOKEN",
        "BACKEND_URL",
    ]
    assert variables["PANTHEON_SITE"] == site_id(consumer_world, "storefront")
    assert (variables["PANTHEON_SITE_NAME"], variables["PANTHEON_ENVIRONMENT"]) == ("storefront", "dev")
    assert variables["PANTHEON_EMULATOR_URL"] == live_server
    assert variables["PANTHEON_EMULATOR_RUNTIME_TOKEN"] == "storefront-runtime"
    assert variables["BACKEND_URL"] == "https://cms.example.com"  # an env secret with web scope
    assert "DB_PASSWORD" not in variables and "BUILD_ONLY" not in variables  # runtime type; ic scope only
    assert json.loads(variables["SITE_SECRETS_DEFAULT"]) == {
        "API_KEY": {"value": "org-api", "type": "runtime", "envValues": {"live": "org-api-live"}},
        "BACKEND_URL": {"value": "https://cms.example.com", "type": "env", "envValues": {"live": "https://cms-live.example.com"}},
        "DB_PASSWORD": {"value": "db'pass\\word", "type": "runtime", "envValues": {}},
    }
    assert json.loads(variables["SITE_SECRETS_PRODUCTION"]) == {
        "API_KEY": "org-api-live",
        "BACKEND_URL": "https://cms-live.example.com",
        "DB_PASSWORD": "db'pass\\word",
    }
    assert variables["APP_ENV"] == "dev"


def test_in_live_the_env_secret_takes_its_override(live_server, consumer_world):
    variables = json.loads(env_output(live_server, "storefront.live", "--format", "json"))
    assert variables["BACKEND_URL"] == "https://cms-live.example.com"
    assert variables["PANTHEON_ENVIRONMENT"] == "live"


def test_a_php_site_gets_no_secrets_as_variables(live_server, consumer_world):
    variables = json.loads(env_output(live_server, "shop.dev", "--format", "json"))
    assert variables == {
        "PANTHEON_SITE": site_id(consumer_world, "shop"),
        "PANTHEON_SITE_NAME": "shop",
        "PANTHEON_ENVIRONMENT": "dev",
        "PANTHEON_EMULATOR_URL": live_server,
        "PANTHEON_EMULATOR_RUNTIME_TOKEN": "shop-runtime",
    }


def test_the_dotenv_output_reads_back_exactly_and_configures_the_runtime_client(live_server, consumer_world, tmp_path):
    env_file = tmp_path / ".env"
    result = CliRunner().invoke(main, ["env", "--url", live_server, "storefront.dev", "-o", str(env_file)])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", f"Variables of storefront.dev written to {env_file}.\n")
    assert oct(env_file.stat().st_mode & 0o777) == "0o600"
    from_dotenv = dotenv_values(env_file)
    assert from_dotenv == json.loads(env_output(live_server, "storefront.dev", "--format", "json"))
    with RuntimeClient.from_environment(environ={}, dotenv_path=env_file) as client:
        assert client.get_secret("DB_PASSWORD") == "db'pass\\word"


@pytest.mark.skipif(NODE is None, reason="Node.js is not installed")
def test_the_node_output_preloads_process_env(live_server, consumer_world, tmp_path):
    preload = tmp_path / "pantheon-env.cjs"
    preload.write_text(env_output(live_server, "storefront.live", "--format", "node"), encoding="utf-8")
    app = (
        "const s = JSON.parse(process.env.SITE_SECRETS_DEFAULT);"
        "console.log(JSON.stringify([process.env.BACKEND_URL, s.DB_PASSWORD.value, process.env.PANTHEON_ENVIRONMENT]))"
    )
    done = subprocess.run(
        [NODE, "-r", str(preload), "-e", app], capture_output=True, text=True, timeout=60, env={"PATH": os.environ["PATH"]}
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == ["https://cms-live.example.com", "db'pass\\word", "live"]


def test_an_unknown_environment_is_named(live_server, consumer_world):
    done = subprocess.run(
        [sys.executable, "-m", "emulator.cli", "env", "--url", live_server, "storefront.nowhere"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "Environment 'nowhere' not found on site 'storefront'." in done.stderr


def test_the_variables_route_answers_for_one_environment_and_names_an_unknown_one(client, consumer_world):
    answer = client.get("/_emulator/sites/storefront/environments/dev/variables")
    assert answer.status_code == 200
    body = answer.get_json()
    assert (body["site"], body["environment"], body["framework"]) == ("storefront", "dev", "nodejs")
    assert body["variables"]["BACKEND_URL"] == "https://cms.example.com"
    missing = client.get("/_emulator/sites/storefront/environments/nowhere/variables")
    assert (missing.status_code, missing.get_data(as_text=True)) == (404, "Environment 'nowhere' not found on site 'storefront'.")
