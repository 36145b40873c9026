"""The journal records each secrets-API call as it happens: who, what, when, and no value."""

from __future__ import annotations

from freezegun import freeze_time

from emulator.core.service import Emulator, Settings
from emulator.core.store import Store
from emulator.web.app import create_app


def test_each_call_is_recorded_with_the_moment_it_happened(client, world):
    with freeze_time("2025-03-04 05:06:07.891") as frozen:
        client.get(
            "/customer-secrets/v1/sites/acme-web/environments/live/secrets/API_KEY",
            headers={"Authorization": "Bearer acme-web-runtime"},
        )
        frozen.tick(2)
        client.post(
            "/customer-secrets/v1/organizations/acme/secrets",
            headers={"Authorization": "dev-token"},
            json={"name": "NEW", "value": "s3cret-value"},
        )
        frozen.tick(60)
        entries = client.get("/_emulator/journal").get_json()["entries"]

    assert entries == [
        {
            "time": "2025-03-04T05:06:07.891Z",
            "kind": "runtime",
            "actor": "runtime:acme-web",
            "method": "GET",
            "path": "/customer-secrets/v1/sites/acme-web/environments/live/secrets/API_KEY",
            "status": 200,
            "site": "acme-web",
            "organization": None,
            "environment": "live",
            "secret": "API_KEY",
            "delivered": ["API_KEY"],
        },
        {
            "time": "2025-03-04T05:06:09.891Z",
            "kind": "management",
            "actor": "dev@example.com",
            "method": "POST",
            "path": "/customer-secrets/v1/organizations/acme/secrets",
            "status": 200,
            "site": None,
            "organization": "acme",
            "environment": None,
            "secret": "NEW",
            "delivered": [],
        },
    ]
    assert "s3cret-value" not in client.get("/_emulator/journal").get_data(as_text=True)


def test_filters_pick_entries_by_field(client, world):
    client.get("/customer-secrets/v1/sites/acme-web/environments/dev/secrets", headers={"Authorization": "Bearer wrong"})
    client.get("/customer-secrets/v1/sites/acme-web/secrets/showall", headers={"Authorization": "dev-token"})

    refused = client.get("/_emulator/journal?status=401").get_json()["entries"]
    assert [(e["kind"], e["actor"], e["status"]) for e in refused] == [("runtime", "anonymous", 401)]
    listed = client.get("/_emulator/journal?kind=management&site=acme-web").get_json()["entries"]
    assert [e["path"] for e in listed] == ["/customer-secrets/v1/sites/acme-web/secrets/showall"]


def test_the_journal_keeps_only_the_latest_calls():
    emulator = Emulator(Store(), Settings(rate_limit=False, journal_size=3))
    client = create_app(emulator=emulator).test_client()
    emulator.seed(
        {
            "sites": [
                {
                    "name": "small",
                    "runtime_token": "small-runtime",
                    "environments": {e: {} for e in ("dev", "test", "live", "legacy")},
                }
            ]
        }
    )
    for env in ("dev", "test", "live", "legacy"):
        client.get(
            f"/customer-secrets/v1/sites/small/environments/{env}/secrets", headers={"Authorization": "Bearer small-runtime"}
        )
    entries = client.get("/_emulator/journal").get_json()["entries"]
    assert [e["environment"] for e in entries] == ["test", "live", "legacy"]
