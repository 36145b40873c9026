"""The deploy script pushes the manifest's secrets through the management API and waits
out its rate limit (3 requests per second per user) as Retry-After says, within bounds.

Time is frozen and the deploy's ``sleep`` advances the frozen clock, so no test sleeps.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from freezegun import freeze_time

from sample_site.deploy_secrets import (
    DEFAULT_MANIFEST,
    MAX_DELAY_SECONDS,
    DeployError,
    deploy,
    load_manifest,
    main,
    plan,
    retry_delay,
)

from .conftest import CI_USER, SITE

CI_VARIABLES = {
    "ACME_MAIL_API_KEY": "mail_sandbox_key_2",
    "ACME_MAIL_API_KEY_LIVE": "mail_production_key_2",
    "ACME_PAYMENT_API_KEY": "pay_test_acme_web_2",
    "ACME_PACKAGIST_AUTH": "token packagist_acme_web_token_2",
}


def the_plan():
    return plan(load_manifest(DEFAULT_MANIFEST), CI_VARIABLES)


def assert_deployed(pantheon) -> None:
    assert pantheon.value(SITE, "dev", "MAIL_API_KEY") == "mail_sandbox_key_2"
    assert pantheon.value(SITE, "live", "MAIL_API_KEY") == "mail_production_key_2"
    assert pantheon.value(SITE, "live", "PAYMENT_API_KEY") == "pay_test_acme_web_2"
    assert pantheon.value(SITE, "dev", "http-basic.repo.packagist.com", scope="ic") == "token packagist_acme_web_token_2"


def test_under_the_rate_limit_the_deploy_waits_as_told_and_finishes(pantheon):
    pantheon.rate_limit(True)  # on, as in `pantheon-emulator serve` and on Pantheon
    lines: list[str] = []
    with freeze_time("2030-03-01 09:00:00") as clock:
        report = deploy(pantheon.as_user(CI_USER), SITE, the_plan(), sleep=clock.tick, echo=lines.append)

    assert_deployed(pantheon)
    refused = pantheon.journal.entries(actor=CI_USER, status=429)
    assert len(refused) == len(report.waits) == 2  # 7 requests at 3 per second: two waits
    assert report.waits == [1.0, 1.0]  # the emulator's Retry-After
    assert report.requests == len(pantheon.journal.entries(actor=CI_USER)) == 7 + 2
    assert "Rate limited on creating PAYMENT_API_KEY; retrying in 1 s (attempt 2 of 5)." in lines
    assert report.summary() == (
        "Deployed 3 secret(s) and 1 override(s) to site acme-web: 9 request(s), 2 wait(s) for the rate limit (2 s)."
    )
    assert not [line for line in lines if any(value in line for value in CI_VARIABLES.values())]


def test_a_longer_retry_after_is_honoured_so_each_retry_gets_through(pantheon):
    pantheon.rate_limit(True, limit=3, window=10)
    with freeze_time("2030-03-01 09:00:00") as clock:
        report = deploy(pantheon.as_user(CI_USER), SITE, the_plan(), sleep=clock.tick, echo=lambda line: None)

    assert_deployed(pantheon)
    assert report.waits == [10.0, 10.0]
    assert len(pantheon.journal.entries(actor=CI_USER, status=429)) == 2  # no retry came too early


def test_when_the_limit_never_lifts_the_deploy_gives_up_saying_how_far_it_got(pantheon):
    pantheon.rate_limit(True)
    with freeze_time("2030-03-01 09:00:00"):  # the clock never moves, so the window never passes
        with pytest.raises(DeployError) as gave_up:
            deploy(
                pantheon.as_user(CI_USER), SITE, the_plan(), sleep=lambda seconds: None, max_attempts=3, echo=lambda line: None
            )

    assert str(gave_up.value) == (
        "Gave up on creating PAYMENT_API_KEY after 3 attempts: the management API kept answering 429 "
        "(rate limited). 2 step(s) were deployed before it; every step is safe to repeat, so run the deploy again."
    )
    assert len(pantheon.journal.entries(actor=CI_USER, status=429)) == 3
    assert pantheon.value(SITE, "live", "MAIL_API_KEY") == "mail_production_key_2"  # done before it
    assert pantheon.value(SITE, "live", "PAYMENT_API_KEY") == "pay_test_acme_web"  # untouched


def test_run_again_after_giving_up_the_deploy_finishes(pantheon):
    pantheon.exhaust_rate_limit(CI_USER)
    with freeze_time("2030-03-01 09:00:00") as clock:
        with pytest.raises(DeployError):
            deploy(
                pantheon.as_user(CI_USER), SITE, the_plan(), sleep=lambda seconds: None, max_attempts=2, echo=lambda line: None
            )
        clock.tick(60)
        deploy(pantheon.as_user(CI_USER), SITE, the_plan(), sleep=clock.tick, echo=lambda line: None)
    assert_deployed(pantheon)


@pytest.mark.parametrize(
    "retry_after, attempt, seconds",
    [
        ("7", 1, 7.0),
        ("0.5", 1, 0.5),
        ("Fri, 01 Mar 2030 09:00:05 GMT", 1, 5.0),  # an HTTP date, 5 s from the frozen now
        (None, 1, 1.0),
        (None, 2, 2.0),
        (None, 3, 4.0),  # nothing usable: doubling from 1 s
        ("soon", 2, 2.0),
        ("3600", 1, MAX_DELAY_SECONDS),  # never one wait longer than a minute
    ],
)
def test_the_wait_follows_retry_after_or_doubles(retry_after, attempt, seconds):
    with freeze_time("2030-03-01 09:00:00"):
        assert retry_delay(retry_after, attempt) == seconds


def test_the_command_deploys_with_ci_variables_and_prints_names_only(pantheon_live):
    result = CliRunner().invoke(main, ["--url", pantheon_live.url, "--token", "acme-ci-token"], env=CI_VARIABLES)

    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"Deploying 3 secret(s) to site acme-web at {pantheon_live.url}.",
        "MAIL_API_KEY: value updated.",
        "MAIL_API_KEY: live override set.",
        "PAYMENT_API_KEY: value updated.",
        "http-basic.repo.packagist.com: value updated.",
        "Deployed 3 secret(s) and 1 override(s) to site acme-web: 7 request(s).",
    ]
    assert_deployed(pantheon_live)


def test_a_missing_ci_variable_stops_the_deploy_before_any_request(pantheon_live):
    partial = {k: v for k, v in CI_VARIABLES.items() if k != "ACME_PAYMENT_API_KEY"}
    result = CliRunner().invoke(main, ["--url", pantheon_live.url, "--token", "acme-ci-token"], env=partial)

    assert result.exit_code == 1
    assert result.output == (
        "Error: Nothing was deployed: these CI variables are not set: ACME_PAYMENT_API_KEY (for PAYMENT_API_KEY).\n"
    )
    assert pantheon_live.journal.entries(kind="management") == []


def test_a_new_secret_is_created_with_its_type_and_scopes(pantheon, tmp_path):
    manifest = tmp_path / "manifest.json"
    manifest.write_text(
        json.dumps(
            {
                "site": SITE,
                "secrets": [{"name": "NEWSLETTER_API_KEY", "type": "runtime", "scopes": ["web"], "value_from": "NEWS_KEY"}],
            }
        )
    )
    lines: list[str] = []

    deploy(pantheon.as_user(CI_USER), SITE, plan(load_manifest(manifest), {"NEWS_KEY": "news_key"}), echo=lines.append)

    assert lines == ["NEWSLETTER_API_KEY: created (runtime; web)."]
    assert pantheon.runtime(SITE, "live")["NEWSLETTER_API_KEY"] == "news_key"


def test_a_refusal_other_than_the_rate_limit_fails_at_once_naming_the_step(pantheon):
    pantheon.user("outsider@example.com", token="outsider-token")
    with pytest.raises(DeployError) as refused:
        deploy(pantheon.as_user("outsider@example.com"), SITE, the_plan(), echo=lambda line: None)
    assert str(refused.value) == (
        "creating MAIL_API_KEY failed (HTTP 403): You do not have permission to manage secrets of site 'acme-web'. "
        "0 step(s) were deployed before it; every step is safe to repeat, so run the deploy again."
    )


@pytest.mark.parametrize(
    "document, message",
    [
        ({"secrets": [{"name": "A", "value_from": "A", "value": "x"}]}, "secrets[0] has an unknown field 'value'"),
        ({"secrets": [{"name": "A"}]}, "secrets[0] needs 'value_from' (a string)."),
        ({"site": SITE}, "must be an object with a 'secrets' array."),
    ],
)
def test_a_wrong_manifest_is_named(tmp_path, document, message):
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(document))
    with pytest.raises(DeployError) as wrong:
        load_manifest(path)
    assert message in str(wrong.value)
