"""The quick start of docs/plugins.md is true: each command in it is run, and its plugin seen at work."""

from __future__ import annotations

import json
import shlex

import pytest
import requests

from tests.readme import section

from ._support import code_blocks

API = "/customer-secrets/v1/sites/demo-site/secrets"
DEMO = {"Authorization": "demo-token"}
TEXT = section("Quick start", "docs/plugins.md")


def commands() -> list[str]:
    return [line for block in code_blocks(TEXT, "bash") for line in block.splitlines() if line and not line.startswith("#")]


def split(command: str) -> tuple[dict[str, str], list[str]]:
    """``A=1 B=2 pantheon-emulator serve ARGS`` -> ({A: 1, B: 2}, ARGS)."""
    words = shlex.split(command)
    env = {}
    while "=" in words[0]:
        key, value = words.pop(0).split("=", 1)
        env[key] = value
    assert words[:2] == ["pantheon-emulator", "serve"], command
    return env, words[2:]


def check_team_rules(url: str, cwd) -> None:
    refused = requests.post(url + API, json={"name": "AWS_ROOT_KEY", "value": "x"}, headers=DEMO, timeout=10)
    assert refused.status_code == 400
    assert refused.text == "Secret 'AWS_ROOT_KEY': root credentials never go into Pantheon secrets."
    assert "Now creating `AWS_ROOT_KEY` answers 400 with that message and stores nothing." in TEXT


def check_audit_log(url: str, cwd) -> None:
    requests.post(url + API, json={"name": "API_TOKEN", "value": "readme-secret"}, headers=DEMO, timeout=10)
    [line] = (cwd / "audit.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["secret"] == "API_TOKEN"
    assert "readme-secret" not in line


def check_faults(url: str, cwd) -> None:
    runtime = "/customer-secrets/v1/sites/demo-site/environments/dev/secrets"  # never rate limited: 429s are faults
    answers = [requests.get(url + runtime, headers={"Authorization": "Bearer demo-runtime-token"}, timeout=10) for _ in range(30)]
    failed = [a for a in answers if a.status_code == 429]
    assert 3 <= len(failed) <= 18 and len(failed) + [a.status_code for a in answers].count(200) == 30
    assert all(a.headers["Retry-After"] == "1" and a.text.startswith("Injected fault: 429") for a in failed)


CHECKS = {
    "team_rules": check_team_rules,
    "emulator.contrib.audit_log": check_audit_log,
    "emulator.contrib.faults": check_faults,
}


def test_the_section_has_the_commands_these_tests_run():
    assert [split(c)[1][-1] for c in commands()] == list(CHECKS)


@pytest.mark.parametrize("command", commands(), ids=lambda command: split(command)[1][-1])
def test_readme_command_runs_and_its_plugin_acts(command, serve, tmp_path):
    [plugin_source] = code_blocks(TEXT, "python")
    (tmp_path / "team_rules.py").write_text(plugin_source, encoding="utf-8")  # the file the README names
    env, args = split(command)
    server = serve(*args, env=env, cwd=tmp_path)  # run from the plugin's directory, not on PYTHONPATH
    plugin = args[-1]
    assert next(line for line in server.banner if line.startswith("Plugins: ")).startswith(f"Plugins: {plugin}")
    CHECKS[plugin](server.url, tmp_path)
