"""The examples of docs/consumers.md, run as written against a live emulator.

Each ``console`` block is a transcript: ``$ `` lines are run with bash, one after another
in one working directory, and their output must match the lines below them. The
emulator's URL stands in for the documented default, http://127.0.0.1:8770.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from emulator.client import ManagementClient
from emulator.core.demo import demo_world
from tests.readme import console_transcript, page

TEXT = page("docs/consumers.md")
DOCUMENTED_URL = "http://127.0.0.1:8770"
TOOLS = ("php", "node", "composer")


def test_the_document_has_examples_for_every_consumer():
    commands = " ".join(command for command, _ in console_transcript(TEXT))
    for needle in (
        "pantheon-emulator env",
        "get_secret(",
        "php-prepend-path",
        "CUSTOMER_SECRETS_FAKE_FILE",
        "ic-build",
        "composer config",
        "node -r",
    ):
        assert needle in commands


def test_the_documented_transcripts_come_out_as_written(app, emulator_service, live_server, tmp_path):
    text = TEXT
    emulator_service.seed(demo_world())
    (tmp_path / "consumers-world.json").write_text(re.search(r"```json\n(.*?)```", text, flags=re.S).group(1))
    listing = ManagementClient(live_server, "demo-token").list_secrets("site", "demo-site")  # as local-generate writes it
    (tmp_path / "secrets.json").write_text(json.dumps(listing, indent=4))
    env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "PANTHEON_EMULATOR_URL": live_server,
        "COMPOSER_ALLOW_SUPERUSER": "1",
        "LC_ALL": "C.UTF-8",
    }
    ran = 0
    for command, expected in console_transcript(text):
        tool = command.replace("$(", " ").split()
        if any(t in tool for t in TOOLS if shutil.which(t) is None):
            continue
        done = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
        output = (done.stdout + done.stderr).replace(live_server, DOCUMENTED_URL)
        assert output.splitlines() == expected, f"$ {command}\n{done.stderr}"
        ran += 1
    assert ran >= 8
