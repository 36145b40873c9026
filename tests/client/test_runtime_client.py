"""The Python runtime client reads secrets as ``pantheon_get_secret()`` does (SPEC §6)."""

from __future__ import annotations

import pytest
import requests

from emulator.client import ClientError, RuntimeClient, Unreachable
from emulator.client import api as runtime

SHOP_DEV = {"PANTHEON_SITE": "shop", "PANTHEON_ENVIRONMENT": "dev", "PANTHEON_EMULATOR_RUNTIME_TOKEN": "shop-runtime"}


@pytest.fixture
def shop_env(monkeypatch, live_server, consumer_world, tmp_path):
    """A process configured as shop's dev environment, in a directory without a .env file."""
    monkeypatch.chdir(tmp_path)
    for name, value in {**SHOP_DEV, "PANTHEON_EMULATOR_URL": live_server}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("CUSTOMER_SECRETS_FAKE_FILE", raising=False)
    return live_server


def test_get_secret_reads_the_web_value_for_the_site_and_environment(shop_env):
    assert runtime.get_secret("MAIL_KEY") == "mail-dev"
    assert runtime.get_secret("API_KEY") == "org-api"  # from the owner organization


def test_get_secret_answers_none_for_an_unknown_name_and_a_secret_without_web_scope(shop_env):
    assert runtime.get_secret("NO_SUCH_SECRET") is None
    assert runtime.get_secret("HIDDEN") is None
    assert runtime.get_secret("github-oauth.github.com") is None


def test_overrides_apply_in_their_environment(shop_env, monkeypatch):
    monkeypatch.setenv("PANTHEON_ENVIRONMENT", "live")
    assert runtime.get_secret("MAIL_KEY") == "mail-live"
    assert runtime.get_secret("API_KEY") == "org-api-live"


def test_get_secrets_returns_every_web_secret(shop_env):
    assert runtime.get_secrets() == {"API_KEY": "org-api", "MAIL_KEY": "mail-dev", "ZERO": "0"}


def test_get_secret_uses_the_single_name_route_so_the_journal_names_the_secret(shop_env):
    runtime.get_secret("MAIL_KEY")
    entries = requests.get(f"{shop_env}/_emulator/journal", params={"kind": "runtime", "secret": "MAIL_KEY"}, timeout=10).json()
    assert [(e["method"], e["status"], e["environment"]) for e in entries["entries"]] == [("GET", 200, "dev")]


def test_a_dotenv_file_configures_the_client_and_the_environment_wins_over_it(live_server, consumer_world, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in (*SHOP_DEV, "PANTHEON_EMULATOR_URL", "CUSTOMER_SECRETS_FAKE_FILE"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / ".env").write_text(
        f"PANTHEON_EMULATOR_URL={live_server}\nPANTHEON_SITE=shop\nPANTHEON_ENVIRONMENT=dev\n"
        "PANTHEON_EMULATOR_RUNTIME_TOKEN=shop-runtime\n",
        encoding="utf-8",
    )
    assert runtime.get_secret("MAIL_KEY") == "mail-dev"
    monkeypatch.setenv("PANTHEON_ENVIRONMENT", "live")
    assert runtime.get_secret("MAIL_KEY") == "mail-live"


def test_missing_configuration_is_named(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in (*SHOP_DEV, "CUSTOMER_SECRETS_FAKE_FILE"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ClientError, match="PANTHEON_SITE is not set"):
        runtime.get_secret("MAIL_KEY")
    monkeypatch.setenv("PANTHEON_SITE", "shop")
    with pytest.raises(ClientError, match="PANTHEON_EMULATOR_RUNTIME_TOKEN is not set"):
        runtime.get_secret("MAIL_KEY")


@pytest.mark.parametrize(
    ("site", "env", "token", "status"),
    [
        ("shop", "nowhere", "shop-runtime", 404),
        ("no-such-site", "dev", "shop-runtime", 404),
        ("shop", "dev", "storefront-runtime", 403),
        ("shop", "dev", "made-up", 401),
    ],
)
def test_refusals_are_raised_not_mistaken_for_a_missing_name(live_server, consumer_world, site, env, token, status):
    with RuntimeClient(site, env, token, url=live_server) as client:
        with pytest.raises(ClientError) as caught:
            client.get_secret("MAIL_KEY")
    assert caught.value.status == status
    assert "mail-dev" not in caught.value.message


def test_an_unreachable_emulator_is_reported_with_its_url():
    with RuntimeClient("shop", "dev", "shop-runtime", url="http://127.0.0.1:9") as client:
        with pytest.raises(Unreachable, match="127.0.0.1:9"):
            client.get_secret("MAIL_KEY")


def test_an_injected_session_reaches_an_in_process_app(inprocess_session, consumer_world):
    from tests.client.conftest import INPROCESS_URL

    client = RuntimeClient("shop", "dev", "shop-runtime", url=INPROCESS_URL, session=inprocess_session)
    assert client.get_secret("MAIL_KEY") == "mail-dev"
    assert client.get_secret("nope") is None
    assert client.payload()["Count"] == 3
    client.close()
    assert inprocess_session.get(f"{INPROCESS_URL}/_emulator/health").status_code == 200  # given sessions stay open
