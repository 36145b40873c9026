"""The two Terminus transcripts in Pantheon's troubleshooting guide, reproduced exactly.

seeds/000_a91e06efdab1f76e.txt; the first transcript lost its leading space on the way
into the docs (SPEC §8), so both are compared in Terminus' real form: ` [error]  ...`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

OVERRIDE_WITHOUT_DEFAULT = (
    " [error]  An error happened when trying to set the secret. \n"
    " [error]  Secret 'mysecretnonexist' does not exist. You should create the default secret value first. \n"
)
INVALID_KEY_NAME = (
    " [error]  An error happened when trying to set the secret. \n"
    " [error]  Invalid key name '1nvalid': Environment variable names must start with a letter or underscore, "
    "and can only contain letters, numbers, and underscores. \n"
)


def test_override_of_a_secret_that_does_not_exist(terminus, journal, site_id):
    # terminus secret:site:set site.dev mysecretnonexist foobar
    run = terminus("secret:site:set", "site.dev", "mysecretnonexist", "foobar")

    assert (run.exit_code, run.stdout, run.stderr) == (1, "", OVERRIDE_WITHOUT_DEFAULT)
    assert journal() == [("PATCH", f"/customer-secrets/v1/sites/{site_id}/secrets/mysecretnonexist", 404)]


def test_env_secret_with_an_invalid_key_name(terminus, journal, site_id):
    # terminus secret:site:set site 1nvalid value --type=env
    run = terminus("secret:site:set", "site", "1nvalid", "value", "--type=env")

    assert (run.exit_code, run.stdout, run.stderr) == (1, "", INVALID_KEY_NAME)
    assert journal() == [("POST", f"/customer-secrets/v1/sites/{site_id}/secrets", 400)]


def console_script() -> str:
    """The installed ``pantheon-emulator`` entry point next to this interpreter (or on PATH)."""
    beside = Path(sys.executable).with_name("pantheon-emulator")
    found = str(beside) if beside.exists() else shutil.which("pantheon-emulator")
    if not found:
        pytest.fail("the pantheon-emulator console script is not installed (pip install -e .)")
    return found


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["secret:site:set", "site.dev", "mysecretnonexist", "foobar"], OVERRIDE_WITHOUT_DEFAULT),
        (["secret:site:set", "site", "1nvalid", "value", "--type=env"], INVALID_KEY_NAME),
    ],
)
def test_transcripts_from_the_installed_console_script(server, tmp_path, args, expected):
    environ = {**os.environ, "PANTHEON_EMULATOR_URL": server, "PANTHEON_EMULATOR_TOKEN": "dev-token", "COLUMNS": "80"}
    done = subprocess.run(
        [console_script(), *args], cwd=tmp_path, env=environ, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60
    )

    assert (done.returncode, done.stdout, done.stderr) == (1, "", expected)


def test_a_session_from_the_installed_console_script(server, tmp_path):
    environ = {**os.environ, "COLUMNS": "80"}
    environ.pop("PANTHEON_EMULATOR_URL", None)
    (tmp_path / ".env").write_text(f"PANTHEON_EMULATOR_URL={server}\nPANTHEON_EMULATOR_TOKEN=dev-token\n")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [console_script(), *args],
            cwd=tmp_path,
            env=environ,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
        )

    created = run("secret:site:set", "site", "MAIL_KEY", "s3cr3t", "--scope=web,user")
    listed = run("secret:site:list", "site")

    assert (created.returncode, created.stdout, created.stderr) == (0, "", " [notice] Secret successfully set.\n")
    assert (listed.returncode, listed.stderr) == (0, "")
    assert listed.stdout == (
        " ------------- ------------- -------------- --------------- \n"
        "  Secret name   Secret type   Secret value   Secret scopes  \n"
        " ------------- ------------- -------------- --------------- \n"
        "  MAIL_KEY      runtime       s3cr3t         web, user      \n"
        "  ORG_KEY       runtime       [REDACTED]     web, user      \n"
        " ------------- ------------- -------------- --------------- \n"
    )
