"""The pure conversion of a build's secrets into Composer auth and variables (SPEC §7)."""

from __future__ import annotations

import json

import pytest

from emulator.client.composer_auth import MalformedSecret, auth_entry, build_secrets, composer_auth, merge_auth
from emulator.core import policy


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("github-oauth.github.com", "ghp_1", ("github-oauth", "github.com", "ghp_1")),
        ("github-oauth.git.example.com", "ghp_2", ("github-oauth", "git.example.com", "ghp_2")),
        ("gitlab-oauth.gitlab.com", "glo", ("gitlab-oauth", "gitlab.com", "glo")),
        ("gitlab-token.gitlab.example.com", "glpat", ("gitlab-token", "gitlab.example.com", "glpat")),
        ("bearer.repo.example.com", "tok", ("bearer", "repo.example.com", "tok")),
        (
            "bitbucket-oauth.bitbucket.org",
            "key secret",
            ("bitbucket-oauth", "bitbucket.org", {"consumer-key": "key", "consumer-secret": "secret"}),
        ),
        (
            "http-basic.repo.example.com",
            "user pass word",
            ("http-basic", "repo.example.com", {"username": "user", "password": "pass word"}),
        ),
    ],
)
def test_each_auth_kind_is_stored_as_composer_config_stores_it(name, value, expected):
    assert auth_entry(name, value) == expected


@pytest.mark.parametrize(
    ("name", "value", "reason"),
    [
        ("bitbucket-oauth.bitbucket.org", "onlyonepart", "two parts"),
        ("http-basic.repo.example.com", "S3cretMarker", "two parts"),
        ("http-basic.repo.example.com", "   ", "two parts"),
        ("github-oauth.github.com", "  ", "empty"),
        ("npm-token.example.com", "S3cretMarker", "not a Composer auth entry"),
        ("github-oauth.", "S3cretMarker", "not a Composer auth entry"),
        ("github-oauth", "S3cretMarker", "not a Composer auth entry"),
    ],
)
def test_malformed_secrets_are_named_and_their_values_never_shown(name, value, reason):
    with pytest.raises(MalformedSecret) as caught:
        auth_entry(name, value)
    assert caught.value.name == name
    assert f"'{name}'" in caught.value.message and reason in caught.value.message
    if value.strip():
        assert value.strip() not in caught.value.message.replace(name, "")


def test_composer_auth_groups_hosts_and_collects_every_problem():
    auth, problems = composer_auth(
        {
            "github-oauth.github.com": "a",
            "github-oauth.ghe.example.com": "b",
            "bitbucket-oauth.bitbucket.org": "x",
            "weird": "y",
        }
    )
    assert auth == {"github-oauth": {"ghe.example.com": "b", "github.com": "a"}}
    assert [p.name for p in problems] == ["bitbucket-oauth.bitbucket.org", "weird"]


def test_build_secrets_sorts_types_and_merges_composer_auth_for_the_command():
    build = build_secrets(
        {
            "github-oauth.github.com": {"type": "composer", "value": "ghp"},
            "ACF_PRO_KEY": {"type": "env", "value": "acf"},
            "COMPOSER_AUTH": {"type": "env", "value": '{"github-oauth": {"github.com": "from-env"}, "bearer": {"h": "t"}}'},
            "RUNTIME_ONLY": {"type": "runtime", "value": "r"},
        }
    )
    assert build.problems == []
    assert build.auth == {"github-oauth": {"github.com": "ghp"}}
    assert build.ignored == ["RUNTIME_ONLY"]
    variables = build.command_environment()
    assert variables["ACF_PRO_KEY"] == "acf"
    merged = json.loads(variables["COMPOSER_AUTH"])
    winner = "from-env" if policy.COMPOSER_AUTH_ENV_SECRET_WINS else "ghp"
    assert merged == {"github-oauth": {"github.com": winner}, "bearer": {"h": "t"}}


def test_command_environment_without_composer_secrets_keeps_composer_auth_as_given():
    build = build_secrets({"COMPOSER_AUTH": {"type": "env", "value": '{"bearer": {"h": "t"}}'}})
    assert build.command_environment() == {"COMPOSER_AUTH": '{"bearer": {"h": "t"}}'}


@pytest.mark.parametrize("value", ["{not json", "[1, 2]", '"a string"'])
def test_an_invalid_composer_auth_env_secret_is_a_problem_named_composer_auth(value):
    build = build_secrets(
        {"COMPOSER_AUTH": {"type": "env", "value": value}, "github-oauth.github.com": {"type": "composer", "value": "ghp"}}
    )
    assert [p.name for p in build.problems] == ["COMPOSER_AUTH"]
    assert value not in build.problems[0].message
    assert json.loads(build.command_environment()["COMPOSER_AUTH"]) == {"github-oauth": {"github.com": "ghp"}}


def test_merge_auth_lays_hosts_over_each_other_without_touching_its_inputs():
    generated = {"http-basic": {"a.example": {"username": "u", "password": "p"}}}
    given = {"http-basic": {"b.example": {"username": "v", "password": "q"}}, "github-oauth": {"github.com": "t"}}
    merged = merge_auth(generated, given)
    assert merged == {
        "http-basic": {"a.example": {"username": "u", "password": "p"}, "b.example": {"username": "v", "password": "q"}},
        "github-oauth": {"github.com": "t"},
    }
    assert generated == {"http-basic": {"a.example": {"username": "u", "password": "p"}}}


# -- every kind Composer documents for auth.json -------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        (
            "custom-headers.repo.example.org",
            '["API-TOKEN: t0k", "X-Custom: yes"]',
            ("custom-headers", "repo.example.org", ["API-TOKEN: t0k", "X-Custom: yes"]),
        ),
        (
            "forgejo-token.codeberg.org",
            "forgejo-user access-token",
            ("forgejo-token", "codeberg.org", {"username": "forgejo-user", "token": "access-token"}),
        ),
        (
            "gitlab-token.gitlab.example.com",
            '{"username": "deployer", "token": "gldt-1"}',
            ("gitlab-token", "gitlab.example.com", {"username": "deployer", "token": "gldt-1"}),
        ),
        (
            "client-certificate.repo.example.org",
            '{"local_cert": "/certs/c.pem", "passphrase": "p"}',
            ("client-certificate", "repo.example.org", {"local_cert": "/certs/c.pem", "passphrase": "p"}),
        ),
    ],
)
def test_json_and_pair_kinds_become_composer_entries(name, value, expected):
    assert auth_entry(name, value) == expected


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "custom-headers.repo.example.org",
            "API-TOKEN: t0k",
            "Secret 'custom-headers.repo.example.org' must hold a JSON array of 'Header-Name: value' strings.",
        ),
        (
            "custom-headers.repo.example.org",
            '["no colon here"]',
            "Secret 'custom-headers.repo.example.org' must hold a JSON array of 'Header-Name: value' strings.",
        ),
        (
            "gitlab-token.gitlab.example.com",
            '{"user": "x", "token": "y"}',
            "Secret 'gitlab-token.gitlab.example.com' must hold a token, or a JSON object with 'username' and 'token' strings.",
        ),
        (
            "client-certificate.repo.example.org",
            '{"local_pk": "k"}',
            "Secret 'client-certificate.repo.example.org' must hold a JSON object with a 'local_cert' path"
            " (and optional 'local_pk', 'passphrase').",
        ),
        ("forgejo-token.codeberg.org", "onlyuser", "Secret 'forgejo-token.codeberg.org' must hold two parts"),
    ],
)
def test_malformed_entries_of_the_new_kinds_are_named_without_their_value(name, value, message):
    with pytest.raises(MalformedSecret) as caught:
        auth_entry(name, value)
    assert caught.value.message.startswith(message)
    assert value not in caught.value.message
