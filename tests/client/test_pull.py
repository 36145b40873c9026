"""``pantheon-emulator pull``: a site's layout read through Pantheon's API (the emulator's
core API under ``/api`` and its secrets API) from one emulator behind a real waitress
server, and seeded into another; ``doctor`` against both agrees."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask

from emulator.cli import main
from emulator.client.api import ClientError
from emulator.client.pantheon import PantheonClient, php_version
from emulator.config import Config
from emulator.core.policy import PULL_PLACEHOLDER
from emulator.web.app import create_app
from emulator.web.server import BackgroundServer

TOKEN = "dev-token"
SOURCE_WORLD = {
    "users": [{"email": "dev@example.com", "token": TOKEN}, {"email": "stranger@example.com", "token": "stranger-token"}],
    "organizations": [
        {
            "name": "acme",
            "members": ["dev@example.com"],
            "secrets": [
                {"name": "github-oauth.github.com", "value": "ghp-org-hidden", "type": "composer", "scopes": ["ic"]},
                {
                    "name": "SHARED_KEY",
                    "value": "org-shared",
                    "type": "runtime",
                    "scopes": ["web", "user"],
                    "overrides": {"live": "org-shared-live"},
                },
                {
                    "name": "ORG_HIDDEN",
                    "value": "org-hidden",
                    "type": "runtime",
                    "scopes": ["web"],
                    "overrides": {"live": "org-hidden-live"},
                },
            ],
        }
    ],
    "sites": [
        {
            "name": "shop",
            "owner": "acme",
            "framework": "drupal",
            "environments": {
                "dev": {"php_version": "8.3"},
                "test": {"php_version": "8.2"},
                "live": {"php_version": "8.3"},
                "legacy": {"php_version": "7.4"},
            },
            "secrets": [
                {
                    "name": "MAIL_KEY",
                    "value": "mail-dev",
                    "type": "runtime",
                    "scopes": ["web", "user"],
                    "overrides": {"live": "mail-live"},
                },
                {
                    "name": "API_TOKEN",
                    "value": "api-hidden",
                    "type": "runtime",
                    "scopes": ["web"],
                    "overrides": {"live": "api-live"},
                },
                {"name": "http-basic.repo.packagist.com", "value": "user pass-hidden", "type": "composer", "scopes": ["ic"]},
                {"name": "SHARED_KEY", "value": None, "overrides": {"test": "site-shared-test"}},
            ],
        }
    ],
}
HIDDEN_VALUES = ["ghp-org-hidden", "org-hidden", "org-hidden-live", "api-hidden", "api-live", "pass-hidden"]


@pytest.fixture
def source_app():
    app = create_app(Config(db=":memory:", demo=False, rate_limit=False))
    app.extensions["pantheon_emulator"].seed(SOURCE_WORLD)
    return app


@pytest.fixture
def source(source_app):
    """The site's home: a second emulator behind a real server; yields its URL."""
    server = BackgroundServer(source_app, host="127.0.0.1", port=0, threads=4)
    yield server.url
    server.stop()


def pull(source: str, output: Path, *args: str, token: str = TOKEN, input: str | None = None):
    command = ["pull", "--url", source, "--token", token, "--site", "shop", "-o", str(output), *args]
    return CliRunner().invoke(main, command, input=input)


def layout(em, site: str = "shop") -> dict:
    """Per environment and scope: name -> (type, scopes, layer)."""
    found = em.site(site)
    return {
        (env, scope): {name: (r.type, tuple(r.scopes), r.layer) for name, r in em.resolved(found, env, scope).items()}
        for env in found.environments
        for scope in ("web", "ic", "user")
    }


def test_pull_writes_a_private_seed_the_other_emulator_loads_with_the_same_layout(
    tmp_path, source, source_app, emulator_service, live_server
):
    seed_file = tmp_path / "seed.json"

    result = pull(source, seed_file)

    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(seed_file.stat().st_mode) == 0o600
    lines = result.output.splitlines()
    assert lines[0] == f"Pulled site shop (4 environment(s), 4 site secret(s), 3 organization secret(s)) into {seed_file}."
    assert lines[-1] == (
        f"6 value(s) were not revealed by the API (no user scope) and hold '{PULL_PLACEHOLDER}': API_TOKEN, API_TOKEN/live, "
        "ORG_HIDDEN, ORG_HIDDEN/live, github-oauth.github.com, http-basic.repo.packagist.com. Fill them with --values FILE or --ask."
    )
    assert not [value for value in HIDDEN_VALUES if value in result.output + seed_file.read_text()]

    loaded = CliRunner().invoke(main, ["seed", str(seed_file), "--url", live_server])

    assert loaded.exit_code == 0, loaded.output
    source_em = source_app.extensions["pantheon_emulator"]
    assert layout(emulator_service) == layout(source_em)
    site = emulator_service.site("shop")
    assert {e.name: e.php_version for e in site.environments.values()} == {
        "dev": "8.3",
        "test": "8.2",
        "live": "8.3",
        "legacy": "7.4",
    }
    values = lambda env: {n: r.value for n, r in emulator_service.resolved(site, env, "web").items()}
    assert values("test") == {
        "MAIL_KEY": "mail-dev",
        "SHARED_KEY": "site-shared-test",
        "API_TOKEN": PULL_PLACEHOLDER,
        "ORG_HIDDEN": PULL_PLACEHOLDER,
    }
    assert values("live")["SHARED_KEY"] == "org-shared-live" and values("live")["MAIL_KEY"] == "mail-live"


def test_values_file_and_ask_fill_the_placeholders(tmp_path, source, emulator_service):
    values = tmp_path / "values.env"
    values.write_text("API_TOKEN=api-hidden\nAPI_TOKEN/live=api-live\ngithub-oauth.github.com=ghp-org-hidden\nUNRELATED=x\n")
    seed_file = tmp_path / "seed.json"

    result = pull(source, seed_file, "--values", str(values), "--ask", input="org-hidden\n\n\n")

    assert result.exit_code == 0, result.output
    assert "Filled 4 hidden value(s) from --values and --ask." in result.output
    assert result.output.splitlines()[-1].startswith("2 value(s) were not revealed")
    assert not [value for value in HIDDEN_VALUES if value in result.output]
    emulator_service.seed(json.loads(seed_file.read_text()))
    site = emulator_service.site("shop")
    live = {n: r.value for n, r in emulator_service.resolved(site, "live", "web").items()}
    assert live["API_TOKEN"] == "api-live" and live["ORG_HIDDEN"] == PULL_PLACEHOLDER  # ORG_HIDDEN/live left empty
    dev_ic = {n: r.value for n, r in emulator_service.resolved(site, "dev", "ic").items()}
    assert dev_ic == {"github-oauth.github.com": "ghp-org-hidden", "http-basic.repo.packagist.com": PULL_PLACEHOLDER}


def test_pull_waits_out_a_429_as_retry_after_asks(tmp_path, source, source_app):
    em = source_app.extensions["pantheon_emulator"]
    em.configure(rate_limit=True, rate_limit_requests=1, rate_limit_window=1.0)
    em.use_up_rate_limit(em.find_user(TOKEN))

    result = pull(source, tmp_path / "seed.json")

    assert result.exit_code == 0, result.output
    assert "waited as Retry-After asked." in result.output
    assert json.loads((tmp_path / "seed.json").read_text())["sites"][0]["name"] == "shop"


@pytest.mark.parametrize(
    "args, token, expected",
    [
        ([], "wrong-token", "The machine token was refused by {url}: "),
        (["--site", "nowhere"], TOKEN, "Site 'nowhere' was not found at {url}."),
        ([], "stranger-token", "Site 'shop' was not found at {url}."),  # a site the user may not manage
    ],
)
def test_bad_input_gets_one_line(tmp_path, source, args, token, expected):
    command = ["pull", "--url", source, "--token", token, "--site", "shop", "-o", str(tmp_path / "s.json"), *args]

    result = CliRunner().invoke(main, command)

    assert result.exit_code == 1
    assert result.output.startswith("Error: " + expected.format(url=source)) and result.output.count("\n") == 1
    assert not (tmp_path / "s.json").exists()


def test_a_values_file_that_cannot_be_read_is_named_before_any_request(tmp_path):
    binary = tmp_path / "values.env"
    binary.write_bytes(b"KEY=\xff\xfe\n")
    missing = pull("http://127.0.0.1:9", tmp_path / "s.json", "--values", str(tmp_path / "absent.env"))
    undecodable = pull("http://127.0.0.1:9", tmp_path / "s.json", "--values", str(binary))
    assert missing.output == f"Error: Cannot read {tmp_path / 'absent.env'}: No such file or directory\n"
    assert undecodable.output == f"Error: Cannot read {binary}: not UTF-8 text\n"
    assert missing.exit_code == undecodable.exit_code == 1 and not (tmp_path / "s.json").exists()


def test_an_error_answer_names_the_server_the_call_and_its_body(tmp_path, source, source_app):
    site_id = source_app.extensions["pantheon_emulator"].site("shop").id
    elsewhere = f"{source}/elsewhere"
    path = f"/customer-secrets/v1/sites/{site_id}/secrets/showall"

    result = pull(source, tmp_path / "s.json", "--secrets-url", elsewhere)

    assert result.exit_code == 1 and not (tmp_path / "s.json").exists()
    assert result.output == f"Error: {elsewhere} answered 404 to GET {path}: No route for GET /elsewhere{path}.\n"


def test_a_server_that_does_not_answer_json_is_not_pantheons_api(tmp_path):
    other = Flask("not-pantheon")
    other.add_url_rule("/<path:anything>", "page", lambda anything: "<html>hello</html>", methods=["GET", "POST"])
    server = BackgroundServer(other, host="127.0.0.1", port=0, threads=1)
    try:
        result = pull(server.url, tmp_path / "s.json")
    finally:
        server.stop()
    assert result.exit_code == 1
    assert result.output == (
        f"Error: The server at {server.url} does not answer like Pantheon's API (no JSON from /api/authorize/machine-token).\n"
    )


def test_pull_from_an_unreachable_server_is_one_line(tmp_path):
    result = pull("http://127.0.0.1:9", tmp_path / "s.json")
    assert result.exit_code == 1
    assert result.output == "Error: Cannot reach the emulator at http://127.0.0.1:9. Is 'pantheon-emulator serve' running?\n"


def test_doctor_through_pantheons_api_and_on_the_pulled_copy_agree(tmp_path, source, live_server):
    tree = tmp_path / "site"
    (tree / "web").mkdir(parents=True)
    composer = {
        "repositories": [
            {"type": "vcs", "url": "git@github.com:acme/theme.git"},
            {"type": "vcs", "url": "https://gitlab.com/acme/lib"},
        ]
    }
    (tree / "composer.json").write_text(json.dumps(composer, indent=2))
    (tree / "web" / "index.php").write_text("<?php pantheon_get_secret('MAIL_KEY'); pantheon_get_secret('NOT_THERE');\n")
    assert pull(source, tmp_path / "seed.json").exit_code == 0
    assert CliRunner().invoke(main, ["seed", str(tmp_path / "seed.json"), "--url", live_server]).exit_code == 0

    real = CliRunner().invoke(
        main, ["doctor", str(tree), "--site", "shop", "--url", source, "--token", TOKEN, "--format", "json"]
    )
    copy = CliRunner().invoke(main, ["doctor", str(tree), "--site", "shop", "--url", live_server, "--format", "json"])

    assert real.exit_code == copy.exit_code == 1
    assert json.loads(real.output) == json.loads(copy.output)
    checks = {(f["check"], tuple(f["environments"])) for f in json.loads(real.output)["findings"] if f["severity"] == "error"}
    assert checks == {
        ("php-too-old", ("legacy",)),
        ("ssh-repository", ("dev", "legacy")),
        ("composer-auth-missing", ("dev", "legacy")),  # gitlab.com
        ("missing", ("dev", "test", "live", "legacy")),
    }


def test_a_server_that_keeps_answering_429_is_given_up_on_after_bounded_waits(source, source_app):
    em = source_app.extensions["pantheon_emulator"]
    em.configure(rate_limit=True, rate_limit_requests=1, rate_limit_window=120.0)
    em.use_up_rate_limit(em.find_user(TOKEN))
    waits: list[float] = []
    client = PantheonClient(source, TOKEN, sleep=waits.append)
    site_id = client.site_id("shop")

    with pytest.raises(ClientError) as caught:
        client.secrets(site_id)  # the secrets API is the rate-limited one

    assert caught.value.message == f"{source} kept answering 429 (rate limited) after 6 tries; try again later."
    assert waits == [30.0] * 5  # Retry-After (about 120 s) capped at 30 s, five times


@pytest.mark.parametrize("given, expected", [("83", "8.3"), (74, "7.4"), ("8.1", "8.1"), ("", "")])
def test_pantheons_php_versions_read_as_dotted(given, expected):
    assert php_version(given) == expected
