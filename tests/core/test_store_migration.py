"""A store made by the previous release (schema version 1, tests/data/store-v1.sqlite, written
by release 1's own code) keeps working and keeps its data: opened for writing it is migrated
in place to version 2 (organizations gain a label)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from emulator.cli import main
from emulator.core.store import Store

V1_STORE = Path(__file__).parent.parent / "data" / "store-v1.sqlite"


@pytest.fixture
def old_store(tmp_path) -> Path:
    copy = tmp_path / "store.sqlite"
    shutil.copyfile(V1_STORE, copy)
    os.chmod(copy, 0o600)
    return copy


def schema_version(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]


def export(path: Path) -> dict:
    result = CliRunner().invoke(main, ["export", "--db", str(path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_version_1_store_is_migrated_in_place_and_keeps_its_data(old_store):
    assert schema_version(old_store) == "1"

    world = export(old_store)

    assert schema_version(old_store) == "2"
    [org] = world["organizations"]
    assert (org["name"], org["label"], org["members"]) == ("acme", "acme", ["dev@example.com"])
    assert [(s["name"], s["value"]) for s in org["secrets"]] == [("ORG_KEY", "org-value")]
    [site] = world["sites"]
    assert (site["name"], site["owner"], [s["value"] for s in site["secrets"]]) == ("site", "acme", ["sk_1"])


def test_a_migrated_store_takes_labels_and_finds_an_org_by_label(old_store, tmp_path):
    seed = tmp_path / "labels.json"
    seed.write_text(json.dumps({"organizations": [{"name": "acme", "label": "Acme Corp", "members": ["dev@example.com"]}]}))

    result = CliRunner().invoke(main, ["seed", str(seed), "--db", str(old_store)], catch_exceptions=False)

    assert result.exit_code == 0, result.output
    [org] = export(old_store)["organizations"]
    assert (org["name"], org["label"]) == ("acme", "Acme Corp")
    found = Store(old_store).organization("Acme Corp")
    assert found is not None and found.name == "acme"
