"""The Integrated Composer build (``sample_site/build.sh``) gets its Composer credentials
from the site's ic-scoped secrets through ``pantheon-emulator ic-build``; on PHP 7.4 it
gets none, as on Pantheon, and fails for want of them."""

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
    assert lines[:3] == [
        "Integrated Composer build of acme-web.dev (PHP 8.3, drupal)",
        "Composer auth: github-oauth.github.com, http-basic.repo.packagist.com",  # the org's token, the site's login
        "Environment variables: COMPOSER_AUTH",
    ]
    assert "Credentials for http-basic.repo.packagist.com: in place" in lines
    assert "Credentials for github-oauth.github.com: in place" in lines
    assert "./composer.json is valid" in lines
    assert not [value for value in build_values(pantheon_live) if value in result.stdout + result.stderr]


@needs_composer
def test_a_php_7_4_build_skips_secrets_and_cannot_reach_the_private_packages(pantheon_live):
    assert not pantheon_live.get_site(SITE).environments["legacy"].php_at_least_8

    result = build(pantheon_live, f"{SITE}.legacy")

    assert result.returncode == 1
    assert result.stdout.splitlines()[:2] == [
        "Integrated Composer build of acme-web.legacy (PHP 7.4, drupal)",
        "Skipping setting up secrets as it is not supported in PHP below 8.0",
    ]
    assert "Credentials for http-basic.repo.packagist.com: missing" in result.stdout
    assert "Credentials for github-oauth.github.com: missing" in result.stdout
    assert "Composer cannot install the private packages without those credentials." in result.stderr


@needs_composer
def test_a_build_without_the_organizations_token_names_what_is_missing(pantheon_live):
    pantheon_live.delete(ORG, "github-oauth.github.com")

    result = build(pantheon_live, f"{SITE}.dev")

    assert result.returncode == 1
    assert "Credentials for http-basic.repo.packagist.com: in place" in result.stdout
    assert "Credentials for github-oauth.github.com: missing" in result.stdout


def test_there_is_no_build_on_live(pantheon_live):
    result = build(pantheon_live, f"{SITE}.live")

    assert result.returncode == 1
    assert "Integrated Composer never builds in 'live'" in result.stderr
