"""The management API (SPEC §4) through HTTP, with Terminus' headers and bodies."""

import json

import pytest

DEV = {"Authorization": "dev-token", "Accept": "application/json"}
OUTSIDER = {"Authorization": "outsider-token"}
API = "/customer-secrets/v1"


def post(client, ws, ref, body, headers=DEV):
    return client.post(f"{API}/{ws}/{ref}/secrets", json=body, headers=headers)


def patch(client, ws, ref, name, body, headers=DEV):
    return client.patch(f"{API}/{ws}/{ref}/secrets/{name}", json=body, headers=headers)


def showall(client, site="acme-web", headers=DEV):
    response = client.get(f"{API}/sites/{site}/secrets/showall", headers=headers)
    assert response.status_code == 200, response.text
    return response.get_json()


def text_of(response):
    assert response.mimetype == "text/plain", response.headers
    return response.get_data(as_text=True)


@pytest.fixture(autouse=True)
def _world(world):
    return world


def test_showall_lists_site_and_owner_org_secrets_but_not_supporting_org_secrets(client, world):
    body = showall(client)
    site_id = world["sites"][0]["id"]
    assert body == {
        "EntityType": "sites",
        "EntityId": site_id,
        "Secrets": {
            "API_KEY": {
                "Type": "runtime",
                "Value": None,
                "Scopes": ["web", "user"],
                "EnvValues": {},
                "OrgValues": {"default": "org-value", "live": "org-live"},
            },
        },
    }


def test_create_with_defaults_then_list_shows_type_runtime_and_scope_user(client):
    assert post(client, "sites", "acme-web", {"name": "foo", "value": "bar"}).status_code == 200
    assert showall(client)["Secrets"]["foo"] == {
        "Type": "runtime",
        "Value": "bar",
        "Scopes": ["user"],
        "EnvValues": {},
        "OrgValues": {},
    }


def test_site_and_org_values_for_the_same_name_appear_in_one_entry(client):
    post(client, "sites", "acme-web", {"name": "API_KEY", "value": "site", "scopes": ["web", "user"]})
    patch(client, "sites", "acme-web", "API_KEY", {"env": "live", "value": "prod"})
    entry = showall(client)["Secrets"]["API_KEY"]
    assert entry["Value"] == "site"
    assert entry["EnvValues"] == {"live": "prod"}
    assert entry["OrgValues"] == {"default": "org-value", "live": "org-live"}


def test_values_without_user_scope_are_listed_as_json_null(client):
    post(client, "sites", "acme-web", {"name": "HIDDEN", "value": "s3cret", "scopes": ["web"]})
    patch(client, "sites", "acme-web", "HIDDEN", {"env": "live", "value": "s3cret-live"})
    entry = showall(client)["Secrets"]["HIDDEN"]
    assert entry["Value"] is None and entry["EnvValues"] == {"live": None}
    raw = client.get(f"{API}/sites/acme-web/secrets/showall", headers=DEV).get_data(as_text=True)
    assert "s3cret" not in raw


def test_org_values_are_redacted_by_the_org_secrets_scopes(client):
    post(client, "organizations", "acme", {"name": "ORG_HIDDEN", "value": "org-s3cret", "scopes": ["ic"]})
    post(client, "sites", "acme-web", {"name": "ORG_HIDDEN", "value": "site-visible", "scopes": ["user"]})
    entry = showall(client)["Secrets"]["ORG_HIDDEN"]
    assert entry["Value"] == "site-visible" and entry["OrgValues"] == {"default": None}


def test_org_list_has_entity_type_organizations_and_no_org_values(client, world):
    response = client.get(f"{API}/organizations/acme/secrets", headers=DEV)
    assert response.status_code == 200
    assert response.get_json() == {
        "EntityType": "organizations",
        "EntityId": world["organizations"][0]["id"],
        "Secrets": {
            "API_KEY": {"Type": "runtime", "Value": "org-value", "Scopes": ["web", "user"], "EnvValues": {"live": "org-live"}}
        },
    }


def test_post_on_existing_name_is_400_plain_text_mentioning_patch(client):
    post(client, "sites", "acme-web", {"name": "foo", "value": "bar"})
    response = post(client, "sites", "acme-web", {"name": "foo", "value": "baz"})
    assert response.status_code == 400
    assert text_of(response) == "Secret 'foo' already exists. Use PATCH if you want to update it."
    assert showall(client)["Secrets"]["foo"]["Value"] == "bar"


def test_patch_value_changes_default_and_keeps_type_scopes_and_overrides(client):
    post(client, "sites", "acme-web", {"name": "foo", "value": "bar", "type": "env", "scopes": ["ic", "user"]})
    patch(client, "sites", "acme-web", "foo", {"env": "dev", "value": "dev-bar"})
    assert patch(client, "sites", "acme-web", "foo", {"value": "new"}).status_code == 200
    entry = showall(client)["Secrets"]["foo"]
    assert (entry["Type"], entry["Value"], entry["Scopes"], entry["EnvValues"]) == (
        "env",
        "new",
        ["ic", "user"],
        {"dev": "dev-bar"},
    )


def test_override_is_set_replaced_and_deleted_idempotently(client):
    post(client, "sites", "acme-web", {"name": "foo", "value": "bar"})
    patch(client, "sites", "acme-web", "foo", {"env": "live", "value": "one"})
    patch(client, "sites", "acme-web", "foo", {"env": "live", "value": "two"})
    assert showall(client)["Secrets"]["foo"]["EnvValues"] == {"live": "two"}
    for _ in range(2):
        response = patch(client, "sites", "acme-web", "foo", {"env": "live", "value": None})
        assert 200 <= response.status_code < 300
    assert showall(client)["Secrets"]["foo"]["EnvValues"] == {}
    assert showall(client)["Secrets"]["foo"]["Value"] == "bar"


def test_override_on_missing_secret_is_the_documented_error(client):
    response = patch(client, "sites", "acme-web", "mysecretnonexist", {"env": "dev", "value": "foobar"})
    assert response.status_code == 404
    assert text_of(response) == "Secret 'mysecretnonexist' does not exist. You should create the default secret value first."
    response = patch(client, "sites", "acme-web", "mysecretnonexist", {"env": "dev", "value": None})
    assert response.status_code == 404


def test_site_override_on_a_name_only_the_owner_org_has_is_allowed(client):
    assert patch(client, "sites", "acme-web", "API_KEY", {"env": "dev", "value": "site-dev"}).status_code == 200
    entry = showall(client)["Secrets"]["API_KEY"]
    assert entry["Value"] is None and entry["EnvValues"] == {"dev": "site-dev"}
    assert entry["OrgValues"]["default"] == "org-value"


def test_delete_removes_secret_and_overrides_and_missing_is_404(client):
    post(client, "sites", "acme-web", {"name": "foo", "value": "bar"})
    patch(client, "sites", "acme-web", "foo", {"env": "live", "value": "x"})
    assert client.delete(f"{API}/sites/acme-web/secrets/foo", headers=DEV).status_code == 200
    assert "foo" not in showall(client)["Secrets"]
    response = client.delete(f"{API}/sites/acme-web/secrets/foo", headers=DEV)
    assert (response.status_code, text_of(response)) == (404, "Secret 'foo' does not exist.")
    response = patch(client, "sites", "acme-web", "foo", {"value": "again"})
    assert (response.status_code, text_of(response)) == (404, "Secret 'foo' does not exist.")


def test_env_type_name_rule_is_the_documented_message(client):
    response = post(client, "sites", "acme-web", {"name": "1nvalid", "value": "value", "type": "env"})
    assert response.status_code == 400
    assert text_of(response) == (
        "Invalid key name '1nvalid': Environment variable names must start with a letter or underscore, "
        "and can only contain letters, numbers, and underscores."
    )


@pytest.mark.parametrize("name", ["github-oauth.github.com", "file.json", "sendgrid-api-key", "http-basic.repo.example.com"])
def test_other_types_accept_dotted_and_dashed_names(client, name):
    assert (
        post(client, "sites", "acme-web", {"name": name, "value": "v", "type": "composer", "scopes": ["ic"]}).status_code == 200
    )


def test_value_limit_is_16384_utf8_bytes(client):
    assert post(client, "sites", "acme-web", {"name": "big", "value": "a" * 16384}).status_code == 200
    response = post(client, "sites", "acme-web", {"name": "bigger", "value": "é" * 8193})
    assert response.status_code == 400
    assert text_of(response) == "Secret value for 'bigger' is 16386 bytes; the limit is 16384 bytes."
    assert "bigger" not in showall(client)["Secrets"]


@pytest.mark.parametrize(
    "body, message",
    [
        (
            {"name": "x", "value": "v", "type": "secret"},
            "Unknown secret type 'secret'. Valid types: runtime, env, composer, file, vcs.",
        ),
        ({"name": "x", "value": "v", "scopes": ["web", "admin"]}, "Unknown secret scope 'admin'. Valid scopes: ic, web, user."),
        ({"name": "x", "value": "v", "scopes": []}, "Field 'scopes' must name at least one scope."),
        ({"value": "v"}, "Missing required field 'name' in request body."),
        ({"name": "x"}, "Missing required field 'value' in request body."),
        ({"name": "x", "value": 5}, "Field 'value' must be a string, not a number."),
        ({"name": "x", "value": "v", "colour": "red"}, "Unknown field 'colour' in request body."),
    ],
)
def test_invalid_input_is_400_naming_the_problem(client, body, message):
    response = post(client, "sites", "acme-web", body)
    assert (response.status_code, text_of(response)) == (400, message)


def test_file_type_is_accepted(client):
    assert post(client, "sites", "acme-web", {"name": "creds.json", "value": "{}", "type": "file"}).status_code == 200


def test_type_and_scopes_cannot_change_by_patch(client):
    post(client, "sites", "acme-web", {"name": "foo", "value": "bar"})
    response = patch(client, "sites", "acme-web", "foo", {"value": "x", "type": "env"})
    assert response.status_code == 400 and "cannot change" in text_of(response)
    assert showall(client)["Secrets"]["foo"]["Type"] == "runtime"


def test_bad_json_and_wrong_content_type_are_400(client):
    response = client.post(f"{API}/sites/acme-web/secrets", data="{nope", headers={**DEV, "Content-Type": "application/json"})
    assert response.status_code == 400 and text_of(response).startswith("Request body is not valid JSON")
    response = client.post(
        f"{API}/sites/acme-web/secrets", data="name=x", headers={**DEV, "Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 400 and "application/json" in text_of(response)


def test_raw_token_and_bearer_token_are_both_accepted(client):
    assert client.get(f"{API}/organizations/acme/secrets", headers={"Authorization": "Bearer dev-token"}).status_code == 200
    assert client.get(f"{API}/organizations/acme/secrets", headers={"Authorization": "dev-token"}).status_code == 200


def test_no_or_unknown_token_is_401(client):
    assert client.get(f"{API}/sites/acme-web/secrets/showall").status_code == 401
    response = client.get(f"{API}/sites/acme-web/secrets/showall", headers={"Authorization": "stolen"})
    assert response.status_code == 401 and "stolen" not in text_of(response)


def test_access_rules_members_of_owner_supporting_org_or_team_only(client):
    assert client.get(f"{API}/sites/acme-web/secrets/showall", headers=OUTSIDER).status_code == 403
    assert client.get(f"{API}/sites/acme-web/secrets/showall", headers={"Authorization": "partner-token"}).status_code == 200
    assert client.get(f"{API}/sites/personal/secrets/showall", headers=OUTSIDER).status_code == 200
    assert client.get(f"{API}/organizations/acme/secrets", headers=OUTSIDER).status_code == 403
    assert post(client, "organizations", "acme", {"name": "x", "value": "v"}, headers=OUTSIDER).status_code == 403


def test_unknown_site_or_org_is_404_naming_it(client):
    response = client.get(f"{API}/sites/nope/secrets/showall", headers=DEV)
    assert (response.status_code, text_of(response)) == (404, "Site 'nope' not found.")
    response = client.get(f"{API}/organizations/nope/secrets", headers=DEV)
    assert (response.status_code, text_of(response)) == (404, "Organization 'nope' not found.")


def test_sites_are_addressed_by_uuid_or_name(client, world):
    site_id = world["sites"][0]["id"]
    assert showall(client, site_id) == showall(client, "acme-web")


def test_unknown_routes_and_methods_answer_in_plain_text(client):
    response = client.get("/customer-secrets/v1/nothing", headers=DEV)
    assert (response.status_code, text_of(response)) == (404, "No route for GET /customer-secrets/v1/nothing.")
    response = client.put(f"{API}/sites/acme-web/secrets/foo", headers=DEV)
    assert response.status_code == 405 and text_of(response).startswith("Method PUT is not allowed")


def test_body_over_the_limit_is_413(client):
    response = client.post(
        f"{API}/sites/acme-web/secrets", data=b"x" * (300 * 1024), headers={**DEV, "Content-Type": "application/json"}
    )
    assert response.status_code == 413


def test_success_bodies_never_carry_the_value(client):
    response = post(client, "sites", "acme-web", {"name": "foo", "value": "do-not-echo"})
    assert "do-not-echo" not in response.get_data(as_text=True)
    assert json.loads(response.get_data(as_text=True))["Name"] == "foo"


def test_unknown_route_messages_escape_control_characters(client):
    response = client.get("/customer-secrets/v1/no%0Awhere", headers=DEV)
    assert (response.status_code, text_of(response)) == (404, "No route for GET /customer-secrets/v1/no\\nwhere.")
