"""The Integrated Composer build (``sample_site/build.sh``) first runs ``pantheon-emulator
doctor`` on the environment, which stops it when something will fail (PHP 7.4, missing
credentials); then it gets its Composer credentials from the site's ic-scoped secrets
through ``pantheon-emulator ic-build``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ORG, SITE

BUILD = Path(__file__).resolve().parents[1] / "build.sh"
needs_composer = pytest.mark.skipif(
    shutil.which("composer") is None or shutil.which("php") is None,
    reason="PHP and Composer are not installed (apt-get install php-cli composer)",
)


def build(pantheon_live, target: str) -> subprocess.CompletedProcess:
    """Run the build script as a developer would, with the emulator's CLI on PATH."""
    env = {
        **os.environ,
        "PANTHEON_EMULATOR_URL": pantheon_live.url,
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
    }
    env.pop("COMPOSER_AUTH", None)
    return subprocess.run(["bash", str(BUILD), target], env=env, capture_output=True, text=True, timeout=120)


def build_values(pantheon_live) -> list[str]:
    """The values of the ic secrets the build reads (none may appear in its log)."""
    return [resolved.value for resolved in pantheon_live.resolved(SITE, "dev", scope="ic").values()]


@needs_composer
def test_a_dev_build_finds_credentials_for_both_private_repositories(pantheon_live):
    result = build(pantheon_live, f"{SITE}.dev")

    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Site acme-web (drupal, owner acme-coffee): dev (PHP 8.3)"
    assert "0 error(s), 0 warning(s), 2 note(s): nothing will fail." in lines
    lines = lines[lines.index("0 error(s), 0 warning(s), 2 note(s): nothing will fail.") + 1 :]
    assert lines[:3] == [
        "Integrated Composer build of acme-web.dev (PHP 8.3, drupal)",
        "Composer auth: github-oauth.github.com, http-basic.repo.packagist.com",  # the org's token, the site's login
        "Environment variables: COMPOSER_AUTH",
    ]
    assert "Credentials for http-basic.repo.packagist.com: in place" in lines
    assert "Credentials for github-oauth.github.com: in place" in lines
    assert "./composer.json is valid" in lines
    assert not [value for value in build_values(pantheon_live) if value in result.stdout + result.stderr]


def test_doctor_stops_a_php_7_4_build_before_it_starts(pantheon_live):
    assert not pantheon_live.get_site(SITE).environments["legacy"].php_at_least_8

    result = build(pantheon_live, f"{SITE}.legacy")

    assert result.returncode == 1
    assert result.stdout.splitlines()[:2] == [
        "Site acme-web (drupal, owner acme-coffee): legacy (PHP 7.4)",
        "ERROR   -  [legacy]  PHP 7.4: the build will log 'Skipping setting up secrets as it is not supported in PHP "
        "below 8.0', and secrets are not supported below PHP 8.0.",
    ]
    assert "Integrated Composer build" not in result.stdout  # ic-build never ran


def test_doctor_stops_a_build_without_the_organizations_token_and_names_the_fix(pantheon_live):
    pantheon_live.delete(ORG, "github-oauth.github.com")

    result = build(pantheon_live, f"{SITE}.dev")

    assert result.returncode == 1
    assert (
        "ERROR   composer.json:13  [dev]  No Composer auth for github.com (vcs repository https://github.com/acme-coffee/acme-theme)"
        in result.stdout
    )
    assert (
        "        fix: terminus secret:site:set acme-web github-oauth.github.com '<token>' --type=composer --scope=ic"
        in result.stdout
    )
    assert "Integrated Composer build" not in result.stdout


def test_there_is_no_build_on_live(pantheon_live):
    result = build(pantheon_live, f"{SITE}.live")

    assert result.returncode == 1
    assert "Integrated Composer never builds in 'live'" in result.stderr
