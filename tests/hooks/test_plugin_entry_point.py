"""A plugin written from the docs, packaged, pip-installed, and seen acting on `pantheon-emulator serve`."""

from __future__ import annotations

import base64
import hashlib
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import requests

from ._support import marked_block

API = "/customer-secrets/v1/sites/demo-site/secrets"
DEMO = {"Authorization": "demo-token"}


def entry_points_from_docs() -> dict[str, str]:
    """The `[project.entry-points.pantheon_emulator]` table of the docs' pyproject.toml."""
    toml = marked_block("example-pyproject", "toml")
    table = toml.split("[project.entry-points.pantheon_emulator]", 1)[1]
    return dict(re.findall(r'^([\w-]+)\s*=\s*"([\w.:]+)"', table, re.M))


def build_wheel(directory: Path, name: str, version: str, modules: dict[str, str], entry_points: dict[str, str]) -> Path:
    """A minimal, valid wheel (PEP 427) holding ``modules`` and a pantheon_emulator entry-point table."""
    dist_info = f"{name.replace('-', '_')}-{version}.dist-info"
    files = {f"{module}.py": source for module, source in modules.items()}
    files[f"{dist_info}/METADATA"] = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    files[f"{dist_info}/WHEEL"] = "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    files[f"{dist_info}/entry_points.txt"] = "[pantheon_emulator]\n" + "".join(f"{k} = {v}\n" for k, v in entry_points.items())
    record = []
    for path, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(text.encode())}")
    files[f"{dist_info}/RECORD"] = "\n".join(record + [f"{dist_info}/RECORD,,"]) + "\n"
    wheel = directory / f"{name.replace('-', '_')}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
    return wheel


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The docs' team_rules plugin, pip-installed into a directory of its own (the venv stays clean)."""
    work = tmp_path_factory.mktemp("team-rules")
    wheel = build_wheel(
        work, "acme-emulator-rules", "1.0.0", {"team_rules": marked_block("example-plugin", "python")}, entry_points_from_docs()
    )
    target = work / "site-packages"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-index",
            "--no-deps",
            "--disable-pip-version-check",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    assert (target / "acme_emulator_rules-1.0.0.dist-info" / "entry_points.txt").is_file()
    return target


def test_the_docs_declare_the_entry_point_the_plugin_is_installed_under():
    assert entry_points_from_docs() == {"team-rules": "team_rules"}


def test_an_installed_plugin_is_loaded_by_serve_and_acts_on_it(installed, serve):
    server = serve(env={"PYTHONPATH": str(installed)})
    assert "Plugins: team-rules" in server.banner

    rules = requests.get(f"{server.url}/_team/rules", timeout=10)
    assert rules.json() == {"forbidden_prefixes": ["AWS_ROOT_", "GCP_OWNER_"]}
    refused = requests.post(server.url + API, json={"name": "AWS_ROOT_KEY", "value": "x"}, headers=DEMO, timeout=10)
    assert (refused.status_code, refused.text) == (400, "Secret 'AWS_ROOT_KEY': root credentials never go into Pantheon secrets.")
    accepted = requests.post(server.url + API, json={"name": "AWS_DEPLOY_KEY", "value": "x"}, headers=DEMO, timeout=10)
    assert accepted.status_code == 200
    listed = requests.get(f"{server.url}{API}/showall", headers=DEMO, timeout=10).json()["Secrets"]
    assert "AWS_DEPLOY_KEY" in listed and "AWS_ROOT_KEY" not in listed


def test_an_installed_plugin_can_be_blocked_by_name(installed, serve):
    server = serve("--block-plugin", "team-rules", env={"PYTHONPATH": str(installed)})
    assert "Plugins: none" in server.banner
    assert requests.get(f"{server.url}/_team/rules", timeout=10).status_code == 404
    accepted = requests.post(server.url + API, json={"name": "AWS_ROOT_KEY", "value": "x"}, headers=DEMO, timeout=10)
    assert accepted.status_code == 200
