"""The session in the README's Terminus section, replayed against the demo world."""

from __future__ import annotations

import re
import shlex

import pytest
from click.testing import CliRunner

from emulator.cli import main
from tests.readme import section
from emulator.config import Config



@pytest.fixture
def config() -> Config:
    """The world `pantheon-emulator serve` gives a newcomer (rate limit off: the replay is fast)."""
    return Config(db=":memory:", demo=True, rate_limit=False)


def session() -> list[tuple[str, list[str]]]:
    """(command line, expected output lines) for each `$ ` line of the README's console block."""
    block = re.search(r"```console\n(.*?)```", section("Terminus-compatible secret commands"), re.DOTALL).group(1)
    steps: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            steps[-1][1].append(line)
    return steps


def test_the_readme_session_is_true(live_server, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    steps = session()
    assert len(steps) >= 10

    for command, expected in steps:
        words = shlex.split(command)
        env = {"PANTHEON_EMULATOR_URL": live_server, "PANTHEON_EMULATOR_TOKEN": None, "COLUMNS": "80"}
        while "=" in words[0]:
            name, value = words.pop(0).split("=", 1)
            env[name] = value
        assert words[0] == "pantheon-emulator"
        result = CliRunner().invoke(main, words[1:], env=env, catch_exceptions=False)

        # Terminus' table lines end in spaces that a Markdown file should not have to keep.
        assert [line.rstrip() for line in result.output.splitlines()] == expected, command
        assert result.exit_code == (1 if any(line.startswith(" [error]") for line in expected) else 0), command
    assert (tmp_path / "secrets.json").is_file()
