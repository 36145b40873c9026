"""The audit log plugin: one JSON line per change, written while a real server is used."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from freezegun import freeze_time

from emulator.cli import main
from emulator.client import ClientError, ManagementClient
from emulator.config import Config
from emulator.contrib.audit_log import AuditLog
from emulator.core.errors import PluginError
from emulator.web.app import create_app

from ._support import PLUGIN_DOCS

TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


@pytest.fixture
def audit_file(tmp_path):
    return tmp_path / "logs" / "audit.jsonl"  # its directory does not exist yet


@pytest.fixture
def config(audit_file):
    """Loaded as `--plugin emulator.contrib.audit_log` with PANTHEON_EMULATOR_AUDIT_LOG would be."""
    return Config(
        db=":memory:",
        demo=False,
        rate_limit=False,
        plugins=["emulator.contrib.audit_log"],
        plugin_settings={"AUDIT_LOG": str(audit_file)},
    )


def read_lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_scripted_terminus_session_leaves_one_line_per_change(live_server, world, audit_file):
    dev = ManagementClient(live_server, token="dev-token")
    dev.set_secret("org", "acme", "SHARED_KEY", "org-value-1", type="runtime", scopes=["web", "user"])
    dev.set_secret("site", "acme-web", "API_TOKEN", "site-value-1", scopes=["web"])
    dev.set_secret("site", "acme-web", "API_TOKEN", "site-value-2")  # POST -> 400 "PATCH" -> PATCH
    dev.set_override("site", "acme-web", "API_TOKEN", "live", "live-value-3")
    dev.delete_override("site", "acme-web", "API_TOKEN", "live")
    with pytest.raises(ClientError):
        dev.delete_secret("site", "acme-web", "NO_SUCH_SECRET")  # 404: nothing changed, nothing logged
    dev.delete_secret("site", "acme-web", "API_TOKEN")

    lines = read_lines(audit_file)
    assert all(TIME.match(line.pop("time")) for line in lines)
    assert all(line.pop("actor") == "dev@example.com" for line in lines)
    acme_web = world["sites"][0]["id"]
    site = {"owner_kind": "site", "owner_id": acme_web, "owner_name": "acme-web", "secret": "API_TOKEN"}
    assert lines == [
        {
            "action": "create",
            "owner_kind": "org",
            "owner_id": lines[0]["owner_id"],
            "owner_name": "acme",
            "secret": "SHARED_KEY",
            "environment": None,
            "type": "runtime",
            "scopes": ["web", "user"],
        },
        {"action": "create", **site, "environment": None, "type": "runtime", "scopes": ["web"]},
        {"action": "update", **site, "environment": None, "type": "runtime", "scopes": ["web"]},
        {"action": "override", **site, "environment": "live", "type": "runtime", "scopes": ["web"]},
        {"action": "delete-override", **site, "environment": "live", "type": "runtime", "scopes": ["web"]},
        {"action": "delete", **site, "environment": None, "type": None, "scopes": None},
    ]
    text = audit_file.read_text(encoding="utf-8")
    assert not re.search(r"value-\d", text), "a secret value reached the audit log"


def test_the_line_in_the_docs_is_what_the_plugin_writes(tmp_path):
    path = tmp_path / "audit.jsonl"
    client = create_app(Config(db=":memory:", rate_limit=False), plugins=[AuditLog(path)]).test_client()
    with freeze_time("2025-01-02 03:04:05"):
        client.post(
            "/customer-secrets/v1/sites/demo-site/secrets",
            headers={"Authorization": "demo-token"},
            json={"name": "API_TOKEN", "value": "tok", "scopes": ["web", "user"]},
        )
    docs = PLUGIN_DOCS.read_text(encoding="utf-8")
    assert path.read_text(encoding="utf-8").strip() in [line.strip() for line in docs.splitlines()]


def test_without_a_file_the_plugin_refuses_to_start(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PANTHEON_EMULATOR_AUDIT_LOG", raising=False)
    result = CliRunner().invoke(main, ["serve", "--memory", "--plugin", "emulator.contrib.audit_log"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: The audit log plugin (emulator.contrib.audit_log) needs a file: set PANTHEON_EMULATOR_AUDIT_LOG=<path>.\n"
    )


def test_a_file_that_cannot_be_written_is_refused_at_start_up(tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(PluginError, match=r"The audit log cannot write to .*not-a-directory/audit\.jsonl: "):
        create_app(
            Config(
                db=":memory:", plugins=["emulator.contrib.audit_log"], plugin_settings={"AUDIT_LOG": str(blocker / "audit.jsonl")}
            )
        )
