"""docs/real-clients.md's Terminus session, replayed with the real Terminus against a real
`pantheon-emulator serve` holding support.WORLD (the page shows that world)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.readme import console_transcript, page
from tests.tools import REAL_TERMINUS, need_program, need_shared

from .support import WORLD

MARK = "@@step@@"


def test_the_world_shown_on_the_page_is_the_one_replayed():
    shown = page("docs/real-clients.md").split("<!-- world -->\n```json\n", 1)[1].split("```", 1)[0]
    assert json.loads(shown) == WORLD


def test_the_terminus_session_on_the_page_is_true(server, tmp_path):
    need_program("php", "php-cli")
    need_shared(REAL_TERMINUS)
    steps = console_transcript(page("docs/real-clients.md"))
    assert steps[0][0] == 'eval "$(pantheon-emulator terminus-env)"' and len(steps) >= 6
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, target in (("terminus", [str(REAL_TERMINUS)]), ("pantheon-emulator", [sys.executable, "-m", "emulator.cli"])):
        wrapper = bin_dir / name  # the user's PATH: Pantheon's Terminus and our command
        wrapper.write_text("#!/bin/sh\nexec " + " ".join(f'"{part}"' for part in target) + ' "$@"\n', encoding="utf-8")
        wrapper.chmod(0o755)
    script = "".join(f"echo '{MARK}'\n{command} 2>&1\n" for command, _ in steps)
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": str(home),
        "COLUMNS": "100",
        "PANTHEON_EMULATOR_URL": server.url,  # the page's server listens on the default 8770
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    done = subprocess.run(["bash", "-c", script], env=env, cwd=home, capture_output=True, text=True, timeout=300)
    outputs = done.stdout.split(MARK + "\n")[1:]
    assert len(outputs) == len(steps), done.stderr
    for (command, expected), output in zip(steps, outputs, strict=True):
        # Terminus' table lines end in spaces that a Markdown file should not have to keep.
        assert [line.rstrip() for line in output.splitlines()] == expected, command
