"""A cached runtime read answers the same bytes until the cache expires or is cleared."""

from __future__ import annotations

import json

from freezegun import freeze_time

ENVIRONMENT = "/customer-secrets/v1/sites/acme-web/environments/dev/secrets"
RUNTIME = {"Authorization": "Bearer acme-web-runtime"}
MANAGER = {"Authorization": "dev-token"}


def read(client) -> dict:
    response = client.get(ENVIRONMENT, headers=RUNTIME)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_data(as_text=True).endswith("}\n")
    return json.loads(response.get_data())


def change_api_key(client, value: str) -> None:
    response = client.post(
        "/customer-secrets/v1/sites/acme-web/secrets",
        headers=MANAGER,
        json={"name": "API_KEY", "value": value, "scopes": ["web"]},
    )
    assert response.status_code == 200, response.get_data(as_text=True)


def test_a_cached_read_keeps_its_value_until_the_cache_expires(client, world):
    with freeze_time("2025-01-01 12:00:00") as frozen:
        assert read(client)["Secrets"]["API_KEY"]["Value"] == "org-value"
        change_api_key(client, "site-value")
        frozen.tick(899)
        assert read(client)["Secrets"]["API_KEY"]["Value"] == "org-value"
        frozen.tick(2)
        assert read(client)["Secrets"]["API_KEY"]["Value"] == "site-value"


def test_without_a_cache_every_read_is_fresh(client, world):
    assert client.patch("/_emulator/settings", json={"cache_ttl": 0}).status_code == 200
    assert read(client)["Secrets"]["API_KEY"]["Value"] == "org-value"
    change_api_key(client, "site-value")
    assert read(client)["Secrets"]["API_KEY"]["Value"] == "site-value"


def test_emptying_the_cache_renders_the_new_value(client, world):
    first = client.get(ENVIRONMENT, headers=RUNTIME).get_data()
    change_api_key(client, "site-value")
    assert client.get(ENVIRONMENT, headers=RUNTIME).get_data() == first
    assert client.patch("/_emulator/settings", json={"cache_ttl": 900}).status_code == 200
    assert read(client)["Secrets"]["API_KEY"]["Value"] == "site-value"


def test_the_whole_environment_and_one_secret_agree(client, world):
    whole = read(client)
    one = client.get(f"{ENVIRONMENT}/API_KEY", headers=RUNTIME)
    assert json.loads(one.get_data()) == whole["Secrets"]["API_KEY"]
    assert whole["Count"] == len(whole["Secrets"])


def test_one_secret_follows_the_cache_too(client, world):
    one = f"{ENVIRONMENT}/API_KEY"
    with freeze_time("2025-01-01 12:00:00") as frozen:
        assert client.get(one, headers=RUNTIME).get_json()["Value"] == "org-value"
        change_api_key(client, "site-value")
        assert client.get(one, headers=RUNTIME).get_json()["Value"] == "org-value"
        frozen.tick(901)
        assert client.get(one, headers=RUNTIME).get_json()["Value"] == "site-value"


def test_a_secret_created_after_caching_is_unknown_until_the_cache_expires(client, world):
    late = f"{ENVIRONMENT}/LATE"
    with freeze_time("2025-01-01 12:00:00") as frozen:
        assert list(read(client)["Secrets"]) == ["API_KEY"]
        created = client.post(
            "/customer-secrets/v1/sites/acme-web/secrets",
            headers=MANAGER,
            json={"name": "LATE", "value": "late-value", "scopes": ["web"]},
        )
        assert created.status_code == 200
        missing = client.get(late, headers=RUNTIME)
        assert missing.status_code == 404
        assert "LATE" in missing.get_data(as_text=True)
        frozen.tick(901)
        assert client.get(late, headers=RUNTIME).get_json() == {"Type": "runtime", "Value": "late-value", "Scopes": ["web"]}
