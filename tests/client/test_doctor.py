"""``pantheon-emulator doctor``: site trees written here, worlds that get each finding right
and wrong, doctor run against a real emulator server over HTTP (its control plane)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from emulator.cli import main
from emulator.core.policy import Messages

GITHUB_REPO = "https://github.com/acme/private-theme"
COMPOSER_JSON = {
    "name": "acme/shop",
    "repositories": [
        {"type": "composer", "url": "https://repo.packagist.com/acme/"},
        {"type": "vcs", "url": GITHUB_REPO},
        {"type": "path", "url": "packages/local"},
        {"type": "composer", "url": "https://repo.packagist.org"},
    ],
    "require": {"php": ">=8.1", "acme/private-theme": "^1.0"},
}
PHP_CODE = """<?php
$mail = pantheon_get_secret('MAIL_KEY');
$client = new CustomerSecretsClient();
$pay = $client->getSecret("PAY_KEY");
"""
JS_CODE = """import { pantheonGetSecret } from 'pantheon-secrets';
const search = pantheonGetSecret('SEARCH_KEY');
"""
VALUES = ("ghp-secret-value", "packagist-user s3cret-pass", "mail-secret-value", "pay-secret-value", "search-secret-value")


def secret(name, value, type_="runtime", scopes=("web",), **more):
    return {"name": name, "value": value, "type": type_, "scopes": list(scopes), **more}


GOOD_SECRETS = [
    secret("http-basic.repo.packagist.com", VALUES[1], "composer", ["ic"]),
    secret("MAIL_KEY", VALUES[2], overrides={"live": "mail-live-value"}),
    secret("PAY_KEY", VALUES[3], scopes=["web", "user"]),
    secret("SEARCH_KEY", VALUES[4]),
]


def world(site_secrets=(), org_secrets=(), framework="drupal", php=None) -> dict:
    envs = {"dev": {"php_version": "8.3"}, "test": {"php_version": "8.3"}, "live": {"php_version": "8.3"}}
    envs.update(php or {})
    return {
        "users": [{"email": "dev@example.com", "token": "dev-token"}],
        "organizations": [
            {
                "name": "acme",
                "members": ["dev@example.com"],
                "secrets": list(org_secrets) or [secret("github-oauth.github.com", VALUES[0], "composer", ["ic"])],
            }
        ],
        "sites": [
            {
                "name": "shop",
                "owner": "acme",
                "framework": framework,
                "runtime_token": "shop-runtime",
                "environments": envs,
                "secrets": list(site_secrets),
            }
        ],
    }


def write_tree(root: Path, composer: dict | str | None = COMPOSER_JSON, files: dict[str, str] | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    if composer is not None:
        text = composer if isinstance(composer, str) else json.dumps(composer, indent=4)
        (root / "composer.json").write_text(text)
    default = {"web/index.php": PHP_CODE, "assets/search.ts": JS_CODE}
    for name, text in (default if files is None else files).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


@pytest.fixture
def run(live_server):
    def run(tree: Path, *args: str, url: str | None = None):
        result = CliRunner().invoke(main, ["doctor", str(tree), "--site", "shop", "--url", url or live_server, *args])
        return result

    return run


@pytest.fixture
def seeded(emulator_service):
    def seed(doc: dict) -> None:
        emulator_service.seed(doc)

    return seed


def findings(result) -> list[dict]:
    return json.loads(result.output)["findings"]


def errors(result) -> list[dict]:
    return [f for f in findings(result) if f["severity"] == "error"]


def test_a_site_that_has_everything_its_code_needs_passes(tmp_path, run, seeded):
    seeded(world(GOOD_SECRETS))
    tree = write_tree(tmp_path / "site")

    table = run(tree)
    result = run(tree, "--format", "json")

    assert table.exit_code == 0, table.output
    assert table.output.splitlines()[0] == "Site shop (drupal, owner acme): dev (PHP 8.3), test (PHP 8.3), live (PHP 8.3)"
    assert table.output.splitlines()[-1] == "0 error(s), 0 warning(s), 0 note(s): nothing will fail."
    assert result.exit_code == 0 and findings(result) == []
    assert not [value for value in VALUES if value in table.output + result.output]


def test_a_repository_cloned_over_ssh_is_an_error_with_its_https_url(tmp_path, run, seeded):
    seeded(world(GOOD_SECRETS))
    composer = {**COMPOSER_JSON, "repositories": [{"type": "vcs", "url": "git@github.com:acme/private-theme.git"}]}
    tree = write_tree(tmp_path / "site", composer)

    result = run(tree, "--format", "json", "--env", "dev")

    assert result.exit_code == 1
    [ssh] = errors(result)
    assert ssh["check"] == "ssh-repository" and (ssh["file"], ssh["line"]) == ("composer.json", 6)
    assert "Use https://github.com/acme/private-theme.git in composer.json" in ssh["message"]
    assert ssh["environments"] == ["dev"]


def test_ssh_url_form_is_recognised_too(tmp_path, run, seeded):
    seeded(world(GOOD_SECRETS))
    composer = {**COMPOSER_JSON, "repositories": [{"type": "git", "url": "ssh://git@gitlab.example.com/acme/lib.git"}]}

    result = run(write_tree(tmp_path / "site", composer), "--format", "json", "--env", "dev")

    checks = {f["check"]: f for f in errors(result)}
    assert "https://gitlab.example.com/acme/lib.git" in checks["ssh-repository"]["message"]
    assert checks["composer-auth-missing"]["remedy"] == (
        "terminus secret:site:set shop http-basic.gitlab.example.com '<username> <password>' --type=composer --scope=ic"
    )


def test_a_private_host_without_auth_names_the_repository_and_the_command(tmp_path, run, seeded):
    seeded(world(GOOD_SECRETS[1:]))  # no http-basic.repo.packagist.com

    result = run(write_tree(tmp_path / "site"), "--format", "json")

    assert result.exit_code == 1
    [missing] = errors(result)
    assert missing["message"] == Messages.DOCTOR_NO_AUTH.format(
        host="repo.packagist.com", kind="composer", url="https://repo.packagist.com/acme/"
    )
    assert (missing["file"], missing["line"]) == ("composer.json", 6)
    assert missing["environments"] == ["dev"]  # IC builds in dev only; test and live deploy its build
    assert missing["remedy"] == (
        "terminus secret:site:set shop http-basic.repo.packagist.com '<username> <password>' --type=composer --scope=ic"
    )


def test_a_composer_secret_of_the_wrong_type_or_scope_is_to_be_recreated(tmp_path, run, seeded):
    wrong = secret("http-basic.repo.packagist.com", VALUES[1], "runtime", ["web", "ic"])
    seeded(world([wrong, *GOOD_SECRETS[1:]]))

    result = run(write_tree(tmp_path / "site"), "--format", "json")

    [error] = errors(result)
    assert error["check"] == "composer-auth-type"
    assert (
        "type runtime, scopes web, ic" in error["message"]
        and "Delete and recreate it as type composer, scope ic" in error["message"]
    )
    assert error["remedy"] == (
        "terminus secret:site:delete shop http-basic.repo.packagist.com && terminus secret:site:set shop "
        "http-basic.repo.packagist.com '<username> <password>' --type=composer --scope=ic"
    )


def test_an_organization_secret_of_the_wrong_scope_is_fixed_at_the_organization(tmp_path, run, seeded):
    seeded(world(GOOD_SECRETS, org_secrets=[secret("github-oauth.github.com", VALUES[0], "composer", ["web"])]))

    result = run(write_tree(tmp_path / "site"), "--format", "json")

    [error] = errors(result)
    assert error["remedy"] == (
        "terminus secret:org:delete acme github-oauth.github.com && "
        "terminus secret:org:set acme github-oauth.github.com '<token>' --type=composer --scope=ic"
    )


def test_composer_auth_env_secret_covers_the_hosts_it_names(tmp_path, run, seeded):
    covering = secret(
        "COMPOSER_AUTH", json.dumps({"http-basic": {"repo.packagist.com": {"username": "u", "password": "p"}}}), "env", ["ic"]
    )
    seeded(world([covering, *GOOD_SECRETS[1:]]))
    assert run(write_tree(tmp_path / "site"), "--env", "dev").exit_code == 0

    elsewhere = secret(
        "COMPOSER_AUTH", json.dumps({"http-basic": {"other.example.com": {"username": "u", "password": "p"}}}), "env", ["ic"]
    )
    seeded(world([elsewhere, *GOOD_SECRETS[1:]]))
    result = run(write_tree(tmp_path / "site"), "--env", "dev", "--format", "json")
    assert [e["check"] for e in errors(result)] == ["composer-auth-missing"]


def test_acf_pro_installer_needs_acf_pro_key_as_env_ic(tmp_path, run, seeded):
    composer = {**COMPOSER_JSON, "repositories": [], "require": {"pivvenit/acf-pro-installer": "^2.0"}}
    tree = write_tree(tmp_path / "site", composer, {})

    seeded(world())
    missing = run(tree, "--env", "dev", "--format", "json")
    seeded(world([secret("ACF_PRO_KEY", "acf-licence", "runtime", ["ic"])]))
    wrong = run(tree, "--env", "dev", "--format", "json")
    seeded(world([secret("ACF_PRO_KEY", "acf-licence", "env", ["ic"])]))
    right = run(tree, "--env", "dev", "--format", "json")

    assert [(e["check"], e["line"]) for e in errors(missing)] == [("package-key-missing", 5)]
    assert errors(missing)[0]["remedy"] == "terminus secret:site:set shop ACF_PRO_KEY '<value>' --type=env --scope=ic"
    assert [e["check"] for e in errors(wrong)] == ["env-type"]
    assert right.exit_code == 0
    [note] = [f for f in findings(right) if f["check"] == "package-note"]
    assert "ACF now ships its own Composer support" in note["message"]


def test_names_the_code_reads_must_be_web_scoped_in_every_environment(tmp_path, run, seeded):
    not_web = secret("PAY_KEY", VALUES[3], scopes=["user"])
    seeded(world([GOOD_SECRETS[0], GOOD_SECRETS[1], not_web]))  # SEARCH_KEY missing, PAY_KEY not web

    result = run(write_tree(tmp_path / "site"), "--format", "json")

    by_check = {e["check"]: e for e in errors(result)}
    assert (by_check["missing"]["file"], by_check["missing"]["line"]) == ("assets/search.ts", 2)
    assert by_check["missing"]["environments"] == ["dev", "test", "live"]
    assert by_check["missing"]["remedy"] == "terminus secret:site:set shop SEARCH_KEY '<value>' --type=runtime --scope=web"
    assert (by_check["not-web"]["file"], by_check["not-web"]["line"]) == ("web/index.php", 4)
    assert by_check["not-web"]["remedy"] == (
        "terminus secret:site:delete shop PAY_KEY && terminus secret:site:set shop PAY_KEY '<value>' --type=runtime --scope=user,web"
    )


def test_a_name_only_live_lacks_is_reported_for_live(tmp_path, run, seeded):
    org = [
        secret("github-oauth.github.com", VALUES[0], "composer", ["ic"]),
        secret("SEARCH_KEY", "org-search", "runtime", ["user"]),
    ]
    site_override = {
        "name": "SEARCH_KEY",
        "value": None,
        "overrides": {"dev": "d", "test": "t"},
        "type": "runtime",
        "scopes": ["web"],
    }
    seeded(world([*GOOD_SECRETS[:3], site_override], org_secrets=org))

    result = run(write_tree(tmp_path / "site"), "--format", "json")

    [error] = errors(result)
    assert error["check"] == "not-web" and error["environments"] == ["live"]  # live reads the org's user-only secret


def test_node_sites_read_process_env_names_that_must_be_env_secrets(tmp_path, run, seeded):
    code = "const url = process.env.BACKEND_URL;\nconst db = process.env['DB_PASS'];\nconst mode = process.env.NODE_ENV;\n"
    tree = write_tree(tmp_path / "site", None, {"package.json": "{}", "lib/config.js": code})
    seeded(
        world(
            [secret("BACKEND_URL", "https://cms", "env", ["web"]), secret("DB_PASS", "db-secret", "runtime", ["web"])],
            framework="nodejs",
        )
    )

    result = run(tree, "--format", "json", "--env", "dev")

    [error] = errors(result)
    assert error["check"] == "not-env" and (error["file"], error["line"]) == ("lib/config.js", 2)
    assert error["remedy"].endswith("terminus secret:site:set shop DB_PASS '<value>' --type=env --scope=web")
    assert "db-secret" not in result.output


def test_process_env_is_not_read_on_a_php_site(tmp_path, run, seeded):
    seeded(world(GOOD_SECRETS))
    tree = write_tree(tmp_path / "site", files={"web/app.js": "const x = process.env.SOMETHING;\n"})

    assert run(tree).exit_code == 0


def test_php_below_8_is_an_error_quoting_the_builds_message(tmp_path, run, seeded):
    seeded(world(GOOD_SECRETS, php={"legacy": {"php_version": "7.4"}}))

    result = run(write_tree(tmp_path / "site"), "--format", "json")

    [error] = errors(result)
    assert error["environments"] == ["legacy"]
    assert "'Skipping setting up secrets as it is not supported in PHP below 8.0'" in error["message"]
    assert "PHP 7.4" in error["message"]


def test_a_secret_nothing_reads_is_a_note_only(tmp_path, run, seeded):
    seeded(world([*GOOD_SECRETS, secret("LEFTOVER", "old-value", "runtime", ["web"])]))

    result = run(write_tree(tmp_path / "site"), "--format", "json", "--env", "live")

    assert result.exit_code == 0
    [note] = findings(result)
    assert note["severity"] == "info" and note["check"] == "unused" and "'LEFTOVER'" in note["message"]


def test_the_table_shows_where_what_and_the_fix(tmp_path, run, seeded):
    seeded(world(GOOD_SECRETS[1:]))

    result = run(write_tree(tmp_path / "site"), "--env", "dev")

    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[1].startswith("ERROR   composer.json:6  [dev]  No Composer auth for repo.packagist.com")
    assert lines[2] == (
        "        fix: terminus secret:site:set shop http-basic.repo.packagist.com '<username> <password>' --type=composer --scope=ic"
    )
    assert lines[-1] == "1 error(s), 0 warning(s), 0 note(s): something will fail."


@pytest.mark.parametrize(
    "setup, args, expected",
    [
        ("no-composer", [], "No composer.json in {tree}: doctor reads a site's code tree (give its path)."),
        ("bad-json", [], "{tree}/composer.json is not valid JSON: Expecting ',' delimiter at line 1 column 12."),
        ("fine", ["--site", "nowhere"], "Site 'nowhere' was not found at {url}."),
        ("fine", ["--env", "qa"], "Site 'shop' has no environment 'qa' (it has dev, test, live)."),
        (
            "fine",
            ["--url", "http://127.0.0.1:9"],
            "Cannot reach the emulator at http://127.0.0.1:9. Is 'pantheon-emulator serve' running?",
        ),
        ("missing-dir", [], "{tree} is not a directory."),
    ],
)
def test_bad_input_gets_one_line_naming_the_problem(tmp_path, live_server, seeded, setup, args, expected):
    seeded(world(GOOD_SECRETS))
    tree = tmp_path / "site"
    if setup == "bad-json":
        write_tree(tree, '{"name": 1 "x"}')
    elif setup == "no-composer":
        write_tree(tree, None)
    elif setup == "fine":
        write_tree(tree)

    result = CliRunner().invoke(main, ["doctor", str(tree), "--site", "shop", "--url", live_server, *args])

    assert result.exit_code == 1
    assert result.output == f"Error: {expected.format(tree=tree, url=live_server)}\n"


def test_doctor_reads_code_without_running_it(tmp_path, run, seeded):
    marker = tmp_path / "ran"
    seeded(world(GOOD_SECRETS))
    tree = write_tree(tmp_path / "site")
    (tree / "web" / "boom.php").write_text(f"<?php touch('{marker}'); pantheon_get_secret('MAIL_KEY');\n")
    (tree / "boom.js").write_text(f"require('fs').writeFileSync('{marker}', 'x'); pantheonGetSecret('PAY_KEY');\n")

    assert run(tree).exit_code == 0
    assert not marker.exists()


def test_doctor_is_a_command_of_the_cli():
    result = CliRunner().invoke(main, ["doctor", "--help"])
    assert result.exit_code == 0 and "--site" in result.output and "--token" in result.output


def messages(result) -> dict[str, str]:
    return {f["check"]: f["message"] for f in findings(result)}


def test_each_finding_is_worded_in_full(tmp_path, run, seeded):
    not_web = secret("PAY_KEY", VALUES[3], scopes=["user"])
    wrong_env = secret("COMPOSER_AUTH", "{}", "runtime", ["ic"])
    seeded(world([GOOD_SECRETS[0], GOOD_SECRETS[1], not_web, wrong_env, secret("LEFTOVER", "old-value")]))
    php = messages(run(write_tree(tmp_path / "php"), "--env", "dev", "--format", "json"))
    seeded(world())
    acf = {**COMPOSER_JSON, "repositories": [], "require": {"pivvenit/acf-pro-installer": "^2.0"}}
    package = messages(run(write_tree(tmp_path / "acf", acf, {}), "--env", "dev", "--format", "json"))
    seeded(world([secret("DB_PASS", "db-secret", "runtime", ["web"])], framework="nodejs"))
    node_tree = write_tree(
        tmp_path / "node", None, {"package.json": "{}", "lib/config.js": "const db = process.env['DB_PASS'];\n"}
    )
    node = messages(run(node_tree, "--env", "dev", "--format", "json"))

    assert php == {
        "missing": "The code reads 'SEARCH_KEY', which this environment does not have.",
        "not-web": "The code reads 'PAY_KEY', but it lacks the web scope (scopes user): the application cannot read it.",
        "env-type": "Secret 'COMPOSER_AUTH' is type runtime, scopes ic: the build needs it as type env, scope ic.",
        "unused": "Secret 'LEFTOVER' (runtime, web; site): no PHP or JS file reads it and no repository needs it.",
    }
    assert package["package-key-missing"] == (
        "Package pivvenit/acf-pro-installer needs ACF_PRO_KEY (type env, scope ic) in the build, and it is missing."
    )
    assert package["package-note"] == (
        "pivvenit/acf-pro-installer is no longer supported: ACF now ships its own Composer support; consider switching to it."
    )
    assert (
        node["not-env"] == "The code reads process.env.DB_PASS, but 'DB_PASS' is type runtime: only env secrets become variables."
    )


def test_a_composer_auth_hidden_from_pantheons_api_is_a_warning_not_a_guess(tmp_path, live_server, seeded):
    seeded(world([secret("COMPOSER_AUTH", "{}", "env", ["ic"]), *GOOD_SECRETS[1:]]))
    tree = write_tree(tmp_path / "site")

    result = CliRunner().invoke(
        main, ["doctor", str(tree), "--site", "shop", "--url", live_server, "--token", "dev-token", "--format", "json"]
    )

    assert result.exit_code == 0, result.output
    assert [(f["severity"], f["check"], f["message"]) for f in findings(result) if f["environments"] == ["dev"]] == [
        (
            "warning",
            "composer-auth-hidden",
            "COMPOSER_AUTH's value is hidden (no user scope); the hosts it covers were not checked.",
        )
    ]


def test_token_without_url_reads_pantheons_api_at_the_default_url(tmp_path, live_server, seeded):
    seeded(world(GOOD_SECRETS))
    tree = write_tree(tmp_path / "site")

    result = CliRunner().invoke(
        main, ["doctor", str(tree), "--site", "shop", "--token", "dev-token"], env={"PANTHEON_EMULATOR_URL": live_server}
    )
    refused = CliRunner().invoke(
        main, ["doctor", str(tree), "--site", "shop", "--token", "wrong"], env={"PANTHEON_EMULATOR_URL": live_server}
    )

    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "0 error(s), 0 warning(s), 0 note(s): nothing will fail."
    assert refused.exit_code == 1
    assert refused.output == f"Error: The machine token was refused by {live_server}: Invalid machine token.\n"
