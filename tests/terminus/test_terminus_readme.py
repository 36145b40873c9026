"""The session in docs/terminus.md, replayed against the demo world."""

from __future__ import annotations

import shlex

import pytest
from click.testing import CliRunner

from emulator.cli import main
from emulator.config import Config
from tests.readme import console_transcript, page


@pytest.fixture
def config() -> Config:
    """The world `pantheon-emulator serve` gives a newcomer (rate limit off: the replay is fast)."""
    return Config(db=":memory:", demo=True, rate_limit=False)


def test_the_readme_session_is_true(live_server, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    steps = console_transcript(page("docs/terminus.md"))
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
