"""``pantheon-emulator doctor`` on the sample site and on its deliberately broken twin
(the sample's composer.json with its theme cloned over SSH, a GitLab repository nobody
gave credentials for and ACF PRO's installer without its key, and a PHP page reading a
secret the site lacks), written by the ``broken_twin`` fixture."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from emulator.cli import main

from .conftest import SITE

SAMPLE = Path(__file__).resolve().parents[1]
CHECKOUT_PHP = """<?php
// The twin's checkout page: one secret the site has, one it never got.
$payment = pantheon_get_secret('PAYMENT_API_KEY');
$shipping = pantheon_get_secret('SHIPPING_API_KEY');
"""


@pytest.fixture
def broken_twin(tmp_path) -> Path:
    composer = json.loads((SAMPLE / "composer.json").read_text())
    composer["repositories"][1]["url"] = "git@github.com:acme-coffee/acme-theme.git"
    composer["repositories"].append({"type": "vcs", "url": "https://gitlab.com/acme-coffee/roaster-api"})
    composer["require"] |= {"acme-coffee/roaster-api": "^0.9", "pivvenit/acf-pro-installer": "^2.4"}
    twin = tmp_path / "acme-web-twin"
    (twin / "web").mkdir(parents=True)
    (twin / "composer.json").write_text(json.dumps(composer, indent=4))
    (twin / "web" / "checkout.php").write_text(CHECKOUT_PHP)
    return twin


def doctor(pantheon_live, tree: Path, *args: str):
    command = ["doctor", str(tree), "--site", SITE, "--url", pantheon_live.url, "--format", "json", *args]
    return CliRunner().invoke(main, command)


def test_the_sample_site_builds_in_dev_and_doctor_says_so(pantheon_live):
    result = doctor(pantheon_live, SAMPLE, "--env", "dev")

    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["errors"] == 0 and report["warnings"] == 0
    assert {f["check"] for f in report["findings"]} == {"unused"}  # the site's Python reads its runtime keys


def test_the_sample_sites_php_7_4_multidev_is_flagged(pantheon_live):
    result = doctor(pantheon_live, SAMPLE)

    assert result.exit_code == 1
    [error] = [f for f in json.loads(result.output)["findings"] if f["severity"] == "error"]
    assert error["check"] == "php-too-old" and error["environments"] == ["legacy"]


def test_the_broken_twin_fails_with_every_finding_located(pantheon_live, broken_twin):
    result = doctor(pantheon_live, broken_twin, "--env", "dev", "--env", "live")

    assert result.exit_code == 1
    errors = {(f["check"], f["file"], f["line"]): f for f in json.loads(result.output)["findings"] if f["severity"] == "error"}
    assert set(errors) == {
        ("ssh-repository", "composer.json", 13),
        ("composer-auth-missing", "composer.json", 17),
        ("package-key-missing", "composer.json", 25),
        ("missing", "web/checkout.php", 4),
    }
    assert errors[("ssh-repository", "composer.json", 13)]["remedy"] == (
        "edit composer.json: use https://github.com/acme-coffee/acme-theme.git"
    )
    assert errors[("composer-auth-missing", "composer.json", 17)]["remedy"] == (
        "terminus secret:site:set acme-web gitlab-oauth.gitlab.com '<token>' --type=composer --scope=ic"
    )
    assert errors[("missing", "web/checkout.php", 4)]["environments"] == ["dev", "live"]


def test_fixing_the_twins_secrets_as_doctor_says_leaves_only_the_code_changes(pantheon_live, broken_twin):
    pantheon_live.secret(SITE, "gitlab-oauth.gitlab.com", "glpat-acme", type="composer", scopes=["ic"])
    pantheon_live.secret(SITE, "ACF_PRO_KEY", "acf-licence", type="env", scopes=["ic"])
    pantheon_live.secret(SITE, "SHIPPING_API_KEY", "ship-key", type="runtime", scopes=["web"])

    result = doctor(pantheon_live, broken_twin, "--env", "dev")

    errors = [f["check"] for f in json.loads(result.output)["findings"] if f["severity"] == "error"]
    assert errors == ["ssh-repository"]  # composer.json itself must change
    assert "glpat-acme" not in result.output and "acf-licence" not in result.output
