"""#14 item 5: a web page cannot reach the emulator through the user's browser."""

from __future__ import annotations

import requests

from emulator.config import Config, load_config
from emulator.web.app import create_app

EVIL = "https://evil.example"


def _count_users(client) -> int:
    return len(client.get("/_emulator/state").get_json()["users"])


def test_a_cross_origin_form_cannot_reset_the_store(tenant_client):
    before = _count_users(tenant_client)
    response = tenant_client.post(
        "/_emulator/reset",
        data="x=1",
        content_type="application/x-www-form-urlencoded",
        headers={"Origin": EVIL},
    )
    assert response.status_code == 403
    assert "Cross-origin request refused" in response.get_data(as_text=True)
    assert "evil.example" in response.get_data(as_text=True)
    assert _count_users(tenant_client) == before


def test_a_same_origin_form_without_json_is_still_refused_on_the_control_plane(tenant_client):
    before = _count_users(tenant_client)
    response = tenant_client.post("/_emulator/reset", data="x=1", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 403
    assert "X-Pantheon-Emulator" in response.get_data(as_text=True)
    assert _count_users(tenant_client) == before


def test_control_writes_pass_with_json_or_the_control_header(tenant_client):
    assert tenant_client.post("/_emulator/reset", headers={"X-Pantheon-Emulator": "1"}).status_code == 200
    assert _count_users(tenant_client) == 0
    assert tenant_client.post("/_emulator/seed", json={"users": [{"email": "a@example.com"}]}).status_code == 200
    assert _count_users(tenant_client) == 1


def test_sec_fetch_site_cross_site_is_refused_on_the_management_api(tenant_client):
    response = tenant_client.delete(
        "/customer-secrets/v1/sites/north-web/secrets/SITE_ONLY",
        headers={"Authorization": "alice-token", "Sec-Fetch-Site": "cross-site"},
    )
    assert response.status_code == 403
    assert "Sec-Fetch-Site: cross-site" in response.get_data(as_text=True)


def test_a_same_origin_browser_write_passes(tenant_client):
    response = tenant_client.post(
        "/_emulator/seed",
        json={"users": [{"email": "b@example.com"}]},
        headers={"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"},
    )
    assert response.status_code == 200


def test_a_foreign_host_reads_nothing(tenant_client):
    response = tenant_client.get("/_emulator/state", headers={"Host": "attacker.example"})
    assert response.status_code == 403
    text = response.get_data(as_text=True)
    assert "Host 'attacker.example' is not an address this emulator serves" in text
    assert "alice-token" not in text


def test_foreign_host_refused_by_a_real_server_and_local_forms_accepted(tenant_url):
    port = tenant_url.rsplit(":", 1)[1]
    refused = requests.get(f"{tenant_url}/_emulator/state", headers={"Host": f"attacker.example:{port}"}, timeout=10)
    assert refused.status_code == 403
    assert "north-web-rt" not in refused.text
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"):
        assert requests.get(f"{tenant_url}/_emulator/health", headers={"Host": host}, timeout=10).status_code == 200
    wrong_port = requests.get(f"{tenant_url}/_emulator/health", headers={"Host": "127.0.0.1:1"}, timeout=10)
    assert wrong_port.status_code == 403


def test_allowed_hosts_from_the_environment_and_the_wildcard():
    config = load_config({"db": ":memory:", "demo": False}, environ={"PANTHEON_EMULATOR_ALLOWED_HOSTS": "emu.test, other:9000"})
    client = create_app(config).test_client()
    assert client.get("/_emulator/health", headers={"Host": "emu.test:1234"}).status_code == 200
    assert client.get("/_emulator/health", headers={"Host": "other:9000"}).status_code == 200
    assert client.get("/_emulator/health", headers={"Host": "other:9001"}).status_code == 403
    anything = create_app(Config(db=":memory:", demo=False, allowed_hosts=["*"])).test_client()
    assert anything.get("/_emulator/health", headers={"Host": "whatever.example"}).status_code == 200
