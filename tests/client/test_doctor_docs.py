"""docs/doctor.md's sessions (a pull from the emulator, then doctor from red to green),
replayed line by line against a live emulator serving the demo world, with the page's
world and code tree."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from emulator.core.demo import demo_world
from tests.readme import console_transcript, page

TEXT = page("docs/doctor.md")
DOCUMENTED_URL = "http://127.0.0.1:8770"


def test_the_documented_session_comes_out_as_written(emulator_service, live_server, tmp_path):
    emulator_service.seed(demo_world())
    world, composer = re.findall(r"```json\n(.*?)```", TEXT, flags=re.S)
    [php] = re.findall(r"```php\n(.*?)```", TEXT, flags=re.S)
    (tmp_path / "roastery-world.json").write_text(world)
    (tmp_path / "roastery" / "web").mkdir(parents=True)
    (tmp_path / "roastery" / "composer.json").write_text(composer)
    (tmp_path / "roastery" / "web" / "index.php").write_text(php)
    env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "PANTHEON_EMULATOR_URL": live_server,
        "LC_ALL": "C.UTF-8",
    }
    steps = console_transcript(TEXT)
    for command, expected in steps:
        done = subprocess.run(
            ["bash", "-c", command.replace(DOCUMENTED_URL, live_server)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        output = (done.stdout + done.stderr).replace(live_server, DOCUMENTED_URL)
        assert output.splitlines() == expected, f"$ {command}\n{done.stderr}"
    assert [command.split()[1] for command, _ in steps].count("doctor") == 2
    seed = json.loads((tmp_path / "demo-seed.json").read_text())  # the pulled copy seeds as it is
    assert emulator_service.seed(seed).summary()["sites"][0]["name"] == "demo-site"
