"""Terminus' core API under /api: login sessions, users, memberships, sites, environments."""

from __future__ import annotations

import pytest
from freezegun import freeze_time

from emulator.config import Config, load_config
from emulator.core.model import User
from emulator.core.service import user_id_of
from emulator.web.app import create_app

WORLD = {
    "users": [
        {"email": "ann@example.com", "token": "ann-token"},
        {"email": "ben@example.com", "token": "ben-token"},
    ],
    "organizations": [{"name": f"org{i:03d}", "members": ["ann@example.com"], "secrets": []} for i in range(105)]
    + [{"name": "bens-org", "members": ["ben@example.com"]}],
    "sites": [
        {
            "name": "ann-site",
            "owner": "org000",
            "framework": "wordpress",
            "environments": {"dev": {"php_version": "8.3"}, "live": {"php_version": "7.4"}},
            "secrets": [{"name": "K", "value": "v", "scopes": ["user"]}],
        },
        {"name": "ben-site", "owner": "bens-org", "environments": {"dev": {}}},
        {"name": "team-site", "members": ["ann@example.com"], "environments": {"dev": {}}},
    ],
}
ANN = user_id_of(User("ann@example.com", "ann-token"))


@pytest.fixture
def app():
    app = create_app(Config(db=":memory:", demo=False, rate_limit=False, session_ttl=600))
    app.extensions["pantheon_emulator"].seed(WORLD)
    return app


@pytest.fixture
def client(app):
    return app.test_client()


def login(client, token="ann-token") -> dict:
    response = client.post("/api/authorize/machine-token", json={"machine_token": token, "client": "terminus"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def bearer(session: dict) -> dict:
    return {"Authorization": f"Bearer {session['session']}"}


def test_login_answers_a_session_for_the_machine_tokens_user_that_expires_after_the_ttl(client):
    with freeze_time("2030-01-01 00:00:00"):
        session = login(client)
        assert session["user_id"] == ANN
        assert session["expires_at"] == 1893456000 + 600
        assert client.get(f"/api/users/{ANN}", headers=bearer(session)).get_json()["email"] == "ann@example.com"
    with freeze_time("2030-01-01 00:09:59"):
        assert client.get(f"/api/users/{ANN}", headers=bearer(session)).status_code == 200
    with freeze_time("2030-01-01 00:10:00"):
        expired = client.get(f"/api/users/{ANN}", headers=bearer(session))
        assert expired.status_code == 401
        assert expired.mimetype == "text/plain"


def test_a_bad_machine_token_is_a_plain_401_and_gives_no_session(client):
    response = client.post("/api/authorize/machine-token", json={"machine_token": "nope", "client": "terminus"})
    assert response.status_code == 401
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == "Invalid machine token."
    missing = client.post("/api/authorize/machine-token", json={"client": "terminus"})
    assert missing.status_code == 401


@pytest.mark.parametrize("scheme", ["", "Bearer "])
def test_a_session_token_authorises_the_secrets_api_raw_or_bearer(client, scheme):
    session = login(client)
    headers = {"Authorization": scheme + session["session"]}
    listing = client.get("/customer-secrets/v1/sites/ann-site/secrets/showall", headers=headers)
    assert listing.status_code == 200
    assert listing.get_json()["Secrets"]["K"]["Value"] == "v"
    refused = client.get("/customer-secrets/v1/sites/ben-site/secrets/showall", headers=headers)
    assert refused.status_code == 403


def test_an_expired_session_no_longer_authorises_the_secrets_api(client):
    with freeze_time("2030-01-01 00:00:00"):
        session = login(client)
    with freeze_time("2030-01-01 01:00:00"):
        response = client.get(
            "/customer-secrets/v1/sites/ann-site/secrets/showall", headers={"Authorization": session["session"]}
        )
    assert response.status_code == 401


def test_another_users_data_is_not_found(client):
    session = login(client)
    ben = user_id_of(User("ben@example.com", "ben-token"))
    assert client.get(f"/api/users/{ben}", headers=bearer(session)).status_code == 404
    assert client.get(f"/api/users/{ben}/memberships/organizations", headers=bearer(session)).status_code == 404


def test_organization_memberships_are_paged_as_terminus_pages_them(client):
    session = login(client)
    url = f"/api/users/{ANN}/memberships/organizations"
    first = client.get(f"{url}?limit=100", headers=bearer(session)).get_json()
    assert len(first) == 100
    rest = client.get(f"{url}?limit=100&start={first[-1]['id']}", headers=bearer(session)).get_json()
    assert rest[0]["id"] == first[-1]["id"]  # start is inclusive, as Terminus expects
    names = {m["organization"]["profile"]["machine_name"] for m in first + rest}
    assert names == {f"org{i:03d}" for i in range(105)}
    assert all(m["organization"]["id"] == m["id"] for m in first)
    bad = client.get(f"{url}?limit=many", headers=bearer(session))
    assert bad.status_code == 400
    assert "limit" in bad.get_data(as_text=True)


def test_core_api_refusals_are_plain_text_naming_the_problem(client):
    session = login(client)
    ben = user_id_of(User("ben@example.com", "ben-token"))
    anonymous = client.get(f"/api/users/{ANN}")
    assert (anonymous.status_code, anonymous.get_data(as_text=True)) == (
        401,
        "Authentication required: log in with a machine token (terminus auth:login).",
    )
    other_user = client.get(f"/api/users/{ben}", headers=bearer(session))
    assert other_user.get_data(as_text=True) == f"User '{ben}' not found."
    other_org = client.get("/api/organizations/bens-org/memberships/sites", headers=bearer(session))
    assert other_org.get_data(as_text=True) == "Organization 'bens-org' not found."
    for limit in ("many", "0", "101"):
        bad = client.get(f"/api/users/{ANN}/memberships/organizations?limit={limit}", headers=bearer(session))
        assert (bad.status_code, bad.mimetype) == (400, "text/plain")
        assert bad.get_data(as_text=True) == f"Query parameter 'limit' must be a whole number from 1 to 100, not '{limit}'."


def test_site_lookups_show_only_sites_the_user_may_manage(client):
    session = login(client)
    found = client.get("/api/site-names/ann-site", headers=bearer(session)).get_json()
    site = client.get(f"/api/sites/{found['id']}?site_state=true", headers=bearer(session)).get_json()
    assert site["id"] == found["id"]
    assert site["name"] == "ann-site"
    assert site["framework"] == "wordpress"
    org = client.get("/_emulator/organizations/org000").get_json()
    assert site["organization"] == org["id"]
    team = client.get("/api/site-names/team-site", headers=bearer(session)).get_json()
    assert client.get(f"/api/sites/{team['id']}", headers=bearer(session)).get_json()["organization"] == ""
    for ref in ("ben-site", "no-such-site"):
        response = client.get(f"/api/site-names/{ref}", headers=bearer(session))
        assert response.status_code == 404
        assert response.get_data(as_text=True) == f"Site '{ref}' not found."


def test_environments_carry_php_version_as_terminus_encodes_it(client):
    session = login(client)
    envs = client.get("/api/sites/ann-site/environments", headers=bearer(session)).get_json()
    assert {name: env["php_version"] for name, env in envs.items()} == {"dev": "83", "live": "74"}
    assert all(env["id"] == name for name, env in envs.items())


def test_site_list_memberships_cover_team_sites_and_org_sites(client):
    session = login(client)
    team = client.get(f"/api/users/{ANN}/memberships/sites?limit=100", headers=bearer(session)).get_json()
    assert [m["site"]["name"] for m in team] == ["team-site"]
    org_sites = client.get("/api/organizations/org000/memberships/sites", headers=bearer(session)).get_json()
    assert [m["site"]["name"] for m in org_sites] == ["ann-site"]
    assert client.get("/api/organizations/bens-org/memberships/sites", headers=bearer(session)).status_code == 404


def test_track_is_accepted_at_once_with_or_without_a_session(client):
    assert client.post("/api/track", json={"exit_code": 0}).status_code == 200


def test_session_ttl_comes_from_the_environment_and_must_be_positive():
    assert load_config(environ={"PANTHEON_EMULATOR_SESSION_TTL": "30"}, dotenv_path=None).session_ttl == 30
    with pytest.raises(Exception, match="session_ttl"):
        load_config({"session_ttl": 0}, dotenv_path=None)
