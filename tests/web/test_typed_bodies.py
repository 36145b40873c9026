"""Request bodies are typed as the service types them: scopes is a JSON array of strings.

The same rule holds in seed documents; the pytest handle's rule is pinned in
tests/plugin/test_typed_handle.py. The `vcs` type the secrets plugin documents is
stored and listed.
"""

import pytest

from emulator.core.errors import SeedRejected

DEV = {"Authorization": "dev-token", "Accept": "application/json"}
API = "/customer-secrets/v1"
STRING_SCOPES = "Field 'scopes' must be an array of strings, not a string."


@pytest.fixture(autouse=True)
def _world(world):
    return world


def showall(client):
    response = client.get(f"{API}/sites/acme-web/secrets/showall", headers=DEV)
    assert response.status_code == 200
    return response.get_json()["Secrets"]


@pytest.mark.parametrize(
    "scopes, message",
    [
        ("web,user", STRING_SCOPES),
        ("web", STRING_SCOPES),
        ({"web": True}, "Field 'scopes' must be an array of strings, not an object."),
        (["web", 1], "Field 'scopes' must be an array of strings, not an array containing a number."),
        ([["web"]], "Field 'scopes' must be an array of strings, not an array containing an array."),
    ],
)
def test_scopes_that_are_not_an_array_of_strings_are_refused_over_http(client, scopes, message):
    response = client.post(f"{API}/sites/acme-web/secrets", json={"name": "X", "value": "v", "scopes": scopes}, headers=DEV)

    assert response.status_code == 400
    assert response.get_data(as_text=True) == message
    assert "X" not in showall(client)


def test_the_vcs_type_is_stored_and_listed(client):
    body = {"name": "github.com", "value": "ghp_x", "type": "vcs", "scopes": ["ic"]}
    response = client.post(f"{API}/sites/acme-web/secrets", json=body, headers=DEV)

    assert response.status_code in (200, 201), response.get_data(as_text=True)
    assert showall(client)["github.com"]["Type"] == "vcs"
    assert showall(client)["github.com"]["Scopes"] == ["ic"]


def test_an_unknown_type_names_the_valid_ones_vcs_included(client):
    response = client.post(f"{API}/sites/acme-web/secrets", json={"name": "X", "value": "v", "type": "git"}, headers=DEV)

    assert response.status_code == 400
    assert response.get_data(as_text=True) == "Unknown secret type 'git'. Valid types: runtime, env, composer, file, vcs."


def test_a_seed_with_string_scopes_is_rejected_and_changes_nothing(emulator_service):
    before = emulator_service.export()
    seed = {"organizations": [{"name": "o", "secrets": [{"name": "K", "value": "v", "scopes": "web,user"}]}]}

    with pytest.raises(SeedRejected) as caught:
        emulator_service.seed(seed)

    assert caught.value.where == "organizations[0].secrets[0]"
    assert caught.value.problem == STRING_SCOPES
    assert emulator_service.export() == before


def test_a_seed_with_a_vcs_secret_is_accepted(emulator_service):
    emulator_service.seed({"organizations": [{"name": "o", "secrets": [{"name": "K", "value": "v", "type": "vcs"}]}]})

    org = next(o for o in emulator_service.export()["organizations"] if o["name"] == "o")
    assert org["secrets"][0]["type"] == "vcs"
