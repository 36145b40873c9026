"""The control plane: seed, state round trip, reset, journal, provenance."""

import copy

from tests.conftest import ACME_WORLD

API = "/customer-secrets/v1"


def test_seed_then_state_round_trips_exactly(client):
    assert client.post("/_emulator/seed", json=ACME_WORLD).status_code == 200
    state = client.get("/_emulator/state").get_json()
    client.post("/_emulator/reset", headers={"X-Pantheon-Emulator": "1"})
    assert client.get("/_emulator/state").get_json() == {"users": [], "organizations": [], "sites": []}
    assert client.post("/_emulator/seed", json=state).status_code == 200
    assert client.get("/_emulator/state").get_json() == state


def test_missing_ids_are_derived_from_names_and_stable(client, app):
    first = client.post("/_emulator/seed", json=ACME_WORLD).get_json()
    client.post("/_emulator/reset", headers={"X-Pantheon-Emulator": "1"})
    second = client.post("/_emulator/seed", json=ACME_WORLD).get_json()
    assert [s["id"] for s in first["sites"]] == [s["id"] for s in second["sites"]]
    assert [o["id"] for o in first["organizations"]] == [o["id"] for o in second["organizations"]]


def test_missing_tokens_are_generated(client):
    summary = client.post("/_emulator/seed", json={"users": [{"email": "a@example.com"}], "sites": [{"name": "s"}]}).get_json()
    assert len(summary["users"][0]["token"]) > 20 and len(summary["sites"][0]["runtime_token"]) > 20
    assert summary["sites"][0]["environments"] == ["dev", "test", "live"]


def test_seed_defaults_type_and_scopes(client):
    client.post("/_emulator/seed", json={"organizations": [{"name": "o", "secrets": [{"name": "A", "value": "v"}]}]})
    secret = client.get("/_emulator/state").get_json()["organizations"][0]["secrets"][0]
    assert (secret["type"], secret["scopes"]) == ("runtime", ["user"])


def assert_refused_whole(client, doc, fragment):
    before = client.get("/_emulator/state").get_json()
    response = client.post("/_emulator/seed", json=doc)
    assert response.status_code == 400 and response.mimetype == "text/plain"
    assert fragment in response.get_data(as_text=True)
    assert client.get("/_emulator/state").get_json() == before


def test_dangling_references_are_refused_whole_naming_them(client):
    doc = copy.deepcopy(ACME_WORLD)
    doc["sites"][0]["owner"] = "ghost-org"
    assert_refused_whole(client, doc, "sites[0].owner: unknown organization 'ghost-org'")
    doc = copy.deepcopy(ACME_WORLD)
    doc["organizations"][0]["members"].append("ghost@example.com")
    assert_refused_whole(client, doc, "unknown user 'ghost@example.com'")
    doc = copy.deepcopy(ACME_WORLD)
    doc["sites"][0]["secrets"] = [{"name": "A", "value": "v", "overrides": {"staging": "x"}}]
    assert_refused_whole(client, doc, "unknown environment 'staging' on site 'acme-web'")


def test_invalid_secrets_in_a_seed_are_refused_with_the_api_message(client):
    doc = {"sites": [{"name": "s", "secrets": [{"name": "1bad", "value": "v", "type": "env"}]}]}
    assert_refused_whole(client, doc, "Invalid key name '1bad'")
    assert_refused_whole(client, {"sites": [{"name": "s", "colour": "red"}]}, "unknown field 'colour'")


def test_reset_clears_world_and_journal(client):
    client.post("/_emulator/seed", json=ACME_WORLD)
    client.get(f"{API}/organizations/acme/secrets", headers={"Authorization": "dev-token"})
    assert client.get("/_emulator/journal").get_json()["entries"]
    client.post("/_emulator/reset", headers={"X-Pantheon-Emulator": "1"})
    assert client.get("/_emulator/journal").get_json()["entries"] == []


def test_journal_records_who_did_what_but_never_values(client):
    client.post("/_emulator/seed", json=ACME_WORLD)
    client.post(
        f"{API}/sites/acme-web/secrets",
        json={"name": "TOKEN", "value": "very-secret-value"},
        headers={"Authorization": "dev-token"},
    )
    client.get(f"{API}/sites/acme-web/environments/live/secrets/API_KEY", headers={"Authorization": "Bearer acme-web-runtime"})
    entries = client.get("/_emulator/journal").get_json()["entries"]
    assert [(e["kind"], e["actor"], e["method"], e["status"], e["secret"]) for e in entries] == [
        ("management", "dev@example.com", "POST", 200, "TOKEN"),
        ("runtime", "runtime:acme-web", "GET", 200, "API_KEY"),
    ]
    assert entries[1]["environment"] == "live"
    assert "very-secret-value" not in str(entries) and "org-live" not in str(entries)
    runtime_only = client.get("/_emulator/journal?kind=runtime&secret=API_KEY").get_json()["entries"]
    assert len(runtime_only) == 1
    assert client.get("/_emulator/journal?colour=red").status_code == 400


def test_explain_says_which_layer_won(client):
    client.post("/_emulator/seed", json=ACME_WORLD)
    client.patch(
        f"{API}/sites/acme-web/secrets/API_KEY", json={"env": "dev", "value": "d"}, headers={"Authorization": "dev-token"}
    )
    body = client.get("/_emulator/sites/acme-web/environments/dev/explain/API_KEY").get_json()
    assert body["scopes"]["web"]["layer"] == "site-override"
    assert body["scopes"]["web"]["shadowed"] == ["org-default"]
    live = client.get("/_emulator/sites/acme-web/environments/live/explain/API_KEY").get_json()
    assert live["scopes"]["web"]["layer"] == "org-override"
    assert live["scopes"]["ic"]["visible"] is False and "scope 'ic'" in live["scopes"]["ic"]["reason"]
    missing = client.get("/_emulator/sites/personal/environments/dev/explain/API_KEY").get_json()
    assert "personal site" in missing["scopes"]["web"]["reason"]


def test_health(client):
    assert client.get("/_emulator/health").get_json()["status"] == "ok"


def test_an_entity_listed_twice_is_refused_naming_it(client):
    assert_refused_whole(
        client,
        {"users": [{"email": "a@example.com"}, {"email": "a@example.com"}]},
        "Seed rejected at users[1]: user 'a@example.com' is listed twice.",
    )
    assert_refused_whole(
        client,
        {"organizations": [{"name": "o"}, {"name": "o"}]},
        "Seed rejected at organizations[1]: organization 'o' is listed twice.",
    )
    assert_refused_whole(
        client, {"sites": [{"name": "s"}, {"name": "s"}]}, "Seed rejected at sites[1]: site 's' is listed twice."
    )


def test_supporting_organizations_are_named_by_id_or_name_and_unknown_ones_refused(client):
    summary = client.post("/_emulator/seed", json={"organizations": [{"name": "o"}]}).get_json()
    org_id = summary["organizations"][0]["id"]
    doc = {"sites": [{"name": "s", "owner": org_id, "supporting": ["o"]}]}
    assert client.post("/_emulator/seed", json=doc).status_code == 200
    site = client.get("/_emulator/state").get_json()["sites"][0]
    assert (site["owner"], site["supporting"]) == ("o", ["o"])
    assert_refused_whole(
        client,
        {"sites": [{"name": "t", "supporting": ["o", "ghost"]}]},
        "Seed rejected at sites[0].supporting[1]: unknown organization 'ghost'.",
    )
