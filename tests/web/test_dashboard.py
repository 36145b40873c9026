"""The dashboard at / through Flask's test client: each form does what the API would, with the
API's messages, refuses cross-site posts, and never shows a value the API would redact."""

from __future__ import annotations

import html
import io
import json
import re

import pytest
from click.testing import CliRunner

from emulator.client.commands import env_command
from emulator.core import policy

API = policy.API_PREFIX
DEV = {"Authorization": "dev-token"}
M = policy.Messages
G = policy.GuardMessages


def csrf(client) -> str:
    page = client.get("/").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def post(client, path, data, **kwargs):
    return client.post(path, data={"csrf_token": csrf(client), **data}, **kwargs)


def showall(client, site="acme-web") -> dict:
    response = client.get(f"{API}/sites/{site}/secrets/showall", headers=DEV)
    assert response.status_code == 200
    return response.get_json()["Secrets"]


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_index_lists_sites_and_organizations_with_links(client, world):
    page = text(client.get("/"))
    assert 'href="/ui/sites/acme-web"' in page and 'href="/ui/sites/personal"' in page
    assert 'href="/ui/organizations/acme"' in page and 'href="/ui/organizations/partner"' in page
    assert "(personal site)" in page
    assert 'eval "$(pantheon-emulator terminus-env --url http://localhost)"' in page
    assert "export PANTHEON_EMULATOR_TOKEN=dev-token" in page


def test_create_one_and_many_through_the_form_is_what_the_api_lists(client, world):
    response = post(
        client,
        "/ui/sites/acme-web/create",
        {
            "name": ["ONE", "TWO"],
            "value": ["v-one", "v-two"],
            "type": ["runtime", "env"],
            "scope-0": ["web"],
            "scope-1": ["ic", "user"],
        },
    )
    assert response.status_code == 303
    listed = showall(client)
    assert listed["ONE"]["Scopes"] == ["web"] and listed["ONE"]["Value"] is None  # no user scope: redacted
    assert listed["TWO"] == {"Type": "env", "Value": "v-two", "Scopes": ["ic", "user"], "EnvValues": {}, "OrgValues": {}}


@pytest.mark.parametrize(
    "row",
    [
        {"name": "bad name", "value": "x", "type": "runtime", "scope-0": ["web"]},
        {"name": "1BAD", "value": "x", "type": "env", "scope-0": ["web"]},
        {"name": "OK", "value": "x", "type": "runtime"},  # no scope ticked
        {"name": "API_KEY_X", "value": "x" * 16385, "type": "runtime", "scope-0": ["web"]},
    ],
)
def test_a_refused_create_shows_the_apis_own_message_inline_and_stores_nothing(client, world, row):
    before = showall(client)
    api_body = {"name": row["name"], "value": row["value"], "type": row["type"], "scopes": row.get("scope-0", [])}
    api = client.post(f"{API}/sites/acme-web/secrets", json=api_body, headers=DEV)
    assert api.status_code == 400
    response = post(client, "/ui/sites/acme-web/create", row)
    assert response.status_code == 400
    assert f"Error: {api.get_data(as_text=True)}" in text(response)
    assert 'id="error-create"' in text(response)
    assert showall(client) == before


def test_a_second_row_failing_creates_neither(client, world):
    response = post(
        client,
        "/ui/sites/acme-web/create",
        {"name": ["FIRST", "FIRST"], "value": ["a", "b"], "type": ["runtime", "runtime"], "scope-0": ["web"], "scope-1": ["web"]},
    )
    assert response.status_code == 400
    assert M.ALREADY_EXISTS.format(name="FIRST") in text(response)
    assert "FIRST" not in showall(client)


def test_the_listing_redacts_values_without_user_scope(client, emulator_service, world):
    client.post(
        f"{API}/sites/acme-web/secrets",
        json={"name": "HIDDEN", "value": "VERY-SECRET-VALUE", "scopes": ["web"]},
        headers=DEV,
    )
    client.post(f"{API}/sites/acme-web/secrets", json={"name": "SHOWN", "value": "shown-value", "scopes": ["user"]}, headers=DEV)
    page = text(client.get("/ui/sites/acme-web"))
    assert "VERY-SECRET-VALUE" not in page
    assert "hidden (no user scope)" in page
    assert "shown-value" in page
    assert "<title>Secrets of acme-web · Pantheon secrets emulator</title>" in page
    # every form that changes something posts
    assert not re.search(r'<form method="get"[^>]*action="[^"]*/ui/sites/[^"]*/(create|bulk|value|scopes|override|delete)', page)


def test_value_override_scope_and_delete_edits_reach_the_api(client, world):
    client.post(f"{API}/sites/acme-web/secrets", json={"name": "TOKEN", "value": "v1", "scopes": ["web"]}, headers=DEV)
    assert post(client, "/ui/sites/acme-web/secrets/TOKEN/value", {"value": "v2"}).status_code == 303
    assert post(client, "/ui/sites/acme-web/secrets/TOKEN/scopes", {"scope": ["web", "user"]}).status_code == 303
    assert post(client, "/ui/sites/acme-web/secrets/TOKEN/override", {"env": "live", "value": "v-live"}).status_code == 303
    assert showall(client)["TOKEN"] == {
        "Type": "runtime",
        "Value": "v2",
        "Scopes": ["web", "user"],
        "EnvValues": {"live": "v-live"},
        "OrgValues": {},
    }
    # the API still refuses a scope change
    refused = client.patch(f"{API}/sites/acme-web/secrets/TOKEN", json={"value": "x", "scopes": ["ic"]}, headers=DEV)
    assert refused.status_code == 400
    assert post(client, "/ui/sites/acme-web/secrets/TOKEN/override/delete", {"env": "live"}).status_code == 303
    assert showall(client)["TOKEN"]["EnvValues"] == {}
    assert post(client, "/ui/sites/acme-web/secrets/TOKEN/delete", {}).status_code == 303
    assert "TOKEN" not in showall(client)


def test_scope_edit_to_nothing_and_override_on_unknown_env_are_refused_with_api_messages(client, world):
    client.post(f"{API}/sites/acme-web/secrets", json={"name": "TOKEN", "value": "v1", "scopes": ["web"]}, headers=DEV)
    response = post(client, "/ui/sites/acme-web/secrets/TOKEN/scopes", {})
    assert response.status_code == 400 and f'<p class="error" role="alert" id="error-scopes">Error: {M.EMPTY_SCOPES}' in text(
        response
    )
    response = post(client, "/ui/sites/acme-web/secrets/TOKEN/override", {"env": "nowhere", "value": "x"})
    api = client.patch(f"{API}/sites/acme-web/secrets/TOKEN", json={"env": "nowhere", "value": "x"}, headers=DEV)
    assert response.status_code == api.status_code == 404
    assert f'id="error-override">Error: {api.get_data(as_text=True)}' in text(response)
    response = post(client, "/ui/sites/acme-web/secrets/NOPE/override", {"env": "dev", "value": "x"})
    assert M.OVERRIDE_WITHOUT_SECRET.format(name="NOPE") in text(response)
    assert showall(client)["TOKEN"]["Scopes"] == ["web"]


def test_bulk_import_previews_names_bad_lines_and_creates_only_when_all_are_good(client, world):
    env_text = "# a comment\nGOOD_ONE=1\nexport GOOD_TWO='two words'\nno equals here\n9BAD=x\n"
    response = post(
        client,
        "/ui/sites/acme-web/bulk",
        {"type": "env", "scope": ["ic"], "step": "preview", "envfile": (io.BytesIO(env_text.encode()), "site.env")},
        content_type="multipart/form-data",
    )
    page = text(response)
    assert "Line 4: " + M.DASHBOARD_ENV_NO_EQUALS in page
    assert "Line 5: " + M.INVALID_ENV_NAME.format(name="9BAD") in page
    assert "GOOD_ONE" not in showall(client)
    # creating anyway is refused, nothing created
    response = post(client, "/ui/sites/acme-web/bulk", {"type": "env", "scope": ["ic"], "step": "create", "lines": env_text})
    assert response.status_code == 400 and "GOOD_ONE" not in showall(client)
    good = "GOOD_ONE=1\nexport GOOD_TWO='two words'\n"
    preview = text(
        post(client, "/ui/sites/acme-web/bulk", {"type": "env", "scope": ["ic", "user"], "step": "preview", "lines": good})
    )
    assert "2 secret(s) of type env with scopes ic, user: GOOD_ONE, GOOD_TWO" in preview
    assert "GOOD_ONE" not in showall(client)
    created = post(client, "/ui/sites/acme-web/bulk", {"type": "env", "scope": ["ic", "user"], "step": "create", "lines": good})
    assert created.status_code == 303
    listed = showall(client)
    assert listed["GOOD_TWO"]["Value"] == "two words" and listed["GOOD_ONE"]["Scopes"] == ["ic", "user"]


def test_cross_origin_foreign_host_and_tokenless_posts_are_refused_and_change_nothing(client, world):
    before = showall(client)
    token = csrf(client)
    data = {"name": "EVIL", "value": "x", "type": "runtime", "scope-0": "web"}
    path = "/ui/sites/acme-web/create"
    cross = client.post(path, data={**data, "csrf_token": token}, headers={"Origin": "http://evil.example"})
    assert cross.status_code == 403
    assert cross.get_data(as_text=True) == G.CROSS_ORIGIN.format(method="POST", path=path, origin="http://evil.example")
    fetch = client.post(path, data={**data, "csrf_token": token}, headers={"Sec-Fetch-Site": "cross-site"})
    assert fetch.status_code == 403 and "Sec-Fetch-Site: cross-site" in fetch.get_data(as_text=True)
    rebound = client.post(path, data={**data, "csrf_token": token}, headers={"Host": "attacker.example"})
    assert rebound.status_code == 403 and "attacker.example" in rebound.get_data(as_text=True)
    tokenless = client.post(path, data=data)
    assert tokenless.status_code == 403 and tokenless.get_data(as_text=True) == M.DASHBOARD_BAD_CSRF
    stale = client.post(path, data={**data, "csrf_token": token + "x"})
    assert stale.status_code == 403
    assert client.post("/ui/reset", data={"confirm": "reset"}, headers={"Origin": "http://evil.example"}).status_code == 403
    assert client.post("/ui/reset", data={"confirm": "reset"}).status_code == 403
    assert showall(client) == before
    same = client.post(
        path, data={**data, "csrf_token": token}, headers={"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}
    )
    assert same.status_code == 303 and "EVIL" in showall(client)


def test_each_app_has_its_own_csrf_token(world, client, config):
    from emulator.web.app import create_app

    other = create_app(config).test_client()
    assert csrf(other) != csrf(client)


MATRIX_WORLD = {
    "users": [{"email": "dev@example.com", "token": "dev-token"}],
    "organizations": [
        {
            "name": "acme",
            "members": ["dev@example.com"],
            "secrets": [
                {"name": "A", "value": "org", "scopes": ["web", "user"], "overrides": {"live": "org-live"}},
                {"name": "B", "value": "org-b", "scopes": ["ic"]},
                {"name": "C", "value": "org-c", "scopes": ["web"], "overrides": {"test": "org-c-test"}},
            ],
        }
    ],
    "sites": [
        {
            "name": "web",
            "owner": "acme",
            "runtime_token": "web-rt",
            "environments": {"dev": {}, "test": {}, "live": {}},
            "secrets": [
                {"name": "A", "value": "site", "scopes": ["web", "user"], "overrides": {"test": "site-test"}},
                {"name": "B", "value": "site-b", "scopes": ["user"]},
                {"name": "D", "value": "d", "scopes": ["ic", "user"], "overrides": {"live": "d-live"}},
            ],
        }
    ],
}


def matrix_cells(client, site: str, scope: str) -> dict[tuple[str, str], str]:
    page = html.unescape(client.get(f"/ui/sites/{site}/matrix?scope={scope}").get_data(as_text=True))
    table = page.split('<table id="matrix"', 1)[1]
    envs = re.findall(r'<th scope="col">([^<]+)</th>', table.split("</thead>", 1)[0])[1:]
    cells = {}
    for name, row in re.findall(r'<tr><th scope="row"><a [^>]+>([^<]+)</a></th>(.*?)</tr>', table, re.S):
        for env, layer in zip(envs, re.findall(r"<td>([^<]+)</td>", row)):
            cells[(name, env)] = layer
    return cells


@pytest.mark.parametrize("scope", policy.SECRET_SCOPES)
def test_matrix_matches_the_apis_own_resolution(client, emulator_service, scope):
    emulator_service.seed(MATRIX_WORLD)
    cells = matrix_cells(client, "web", scope)
    assert {name for name, _ in cells} == {"A", "B", "C", "D"} and len(cells) == 12
    for env in ("dev", "test", "live"):
        resolved = client.get(f"/_emulator/sites/web/environments/{env}/resolved?scope={scope}").get_json()["secrets"]
        for name in "ABCD":
            assert cells[(name, env)] == resolved.get(name, {}).get("layer", "✗"), (name, env, scope)


def test_matrix_follows_a_change_made_through_the_api(client, emulator_service):
    emulator_service.seed(MATRIX_WORLD)
    assert matrix_cells(client, "web", "web")[("A", "live")] == "site-default"
    client.patch(f"{API}/sites/web/secrets/A", json={"env": "live", "value": "x"}, headers=DEV)
    assert matrix_cells(client, "web", "web")[("A", "live")] == "site-override"
    client.delete(f"{API}/sites/web/secrets/A", headers=DEV)
    assert matrix_cells(client, "web", "web")[("A", "live")] == "org-override"


def test_provenance_page_explains_each_environment_without_values(client, emulator_service):
    emulator_service.seed(MATRIX_WORLD)
    page = text(client.get("/ui/sites/web/matrix/A?scope=web"))
    test_section = page.split('<section id="env-test"', 1)[1].split("</section>", 1)[0]
    assert "site-override supplies the value for scope 'web'; it shadows site-default, org-default." in test_section
    live_section = page.split('<section id="env-live"', 1)[1].split("</section>", 1)[0]
    assert "site-default supplies the value for scope 'web'; it shadows org-override, org-default." in live_section
    page_b = text(client.get("/ui/sites/web/matrix/B?scope=web"))
    assert "No layer carries scope 'web': site-default has scopes [user]; org-default has scopes [ic]." in page_b
    for value in ("site-test", "org-live", "site-b", "org-b"):
        assert value not in page and value not in page_b


def test_journal_lists_api_calls_newest_first_filtered_and_without_values(client, world):
    client.post(f"{API}/sites/acme-web/secrets", json={"name": "J1", "value": "JOURNAL-VALUE", "scopes": ["web"]}, headers=DEV)
    client.get(f"{API}/sites/acme-web/environments/dev/secrets", headers={"Authorization": "Bearer acme-web-runtime"})
    page = text(client.get("/ui/journal"))
    assert "JOURNAL-VALUE" not in page
    assert page.index("runtime:acme-web") < page.index("dev@example.com")  # newest first
    rows = text(client.get("/ui/journal?fragment=1&kind=management&secret=J1"))
    assert "J1" in rows and "runtime:acme-web" not in rows
    assert "No requests yet." in text(client.get("/ui/journal?fragment=1&site=personal"))


def test_env_lines_are_what_pantheon_emulator_env_prints(app, world, live_server):
    import requests

    page = html.unescape(requests.get(f"{live_server}/ui/sites/acme-web?env=live", timeout=10).text)
    shown = re.search(r'<pre id="env-lines">(.*?)</pre>', page, re.S).group(1)
    printed = CliRunner().invoke(env_command, ["acme-web.live", "--url", live_server])
    assert printed.exit_code == 0, printed.output
    assert shown == printed.output
    assert "Authorization: Bearer acme-web-runtime" in page


def test_organization_page_is_read_only(client, world):
    page = text(client.get("/ui/organizations/acme"))
    assert "Pantheon manages organization secrets from the CLI only" in page
    assert "org-value" in page and "<form" not in page.split("<main", 1)[1]


def test_reset_needs_confirmation(client, world):
    refused = post(client, "/ui/reset", {"confirm": ""})
    assert refused.status_code == 400 and M.DASHBOARD_RESET_UNCONFIRMED in text(refused)
    assert "API_KEY" in showall(client)
    assert post(client, "/ui/reset", {"confirm": "reset"}).status_code == 303
    assert client.get("/_emulator/state").get_json()["sites"] == []


def test_seed_from_file_and_export(client, world):
    exported = client.get("/ui/export")
    assert exported.headers["Content-Disposition"].startswith("attachment")
    document = json.loads(exported.get_data(as_text=True))
    assert document == client.get("/_emulator/state").get_json()
    post(client, "/ui/reset", {"confirm": "reset"})
    bad = post(client, "/ui/seed", {"seedfile": (io.BytesIO(b"{nope"), "w.json")}, content_type="multipart/form-data")
    assert bad.status_code == 400 and "The seed file is not valid JSON" in text(bad)
    good = post(
        client,
        "/ui/seed",
        {"seedfile": (io.BytesIO(json.dumps(document).encode()), "w.json")},
        content_type="multipart/form-data",
    )
    assert good.status_code == 303
    assert client.get("/_emulator/state").get_json() == document


def test_uploads_missing_empty_or_not_text_are_refused_naming_the_problem(client, world):
    nothing = post(client, "/ui/seed", {})
    assert nothing.status_code == 400 and "Choose a seed file first." in text(nothing)
    broken = post(client, "/ui/seed", {"seedfile": (io.BytesIO(b"{nope"), "w.json")}, content_type="multipart/form-data")
    assert "The seed file is not valid JSON: Expecting property name enclosed in double quotes at line 1 column 2." in text(
        broken
    )
    bulk = "/ui/sites/acme-web/bulk"
    binary = post(
        client,
        bulk,
        {"type": "env", "scope": ["ic"], "step": "preview", "envfile": (io.BytesIO(b"KEY=\xff\xfe"), "site.env")},
        content_type="multipart/form-data",
    )
    assert binary.status_code == 400 and "The .env file is not UTF-8 text." in text(binary)
    empty = post(client, bulk, {"type": "env", "scope": ["ic"], "step": "create", "lines": "# only a comment\n\n"})
    assert empty.status_code == 400 and "the file holds no NAME=value lines." in text(empty)
    assert "KEY" not in showall(client)


def test_secret_page_of_an_unknown_name_is_404_and_a_bad_value_is_refused_inline(client, world):
    missing = client.get("/ui/sites/acme-web/secrets/NOPE")
    assert missing.status_code == 404 and M.SECRET_NOT_FOUND.format(name="NOPE") in text(missing)
    client.post(f"{API}/sites/acme-web/secrets", json={"name": "BIG", "value": "v", "scopes": ["user"]}, headers=DEV)
    response = post(client, "/ui/sites/acme-web/secrets/BIG/value", {"value": "x" * 16385})
    assert response.status_code == 400
    assert f'id="error-value">Error: {M.VALUE_TOO_LARGE.format(name="BIG", size=16385, limit=16384)}' in text(response)
    assert showall(client)["BIG"]["Value"] == "v"


def test_no_value_reaches_a_log_or_a_redirect(client, world, caplog):
    caplog.set_level("DEBUG")
    response = post(
        client,
        "/ui/sites/acme-web/create",
        {"name": "CANARY", "value": "LOG-CANARY-VALUE", "type": "runtime", "scope-0": ["web"]},
    )
    assert response.status_code == 303 and "LOG-CANARY-VALUE" not in response.headers["Location"]
    post(client, "/ui/sites/acme-web/secrets/CANARY/override", {"env": "live", "value": "LOG-CANARY-LIVE"})
    post(client, "/ui/sites/acme-web/secrets/CANARY/value", {"value": "x" * 16385 + "LOG-CANARY-BIG"})
    assert "LOG-CANARY" not in caplog.text
