"""``pantheon-emulator ic-build``: an Integrated Composer build's secrets (SPEC §7)."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys

import pytest
from click.testing import CliRunner
from dotenv import dotenv_values

from emulator.cli import main
from emulator.core import policy

SHOP_VALUES = ("ghp_shop_token", "bbkey", "bbsecret", "builder", "s3cret pass", "acf-licence", "glpat-shop")
COMPOSER = shutil.which("composer")
needs_composer = pytest.mark.skipif(COMPOSER is None, reason="Composer is not installed (apt-get install composer)")

EXPECTED_AUTH = {
    "bitbucket-oauth": {"bitbucket.org": {"consumer-key": "bbkey", "consumer-secret": "bbsecret"}},
    "github-oauth": {"github.com": "ghp_shop_token"},
    "http-basic": {"repo.example.com": {"username": "builder", "password": "s3cret pass"}},
}


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "emulator.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def ic_build(url: str, *args: str):
    return CliRunner().invoke(main, ["ic-build", "--url", url, *args])


def test_a_php_8_build_sets_up_composer_auth_and_env_variables_naming_no_value(live_server, consumer_world, tmp_path):
    auth, env_file = tmp_path / "auth.json", tmp_path / "build.env"
    result = ic_build(live_server, "--auth-json", str(auth), "--env-file", str(env_file), "shop.dev")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Integrated Composer build of shop.dev (PHP 8.3, drupal)",
        "Composer auth: bitbucket-oauth.bitbucket.org, github-oauth.github.com, http-basic.repo.example.com",
        "Environment variables: ACF_PRO_KEY, COMPOSER_AUTH",
        f"Composer auth written to {auth}",
        f"Environment variables written to {env_file}",
    ]
    assert not any(value in result.output for value in SHOP_VALUES)
    assert json.loads(auth.read_text()) == EXPECTED_AUTH
    variables = dotenv_values(env_file)
    assert variables["ACF_PRO_KEY"] == "acf-licence"
    assert json.loads(variables["COMPOSER_AUTH"]) == {**EXPECTED_AUTH, "gitlab-token": {"gitlab.example.com": "glpat-shop"}}
    for path in (auth, env_file):
        assert stat.S_IMODE(path.stat().st_mode) == policy.SECRET_FILE_MODE


def test_a_multidev_builds_like_dev(live_server, consumer_world):
    result = ic_build(live_server, "shop.feature")
    assert result.exit_code == 0, result.output
    assert "Environment variables: ACF_PRO_KEY, COMPOSER_AUTH" in result.output


def test_below_php_8_nothing_is_set_up(live_server, consumer_world, tmp_path):
    auth, env_file = tmp_path / "auth.json", tmp_path / "build.env"
    result = ic_build(live_server, "--auth-json", str(auth), "--env-file", str(env_file), "shop.legacy")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Integrated Composer build of shop.legacy (PHP 7.4, drupal)",
        "Skipping setting up secrets as it is not supported in PHP below 8.0",
    ]
    assert not auth.exists() and not env_file.exists()


@pytest.mark.parametrize("env", ["test", "live"])
def test_test_and_live_are_refused_before_asking_the_emulator(env):
    result = ic_build("http://127.0.0.1:9", f"shop.{env}")  # nothing listens there: no request is made
    assert result.exit_code == 1
    assert f"Integrated Composer never builds in '{env}': it runs for dev and multidev environments only." in result.output


def test_malformed_secrets_fail_the_build_by_name_without_their_values(live_server, consumer_world, tmp_path):
    auth = tmp_path / "auth.json"
    result = ic_build(live_server, "--auth-json", str(auth), "broken.dev")
    assert result.exit_code == 1
    assert "The build's secrets could not be set up:" in result.output
    assert "Secret 'bitbucket-oauth.bitbucket.org' must hold two parts" in result.output
    assert "Secret 'COMPOSER_AUTH' is not valid Composer auth JSON" in result.output
    assert "Secret 'npm-token.example.com' is of type composer but is not a Composer auth entry" in result.output
    assert not any(marker in result.output for marker in ("onlyonepart", "secret-marker", "token-marker"))
    assert not auth.exists()


def test_a_target_without_an_environment_is_refused():
    result = ic_build("http://127.0.0.1:9", "shop")
    assert result.exit_code == 2 and "Expected <site>.<env>, e.g. demo-site.dev, not 'shop'." in result.output


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("nosuch.dev", "Site 'nosuch' not found."),
        ("shop.nowhere", "Environment 'nowhere' not found on site 'shop'."),
    ],
)
def test_bad_targets_are_named(live_server, consumer_world, target, message):
    # in a subprocess: an error's traceback kept by CliRunner would hold the connection open
    result = run_cli("ic-build", "--url", live_server, target)
    assert result.returncode != 0 and message in result.stderr


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1:9", "Error: Cannot reach the emulator at http://127.0.0.1:9. Is 'pantheon-emulator serve' running?\n"),
        ("127.0.0.1:9", "Error: Invalid emulator URL '127.0.0.1:9': expected something like http://127.0.0.1:8770.\n"),
    ],
)
def test_an_emulator_out_of_reach_is_one_line_naming_the_url(url, message):
    result = ic_build(url, "shop.dev")
    assert (result.exit_code, result.output) == (1, message)


DUMP_ENV = "import json, os, sys; json.dump({k: os.environ.get(k) for k in sys.argv[1:]}, sys.stdout)"


def test_the_build_command_runs_with_the_env_secrets_and_merged_composer_auth(live_server, consumer_world):
    result = run_cli(
        "ic-build", "--url", live_server, "shop.dev", "--", sys.executable, "-c", DUMP_ENV, "ACF_PRO_KEY", "COMPOSER_AUTH", "HOME"
    )
    assert result.returncode == 0, result.stderr
    log, _, dumped = result.stdout.rpartition("\n")
    assert log.endswith(f"Running: {sys.executable} -c {DUMP_ENV} ACF_PRO_KEY COMPOSER_AUTH HOME")
    seen = json.loads(dumped)
    assert seen["ACF_PRO_KEY"] == "acf-licence"
    assert seen["HOME"] == os.environ.get("HOME")  # the caller's environment is kept
    assert json.loads(seen["COMPOSER_AUTH"]) == {**EXPECTED_AUTH, "gitlab-token": {"gitlab.example.com": "glpat-shop"}}


def test_below_php_8_the_command_runs_without_secrets_and_its_exit_code_is_kept(live_server, consumer_world):
    code = DUMP_ENV + "; sys.exit(3)"
    result = run_cli("ic-build", "--url", live_server, "shop.legacy", "--", sys.executable, "-c", code, "ACF_PRO_KEY")
    assert result.returncode == 3
    assert "Skipping setting up secrets as it is not supported in PHP below 8.0\n" in result.stdout
    assert result.stdout.endswith('{"ACF_PRO_KEY": null}')


def test_a_command_that_cannot_start_is_reported(live_server, consumer_world):
    result = ic_build(live_server, "shop.dev", "--", "/nonexistent/composer", "install")
    assert result.exit_code == 1 and "Cannot run '/nonexistent/composer'" in result.output


@needs_composer
def test_composer_reads_the_generated_auth_json_as_its_global_auth(live_server, consumer_world, tmp_path):
    home = tmp_path / "composer-home"
    assert ic_build(live_server, "--auth-json", str(home / "auth.json"), "shop.dev").exit_code == 0
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "COMPOSER_HOME": str(home), "COMPOSER_ALLOW_SUPERUSER": "1"}

    def composer(*args: str) -> str:
        done = subprocess.run(
            [COMPOSER, "--no-interaction", *args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert composer("config", "-g", "github-oauth.github.com") == "ghp_shop_token"
    assert json.loads(composer("config", "-g", "http-basic.repo.example.com")) == {
        "username": "builder",
        "password": "s3cret pass",
    }
    listing = composer("config", "--global", "--list")
    assert "[github-oauth.github.com] ghp_shop_token" in listing


@needs_composer
def test_composer_run_as_the_build_command_sees_every_credential(live_server, consumer_world, tmp_path):
    env = {"HOME": str(tmp_path), "COMPOSER_HOME": str(tmp_path / "empty-home"), "COMPOSER_ALLOW_SUPERUSER": "1"}
    result = run_cli(
        "ic-build", "--url", live_server, "shop.dev", "--", COMPOSER, "--no-interaction", "config", "--global", "--list", env=env
    )
    assert result.returncode == 0, result.stderr
    for line in ("[github-oauth.github.com] ghp_shop_token", "[gitlab-token.gitlab.example.com] glpat-shop"):
        assert line in result.stdout


def test_a_nodejs_site_has_no_integrated_composer_build(live_server, consumer_world, tmp_path):
    auth = tmp_path / "auth.json"
    result = ic_build(live_server, "--auth-json", str(auth), "storefront.dev")
    assert result.exit_code == 1
    assert "Site 'storefront' runs Node.js (Next.js): Pantheon has no Integrated Composer build for it." in result.output
    assert not auth.exists()
