"""The journal names what each runtime read delivered, so tests can assert on reads."""

RUNTIME = "/customer-secrets/v1/sites/acme-web/environments/{env}/secrets"
AUTH = {"Authorization": "Bearer acme-web-runtime"}


def test_a_payload_read_records_every_name_it_delivered(client, world):
    assert client.get(RUNTIME.format(env="live"), headers=AUTH).status_code == 200

    [entry] = client.get("/_emulator/journal?kind=runtime").get_json()["entries"]
    assert entry["delivered"] == ["API_KEY"]
    assert entry["secret"] is None


def test_a_named_read_records_its_name_and_a_miss_records_none(client, world):
    assert client.get(RUNTIME.format(env="dev") + "/API_KEY", headers=AUTH).status_code == 200
    assert client.get(RUNTIME.format(env="dev") + "/PARTNER_ONLY", headers=AUTH).status_code == 404

    hit, miss = client.get("/_emulator/journal?kind=runtime").get_json()["entries"]
    assert (hit["secret"], hit["delivered"]) == ("API_KEY", ["API_KEY"])
    assert (miss["secret"], miss["delivered"]) == ("PARTNER_ONLY", [])


def test_management_calls_deliver_nothing_by_this_measure(client, world):
    client.get("/customer-secrets/v1/sites/acme-web/secrets/showall", headers={"Authorization": "dev-token"})

    [entry] = client.get("/_emulator/journal").get_json()["entries"]
    assert entry["kind"] == "management"
    assert entry["delivered"] == []
