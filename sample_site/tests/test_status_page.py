"""The status page says where the site runs and which secrets it found, as the seeded
world has them, and never shows a value; the site reads its secrets once per request."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from dotenv import dotenv_values

from emulator.cli import main as emulator_cli
from emulator.client import RuntimeClient
from emulator.core.errors import NotFound
from sample_site.site_secrets import NEEDED

from .conftest import SITE

SAMPLE_SITE = Path(__file__).resolve().parents[1]
REPO_ROOT = SAMPLE_SITE.parent
NEEDED_NAMES = [needed.name for needed in NEEDED]


def expected_report(pantheon, env: str, url: str) -> dict:
    """The status report the seeded world implies for acme-web in ``env``."""
    resolved = pantheon.resolved(SITE, env)  # the uncached truth, with the layer of each value
    site = pantheon.get_site(SITE)
    return {
        "site": {"id": site.id, "name": SITE, "environment": env},
        "source": {"kind": "runtime", "location": url},
        "secrets": [
            {
                "name": needed.name,
                "used_for": needed.used_for,
                "found": needed.name in resolved,
                "layer": resolved[needed.name].layer if needed.name in resolved else None,
                "effect": None if needed.name in resolved else needed.without_it,
            }
            for needed in NEEDED
        ],
        "other_secrets": [
            {"name": name, "found": True, "layer": resolved[name].layer} for name in sorted(resolved) if name not in NEEDED_NAMES
        ],
        "features": {needed.feature: needed.name in resolved for needed in NEEDED},
    }


def every_value(pantheon) -> set[str]:
    """Every secret value in the world (defaults and overrides)."""
    found = set()
    for owner in pantheon.state()["organizations"] + pantheon.state()["sites"]:
        for secret in owner.get("secrets", []):
            found.add(secret["value"])
            found.update(secret.get("overrides", {}).values())
    return {value for value in found if value}


@pytest.mark.parametrize("env", ["dev", "test", "live"])
def test_the_status_report_matches_the_seeded_world(pantheon, make_site, env):
    report = make_site(env).test_client().get("/status.json").json

    assert report == expected_report(pantheon, env, pantheon.url)


def test_an_environment_below_php_8_reads_no_secrets_and_says_why(pantheon, make_site):
    report = make_site("legacy").test_client().get("/status.json").json

    assert (
        report["error"]
        == "Secrets are supported on PHP 8.0 and later only: environment 'legacy' of site 'acme-web' runs PHP 7.4."
    )


def test_the_status_page_names_secrets_and_their_layers_and_shows_no_value(pantheon, make_site):
    page = make_site("live").test_client().get("/status").text

    assert '<strong id="status-environment">live</strong>' in page
    assert "<td><code>MAIL_API_KEY</code></td><td>Contact form (outbound mail provider)</td><td>yes</td>" in page
    assert "site-override" in page and "site-default" in page
    assert "<td><code>NEWSLETTER_API_KEY</code></td>" in page
    values = every_value(pantheon)
    assert {"mail_production_key", "pay_test_acme_web"} <= values
    assert [value for value in values if value in page] == []


def test_a_page_view_reads_the_secrets_once_and_only_web_scoped_ones(pantheon, make_site):
    browser = make_site("live").test_client()

    browser.get("/")
    pantheon.journal.assert_read("MAIL_API_KEY", site=SITE, env="live", times=1)
    browser.post("/contact", data={"email": "visitor@example.com", "message": "Hello"})
    pantheon.journal.assert_read("MAIL_API_KEY", site=SITE, env="live", times=2)

    pantheon.journal.assert_not_read("http-basic.repo.packagist.com")  # ic scope: the build's, not the site's
    pantheon.journal.assert_no_reads_outside_scope("web")


def test_where_nothing_explains_provenance_the_report_lists_the_secrets_without_layers(pantheon, make_site, monkeypatch):
    # Pantheon has no explain route: there every layer is unknown, and nothing else changes.
    def no_such_route(site, env, name):
        raise NotFound(f"No route for GET /_emulator/sites/{site.name}/environments/{env}/explain/{name}.")

    monkeypatch.setattr(pantheon.emulator, "explain", no_such_route)

    report = make_site("live").test_client().get("/status.json").json

    expected = expected_report(pantheon, "live", pantheon.url)
    for row in expected["secrets"] + expected["other_secrets"]:
        row["layer"] = None
    assert report == expected
    assert any(row["found"] for row in report["secrets"])


def test_a_request_makes_one_runtime_client_and_closes_it_when_it_ends(make_site, monkeypatch):
    events = []
    original = RuntimeClient.from_environment.__func__

    def from_environment(cls, *args, **kwargs):
        client = original(cls, *args, **kwargs)
        monkeypatch.setattr(client, "close", lambda: events.append("closed"))
        events.append("made")
        return client

    monkeypatch.setattr(RuntimeClient, "from_environment", classmethod(from_environment))
    browser = make_site("live").test_client()

    browser.get("/status")  # identity, the secrets and their layers: one client serves them all
    browser.get("/")
    assert events == ["made", "closed", "made", "closed"]


def test_the_env_example_is_what_pantheon_emulator_env_prints(pantheon_live):
    printed = CliRunner().invoke(emulator_cli, ["env", "--url", pantheon_live.url, f"{SITE}.dev"])
    assert printed.exit_code == 0, printed.output
    variables = dict(line.split("=", 1) for line in printed.output.splitlines())

    example = dotenv_values(SAMPLE_SITE / ".env.example")
    assert example.pop("PANTHEON_EMULATOR_URL") == "http://127.0.0.1:8770"  # the default port of `serve`
    assert variables.pop("PANTHEON_EMULATOR_URL") == pantheon_live.url
    assert example == variables


@pytest.fixture
def running_site(pantheon_live, tmp_path):
    """``python -m sample_site --port 0`` as acme-web.live, started the way the README does; yields its URL."""
    variables = pantheon_live.point_at(SITE, "live")
    env = {**os.environ, **variables, "PYTHONPATH": str(REPO_ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "sample_site", "--port", "0"], cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        banner = process.stderr.readline()
        assert banner.startswith(f"Acme Coffee ({SITE}.live) on http://127.0.0.1:"), banner
        yield banner.split(" on ")[1].split("/ ")[0]
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stderr.close()


def test_the_running_site_serves_the_seeded_world(pantheon_live, running_site):
    with requests.Session() as browser:
        browser.trust_env = False
        report = browser.get(f"{running_site}/status.json", timeout=10).json()
        page = browser.get(f"{running_site}/status", timeout=10).text

    assert report == expected_report(pantheon_live, "live", pantheon_live.url)
    assert 'id="status-environment">live<' in page
    assert not [value for value in every_value(pantheon_live) if value in page]
    pantheon_live.journal.assert_read("MAIL_API_KEY", site=SITE, env="live", times=2)
