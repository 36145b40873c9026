"""The PHP drop-in: pantheon_get_secret() for a local PHP site, through auto_prepend_file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from emulator.cli import main
from emulator.client.commands import php_drop_in_path

from .test_fake_file import FAKE_CLIENT_CASES, secrets_file

PHP = shutil.which("php")
needs_php = pytest.mark.skipif(PHP is None, reason="the PHP CLI is not installed (apt-get install php-cli)")


def run_php(code: str, env: dict[str, str], prepend: str | None = None) -> subprocess.CompletedProcess:
    """Run a script of ``code`` with the PHP CLI and the drop-in as its auto_prepend_file,
    in a clean environment plus ``env``."""
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env}
    with tempfile.TemporaryDirectory() as scratch:
        script = Path(scratch) / "site.php"
        script.write_text(f"<?php\n{code}\n", encoding="utf-8")
        args = [PHP, "-n", "-d", f"auto_prepend_file={prepend or php_drop_in_path()}", "-d", "display_errors=stderr", str(script)]
        return subprocess.run(args, env=clean, capture_output=True, text=True, timeout=60)


def test_php_prepend_path_prints_the_installed_drop_in():
    result = CliRunner().invoke(main, ["php-prepend-path"])
    assert result.exit_code == 0
    path = result.output.strip()
    assert path == str(php_drop_in_path()) and path.endswith("pantheon_get_secret.php")
    assert "function pantheon_get_secret(" in Path(path).read_text(encoding="utf-8")


@needs_php
def test_a_php_script_reads_its_secrets_from_the_emulator(live_server, consumer_world):
    env = {
        "PANTHEON_EMULATOR_URL": live_server,
        "PANTHEON_SITE": "shop",
        "PANTHEON_ENVIRONMENT": "live",
        "PANTHEON_EMULATOR_RUNTIME_TOKEN": "shop-runtime",
    }
    code = (
        'echo json_encode([pantheon_get_secret("MAIL_KEY"), pantheon_get_secret("API_KEY"), '
        'pantheon_get_secret("HIDDEN"), pantheon_get_secret("NO_SUCH"), pantheon_get_secret("ZERO")]);'
    )
    result = run_php(code, env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["mail-live", "org-api-live", None, None, "0"]


@needs_php
def test_php_and_python_give_identical_answers(live_server, consumer_world):
    from emulator.client import RuntimeClient

    env = {
        "PANTHEON_EMULATOR_URL": live_server,
        "PANTHEON_SITE": "shop",
        "PANTHEON_ENVIRONMENT": "dev",
        "PANTHEON_EMULATOR_RUNTIME_TOKEN": "shop-runtime",
    }
    names = ["MAIL_KEY", "API_KEY", "HIDDEN", "ZERO", "NO_SUCH"]
    result = run_php(f"echo json_encode(array_map('pantheon_get_secret', {json.dumps(names)}));", env)
    with RuntimeClient("shop", "dev", "shop-runtime", url=live_server) as client:
        assert json.loads(result.stdout) == [client.get_secret(n) for n in names]


@needs_php
@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PANTHEON_SITE": "shop", "PANTHEON_EMULATOR_RUNTIME_TOKEN": "made-up"}, "answered 401"),
        (
            {"PANTHEON_SITE": "shop", "PANTHEON_ENVIRONMENT": "nowhere", "PANTHEON_EMULATOR_RUNTIME_TOKEN": "shop-runtime"},
            "answered 404: Environment 'nowhere' not found",
        ),
    ],
)
def test_misconfiguration_throws_with_a_clear_message(live_server, consumer_world, env, message):
    result = run_php(
        'try { pantheon_get_secret("MAIL_KEY"); } catch (RuntimeException $e) { echo $e->getMessage(); }',
        {"PANTHEON_EMULATOR_URL": live_server, **env},
    )
    assert message in result.stdout


@needs_php
def test_a_missing_site_throws_before_any_request():
    result = run_php(
        'try { pantheon_get_secret("A"); } catch (RuntimeException $e) { echo $e->getMessage(); }',
        {"PANTHEON_EMULATOR_URL": "http://127.0.0.1:9", "PANTHEON_EMULATOR_RUNTIME_TOKEN": "t"},
    )
    assert result.stdout.startswith("PANTHEON_SITE is not set")


@needs_php
def test_an_unreachable_emulator_throws_naming_its_url():
    result = run_php(
        'try { pantheon_get_secret("A"); } catch (RuntimeException $e) { echo $e->getMessage(); }',
        {"PANTHEON_EMULATOR_URL": "http://127.0.0.1:9", "PANTHEON_SITE": "shop", "PANTHEON_EMULATOR_RUNTIME_TOKEN": "t"},
    )
    assert "Cannot reach the Pantheon secrets emulator at http://127.0.0.1:9" in result.stdout


@needs_php
def test_an_existing_pantheon_get_secret_is_left_alone(tmp_path):
    first = tmp_path / "platform.php"
    first.write_text(
        '<?php function pantheon_get_secret($n) { return "platform:" . $n; }\n'
        f"require {json.dumps(str(php_drop_in_path()))};\n",
        encoding="utf-8",
    )
    result = run_php('echo pantheon_get_secret("X");', {}, prepend=str(first))
    assert (result.returncode, result.stdout) == (0, "platform:X"), result.stderr


@needs_php
def test_php_reads_a_fake_file_exactly_as_the_python_client_does(tmp_path):
    readable = [(entry, expected) for entry, expected in FAKE_CLIENT_CASES if expected is not None]  # null throws
    path = secrets_file(tmp_path, {f"S{i}": entry for i, (entry, _) in enumerate(readable)})
    names = [f"S{i}" for i in range(len(readable))] + ["MISSING"]
    result = run_php(
        f"echo json_encode(array_map('pantheon_get_secret', {json.dumps(names)}));", {"CUSTOMER_SECRETS_FAKE_FILE": path}
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [expected for _, expected in readable] + [None]
