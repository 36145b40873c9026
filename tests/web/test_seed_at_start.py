"""Seeding at start-up from a variable holding the document (PANTHEON_EMULATOR_SEED_JSON):
what a CI service container, started before any checkout exists, relies on."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from emulator.config import load_config
from emulator.core.errors import InvalidInput
from emulator.web.app import create_app
from tests.conftest import ACME_WORLD

EXE = [sys.executable, "-m", "emulator.cli"]
RUNTIME = {"Authorization": "Bearer ci-runtime"}
SMALL_WORLD = {
    "users": [{"email": "ci@example.com", "token": "ci-token"}],
    "sites": [
        {
            "name": "ci-site",
            "runtime_token": "ci-runtime",
            "secrets": [{"name": "API_KEY", "value": "from-variable", "scopes": ["web"]}],
        }
    ],
}


def app_from(environ: dict[str, str], tmp_path):
    return create_app(load_config(environ={"PANTHEON_EMULATOR_DB": str(tmp_path / "s.sqlite3"), **environ}, dotenv_path=None))


def test_the_variable_seeds_the_world_instead_of_the_demo(tmp_path):
    client = app_from({"PANTHEON_EMULATOR_SEED_JSON": json.dumps(SMALL_WORLD)}, tmp_path).test_client()
    response = client.get("/customer-secrets/v1/sites/ci-site/environments/dev/secrets/API_KEY", headers=RUNTIME)
    assert response.status_code == 200 and response.get_json()["Value"] == "from-variable"
    assert (
        client.get("/customer-secrets/v1/sites/demo-site/secrets/showall", headers={"Authorization": "demo-token"}).status_code
        == 401
    )


def test_an_empty_variable_is_no_seed(tmp_path):
    client = app_from({"PANTHEON_EMULATOR_SEED_JSON": "  "}, tmp_path).test_client()
    assert (
        client.get("/customer-secrets/v1/sites/demo-site/secrets/showall", headers={"Authorization": "demo-token"}).status_code
        == 200
    )


def test_bad_json_is_refused_naming_the_variable_and_the_place_never_the_text(tmp_path):
    with pytest.raises(InvalidInput) as raised:
        app_from({"PANTHEON_EMULATOR_SEED_JSON": '{"users": [sk_live_secret'}, tmp_path)
    assert raised.value.message == ("PANTHEON_EMULATOR_SEED_JSON is not valid JSON: Expecting value at line 1 column 12.")
    assert "sk_live_secret" not in raised.value.message
    assert not (tmp_path / "s.sqlite3").exists()


def test_a_file_and_the_variable_together_are_refused(tmp_path):
    (tmp_path / "seed.json").write_text(json.dumps(ACME_WORLD))
    with pytest.raises(InvalidInput, match="not both"):
        app_from({"PANTHEON_EMULATOR_SEED": str(tmp_path / "seed.json"), "PANTHEON_EMULATOR_SEED_JSON": "{}"}, tmp_path)


def test_serve_refuses_bad_json_and_keeps_the_store_as_it_was(tmp_path):
    db = tmp_path / "world.sqlite3"
    first = create_app(load_config({"db": str(db)}, environ={}, dotenv_path=None))
    first.test_client().post("/_emulator/seed", json=SMALL_WORLD)
    before = first.test_client().get("/_emulator/state").get_json()
    first.extensions["pantheon_emulator"].close()
    run = subprocess.run(
        [*EXE, "serve", "--port", "0", "--db", str(db)],
        env={"PATH": "/usr/bin:/bin", "PANTHEON_EMULATOR_SEED_JSON": '{"sites": [}'},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1
    assert "Error: PANTHEON_EMULATOR_SEED_JSON is not valid JSON: Expecting value at line 1 column 12." in run.stderr
    after = create_app(load_config({"db": str(db)}, environ={}, dotenv_path=None)).test_client().get("/_emulator/state")
    assert after.get_json() == before


def test_a_rejected_document_is_refused_whole(tmp_path):
    bad = {"sites": [{"name": "ci-site", "owner": "ghost"}]}
    with pytest.raises(InvalidInput, match=r"sites\[0\]\.owner: unknown organization 'ghost'"):
        app_from({"PANTHEON_EMULATOR_SEED_JSON": json.dumps(bad)}, tmp_path)
