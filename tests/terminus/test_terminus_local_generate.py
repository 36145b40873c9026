"""secret:site:local-generate: the list response as a file for the SDK's fake client (SPEC §9)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
import requests

# The rule of the PHP SDK's fake client (CUSTOMER_SECRETS_FAKE_FILE): Value, or
# OrgValues.default when Value is empty; overrides and scopes are ignored.
PHP_FAKE_CLIENT = r"""
$data = json_decode(file_get_contents(getenv('CUSTOMER_SECRETS_FAKE_FILE')));
$values = [];
foreach ($data->Secrets as $name => $secret) {
    $value = $secret->Value;
    if (empty($value)) {
        $value = $secret->OrgValues->default ?? null;
    }
    $values[$name] = $value;
}
echo json_encode($values);
"""


def fake_client_values(document: dict) -> dict:
    return {name: s.get("Value") or (s.get("OrgValues") or {}).get("default") for name, s in document["Secrets"].items()}


@pytest.fixture
def secrets_on_site(terminus):
    for args in (
        ["site", "API_URL", "https://api.example.com/v1", "--scope=web,user"],
        ["site.live", "API_URL", "https://live.example.com/v1"],
        ["site", "github-oauth.github.com", "ghp_token", "--type=composer", "--scope=ic"],
    ):
        assert terminus("secret:site:set", *args).exit_code == 0


def test_writes_the_site_list_response_pretty_printed_as_php_does(terminus, server, site_id, tmp_path, secrets_on_site):
    run = terminus("secret:site:local-generate", "site")

    assert (run.exit_code, run.stdout) == (0, "")
    assert run.stderr == (
        " [notice] Secrets file written to: secrets.json. Please review this file and adjust accordingly for your local usage.\n"
    )
    response = requests.get(
        f"{server}/customer-secrets/v1/sites/{site_id}/secrets/showall", headers={"Authorization": "dev-token"}, timeout=10
    ).json()
    written = (tmp_path / "secrets.json").read_text(encoding="utf-8")
    assert json.loads(written) == response
    assert written == json.dumps(response, indent=4).replace("/", "\\/")  # json_encode(JSON_PRETTY_PRINT)
    assert '\n    "Secrets": {\n        "API_URL": {\n            "Type": "runtime",\n' in written


def test_the_fake_client_reads_values_and_org_defaults(terminus, tmp_path, secrets_on_site):
    run = terminus("secret:local-generate", "site.dev", "--filepath=./fake.json")

    assert run.stderr == (
        " [notice] Secrets file written to: ./fake.json. Please review this file and adjust accordingly for your local usage.\n"
    )
    document = json.loads((tmp_path / "fake.json").read_text())
    assert fake_client_values(document) == {
        "API_URL": "https://api.example.com/v1",  # its Value (the live override is ignored)
        "ORG_KEY": "org-value",  # no site Value: the org default
        "github-oauth.github.com": None,  # no user scope: left for the developer to fill in
    }


@pytest.mark.skipif(shutil.which("php") is None, reason="php is not installed")
def test_php_reads_the_file_with_the_fake_client_rule(terminus, tmp_path, secrets_on_site):
    terminus("secret:site:local-generate", "site")
    done = subprocess.run(
        ["php", "-r", PHP_FAKE_CLIENT],
        env={"CUSTOMER_SECRETS_FAKE_FILE": str(tmp_path / "secrets.json")},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert json.loads(done.stdout) == fake_client_values(json.loads((tmp_path / "secrets.json").read_text()))


@pytest.mark.parametrize("path", ["missing-dir/secrets.json", "."])
def test_an_unwritable_path_is_the_documented_error(terminus, tmp_path, path):
    run = terminus("secret:site:local-generate", "site", f"--filepath={path}")

    assert (run.exit_code, run.stdout) == (1, "")
    assert run.stderr == f" [error]  Unable to write to file: {path} \n"
    assert list(tmp_path.iterdir()) == []


def test_the_file_is_owner_only_even_when_it_existed_world_readable(terminus, tmp_path, secrets_on_site):
    import stat

    (tmp_path / "secrets.json").write_text("old")
    (tmp_path / "secrets.json").chmod(0o644)
    assert terminus("secret:site:local-generate", "site").exit_code == 0
    assert stat.S_IMODE((tmp_path / "secrets.json").stat().st_mode) == 0o600
    assert terminus("secret:local-generate", "site", "--filepath=new.json").exit_code == 0
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o600
