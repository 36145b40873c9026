"""Rate limit (SPEC §5) and runtime reads with their cache (SPEC §6), with time frozen."""

import pytest
from freezegun import freeze_time

from emulator.core.errors import InvalidInput

API = "/customer-secrets/v1"
DEV = {"Authorization": "dev-token"}
RUNTIME = {"Authorization": "Bearer acme-web-runtime"}


@pytest.fixture
def config(config):
    config.rate_limit = True
    return config


@pytest.fixture(autouse=True)
def _world(world):
    return world


def list_org(client, headers=DEV):
    return client.get(f"{API}/organizations/acme/secrets", headers=headers)


def test_fourth_request_within_a_second_is_429_with_retry_after(client):
    with freeze_time("2026-01-01 12:00:00") as frozen:
        assert [list_org(client).status_code for _ in range(3)] == [200, 200, 200]
        response = list_org(client)
        assert response.status_code == 429
        assert response.get_data(as_text=True) == "Rate limit exceeded: at most 3 requests per second per user."
        assert response.mimetype == "text/plain"
        assert response.headers["Retry-After"] == "1"
        frozen.tick(1.01)
        assert list_org(client).status_code == 200


def test_rate_limit_is_per_user(client):
    with freeze_time("2026-01-01 12:00:00"):
        for _ in range(3):
            list_org(client)
        assert list_org(client).status_code == 429
        assert client.get(f"{API}/sites/acme-web/secrets/showall", headers={"Authorization": "partner-token"}).status_code == 200


def test_runtime_reads_and_control_plane_are_never_limited(client):
    with freeze_time("2026-01-01 12:00:00"):
        statuses = {client.get(f"{API}/sites/acme-web/environments/dev/secrets", headers=RUNTIME).status_code for _ in range(20)}
        assert statuses == {200}
        assert {client.get("/_emulator/health").status_code for _ in range(20)} == {200}


def test_rate_limit_can_be_switched_off_and_resized_at_run_time(client):
    with freeze_time("2026-01-01 12:00:00"):
        client.patch("/_emulator/settings", json={"rate_limit": False})
        assert {list_org(client).status_code for _ in range(10)} == {200}
        client.patch("/_emulator/settings", json={"rate_limit": True, "rate_limit_requests": 1, "rate_limit_window": 2})
        assert list_org(client).status_code == 200
        response = list_org(client)
        assert response.status_code == 429
        assert response.get_data(as_text=True) == "Rate limit exceeded: at most 1 requests per 2 seconds per user."
        assert response.headers["Retry-After"] == "2"


def runtime(client, env="dev", headers=RUNTIME, name=None):
    path = f"{API}/sites/acme-web/environments/{env}/secrets" + (f"/{name}" if name else "")
    return client.get(path, headers=headers)


def test_runtime_payload_has_the_sdk_shape_with_web_scoped_resolved_values(client, world):
    client.post(f"{API}/sites/acme-web/secrets", json={"name": "IC_ONLY", "value": "x", "scopes": ["ic"]}, headers=DEV)
    body = runtime(client, "live").get_json()
    assert body == {
        "SiteID": world["sites"][0]["id"],
        "Secrets": {"API_KEY": {"Type": "runtime", "Value": "org-live", "Scopes": ["web", "user"]}},
        "Count": 1,
        "Version": "",
        "Scopes": ["web"],
    }


def test_runtime_single_name_and_unknown_name(client):
    assert runtime(client, name="API_KEY").get_json()["Value"] == "org-value"
    assert runtime(client, name="MISSING").status_code == 404


def test_runtime_cache_hides_changes_until_the_ttl_passes(client):
    with freeze_time("2026-01-01 12:00:00") as frozen:
        assert runtime(client, name="API_KEY").get_json()["Value"] == "org-value"
        client.post(
            f"{API}/sites/acme-web/secrets", json={"name": "API_KEY", "value": "site-value", "scopes": ["web"]}, headers=DEV
        )
        frozen.tick(899)
        assert runtime(client, name="API_KEY").get_json()["Value"] == "org-value"
        frozen.tick(2)
        assert runtime(client, name="API_KEY").get_json()["Value"] == "site-value"


def test_cache_ttl_zero_shows_changes_at_once(client):
    client.patch("/_emulator/settings", json={"cache_ttl": 0})
    runtime(client)
    client.post(f"{API}/sites/acme-web/secrets", json={"name": "API_KEY", "value": "site-value", "scopes": ["web"]}, headers=DEV)
    assert runtime(client, name="API_KEY").get_json()["Value"] == "site-value"


def test_runtime_needs_this_sites_runtime_token(client):
    assert runtime(client, headers={}).status_code == 401
    assert runtime(client, headers={"Authorization": "Bearer nobody"}).status_code == 401
    assert runtime(client, headers={"Authorization": "Bearer personal-runtime"}).status_code == 403
    assert runtime(client, headers={"Authorization": "dev-token"}).status_code == 403
    assert runtime(client, env="nowhere").status_code == 404


def test_personal_site_reads_only_its_own_secrets(client):
    headers = {"Authorization": "Bearer personal-runtime"}
    client.post(
        f"{API}/sites/personal/secrets",
        json={"name": "MINE", "value": "v", "scopes": ["web"]},
        headers={"Authorization": "outsider-token"},
    )
    body = client.get(f"{API}/sites/personal/environments/dev/secrets", headers=headers).get_json()
    assert list(body["Secrets"]) == ["MINE"]


def test_a_settings_change_with_one_bad_field_changes_nothing(client, emulator_service):
    before = client.get("/_emulator/settings").get_json()
    response = client.patch("/_emulator/settings", json={"cache_ttl": 5, "rate_limit_window": 0})
    assert response.status_code == 400
    assert response.get_data(as_text=True) == "Setting 'rate_limit_window' must be more than 0 seconds."
    assert client.get("/_emulator/settings").get_json() == before
    with pytest.raises(InvalidInput, match="Unknown setting 'journal_size'"):
        emulator_service.configure(journal_size=5)
