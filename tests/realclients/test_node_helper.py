"""Pantheon's Node helper (pantheon-secrets-js), unmodified, over the variables
`pantheon-emulator env` gives a Next.js site in each environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from emulator.client import RuntimeClient
from tests.tools import NODE_HELPER, need_program, need_shared

NAMES = ["SHARED_KEY", "ORG_ONLY", "NO_SUCH"]
SCRIPT = (
    "const {pantheonGetSecret} = require(process.env.HELPER);"
    "const got = {}; for (const n of JSON.parse(process.env.ASK)) got[n] = pantheonGetSecret(n);"
    "process.stdout.write('\\nRESULT ' + JSON.stringify(got) + '\\n');"
)


def helper_values(server, env: str) -> dict:
    node = need_program("node", "nodejs")
    helper = need_shared(NODE_HELPER)
    variables = json.loads(
        subprocess.run(
            [sys.executable, "-m", "emulator.cli", "env", f"acme-next.{env}", "--format", "json", "--url", server.url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    process_env = {"PATH": os.environ.get("PATH", ""), "HELPER": str(helper), "ASK": json.dumps(NAMES), **variables}
    done = subprocess.run([node, "-e", SCRIPT], env=process_env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.rsplit("RESULT ", 1)[1])


@pytest.mark.parametrize(
    ("env", "shared"),
    [("dev", "next-shared"), ("test", "next-shared"), ("live", "next-shared-live"), ("feature", "next-shared-feature")],
)
def test_the_helper_returns_what_the_environment_reads(server, env, shared):
    got = helper_values(server, env)
    assert got == {"SHARED_KEY": shared, "ORG_ONLY": "org-only-value", "NO_SUCH": None}
    with RuntimeClient("acme-next", env, "acme-next-runtime", url=server.url) as runtime:
        ours = runtime.get_secrets()
    assert {name: ours.get(name) for name in NAMES} == got  # the helper and the runtime API agree
