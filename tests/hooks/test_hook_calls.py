"""Each hook, as the docs' example uses it, acting on requests through the Flask test client."""

from __future__ import annotations

import json
import logging

import pytest
from flask import Response
from freezegun import freeze_time

from emulator import Forbidden, InvalidInput, hookimpl
from emulator.config import Config
from emulator.web.app import create_app

from ._support import example_plugin

API = "/customer-secrets/v1"
DEV = {"Authorization": "dev-token"}


def site_secrets(client, site="acme-web") -> dict:
    return client.get(f"{API}/sites/{site}/secrets/showall", headers=DEV).json["Secrets"]


def lazy(hook: str, index: int = 0):
    """A ``plugins`` parameter: the docs' example for ``hook``, built when the test runs."""
    return pytest.param([("docs", hook, index)], id=f"docs-{hook}-{index}")


@pytest.fixture
def plugins(request):
    """Docs examples named by ``lazy()``, or plugin objects given directly."""
    given = getattr(request, "param", [])
    return [example_plugin(p[1], p[2]) if isinstance(p, tuple) else p for p in given]


# -- pantheon_emulator_startup -------------------------------------------------------------


@pytest.mark.parametrize("plugins", [lazy("pantheon_emulator_startup")], indirect=True)
def test_startup_example_adds_a_route_that_sees_the_emulator(client, world):
    assert client.get("/_team/sites").json == ["acme-web", "personal"]


def test_startup_receives_the_app_the_emulator_and_the_config(config):
    seen = {}

    class Probe:
        @hookimpl
        def pantheon_emulator_startup(self, app, emulator, config):
            seen.update(app=app, emulator=emulator, config=config)

    app = create_app(config, plugins=[Probe()])
    assert seen == {"app": app, "emulator": app.extensions["pantheon_emulator"], "config": config}


# -- pantheon_emulator_seed_world ----------------------------------------------------------

TEAM_WORLD = {
    "users": [{"email": "ops@acme.test", "token": "ops-token"}],
    "sites": [{"name": "acme-shop", "members": ["ops@acme.test"], "secrets": [{"name": "K", "value": "v"}]}],
}


def site_names(app) -> list[str]:
    return [site.name for site in app.extensions["pantheon_emulator"].sites()]


def test_seed_world_example_replaces_the_demo_world_with_the_teams_own(tmp_path):
    world = tmp_path / "world.json"
    world.write_text(json.dumps(TEAM_WORLD), encoding="utf-8")
    config = Config(db=":memory:", plugin_settings={"TEAM_WORLD": str(world)})
    app = create_app(config, plugins=[example_plugin("pantheon_emulator_seed_world")])
    assert site_names(app) == ["acme-shop"]
    listing = app.test_client().get(f"{API}/sites/acme-shop/secrets/showall", headers={"Authorization": "ops-token"})
    assert listing.json["Secrets"]["K"]["Value"] == "v"


def test_seed_world_example_passes_without_its_setting_and_the_demo_world_follows():
    app = create_app(Config(db=":memory:"), plugins=[example_plugin("pantheon_emulator_seed_world")])
    assert site_names(app) == ["demo-site"]


def test_seed_world_is_not_asked_when_the_store_already_holds_a_world(tmp_path):
    db = str(tmp_path / "store.sqlite3")
    create_app(Config(db=db)).extensions["pantheon_emulator"].close()

    class Team:
        @hookimpl
        def pantheon_emulator_seed_world(self):
            return TEAM_WORLD

    assert site_names(create_app(Config(db=db), plugins=[Team()])) == ["demo-site"]


def test_a_bad_world_from_a_plugin_stops_start_up_naming_the_entry():
    class Broken:
        @hookimpl
        def pantheon_emulator_seed_world(self):
            return {"sites": [{"name": "x", "owner": "nobody"}]}

    with pytest.raises(InvalidInput, match=r"Seed rejected at sites\[0\]\.owner: unknown organization 'nobody'"):
        create_app(Config(db=":memory:"), plugins=[Broken()])


# -- pantheon_emulator_validate_secret -----------------------------------------------------

VALIDATE = lazy("pantheon_emulator_validate_secret")


@pytest.mark.parametrize("plugins", [VALIDATE], indirect=True)
def test_validate_example_refuses_a_create_with_400_and_its_message(client, world):
    response = client.post(f"{API}/sites/acme-web/secrets", json={"name": "db_host", "value": "x", "type": "env"}, headers=DEV)
    assert (response.status_code, response.text) == (400, "Secret 'db_host': our build variables are UPPER_CASE.")
    assert response.mimetype == "text/plain"
    assert "db_host" not in site_secrets(client)


@pytest.mark.parametrize("plugins", [VALIDATE], indirect=True)
def test_validate_example_refuses_an_update_and_keeps_the_old_value(client, world):
    assert (
        client.post(
            f"{API}/sites/acme-web/secrets", json={"name": "K", "value": "real", "scopes": ["user"]}, headers=DEV
        ).status_code
        == 200
    )
    response = client.patch(f"{API}/sites/acme-web/secrets/K", json={"value": "TODO fill in"}, headers=DEV)
    assert (response.status_code, response.text) == (400, "Secret 'K' still holds a placeholder value.")
    assert site_secrets(client)["K"]["Value"] == "real"


@pytest.mark.parametrize("plugins", [VALIDATE], indirect=True)
def test_validate_example_refuses_an_override_and_stores_none(client, world):
    client.post(f"{API}/sites/acme-web/secrets", json={"name": "K", "value": "real"}, headers=DEV)
    response = client.patch(f"{API}/sites/acme-web/secrets/K", json={"env": "live", "value": "TODO"}, headers=DEV)
    assert response.status_code == 400
    assert site_secrets(client)["K"]["EnvValues"] == {}


@pytest.mark.parametrize("plugins", [VALIDATE], indirect=True)
def test_validate_example_lets_good_secrets_through(client, world):
    response = client.post(f"{API}/sites/acme-web/secrets", json={"name": "DB_HOST", "value": "db", "type": "env"}, headers=DEV)
    assert response.status_code == 200
    assert "DB_HOST" in site_secrets(client)


def test_a_validator_sees_the_change_and_may_raise_an_emulator_error(config):
    seen = []

    class Guard:
        @hookimpl
        def pantheon_emulator_validate_secret(self, change, value):
            seen.append((change.action, change.owner_name, change.secret, change.environment, change.actor, value))
            if change.environment == "live":
                raise Forbidden("Only the release pipeline sets live overrides.")

    client = create_app(Config(db=":memory:", rate_limit=False), plugins=[Guard()]).test_client()
    demo = {"Authorization": "demo-token"}
    client.post(f"{API}/sites/demo-site/secrets", json={"name": "K", "value": "one"}, headers=demo)
    client.patch(f"{API}/sites/demo-site/secrets/K", json={"value": "two"}, headers=demo)
    refused = client.patch(f"{API}/sites/demo-site/secrets/K", json={"env": "live", "value": "three"}, headers=demo)
    assert (refused.status_code, refused.text) == (403, "Only the release pipeline sets live overrides.")
    assert seen == [
        ("create", "demo-site", "K", None, "demo@example.com", "one"),
        ("update", "demo-site", "K", None, "demo@example.com", "two"),
        ("override", "demo-site", "K", "live", "demo@example.com", "three"),
    ]


# -- pantheon_emulator_secret_changed ------------------------------------------------------


class NamesOnly:
    """Declares only ``change``: must never meet a value."""

    def __init__(self):
        self.changes = []

    @hookimpl
    def pantheon_emulator_secret_changed(self, change):
        self.changes.append(change)


class WithValues:
    """Declares ``value`` too: opts in to the values."""

    def __init__(self):
        self.values = []

    @hookimpl
    def pantheon_emulator_secret_changed(self, change, value):
        self.values.append((change.action, value))


def scripted_session(client) -> None:
    """Every kind of change once, by dev@example.com, plus two requests that change nothing."""
    client.post(
        f"{API}/organizations/acme/secrets", json={"name": "ORG_TOKEN", "value": "org-secret-1", "scopes": ["web"]}, headers=DEV
    )
    client.post(
        f"{API}/sites/acme-web/secrets",
        json={"name": "API_TOKEN", "value": "site-secret-1", "scopes": ["web", "user"]},
        headers=DEV,
    )
    client.patch(f"{API}/sites/acme-web/secrets/API_TOKEN", json={"value": "site-secret-2"}, headers=DEV)
    client.patch(f"{API}/sites/acme-web/secrets/API_TOKEN", json={"env": "live", "value": "live-secret-3"}, headers=DEV)
    client.patch(f"{API}/sites/acme-web/secrets/API_TOKEN", json={"env": "live", "value": None}, headers=DEV)
    client.patch(f"{API}/sites/acme-web/secrets/API_TOKEN", json={"env": "test", "value": None}, headers=DEV)  # none there
    client.post(f"{API}/sites/acme-web/secrets", json={"name": "bad name", "value": "rejected-secret"}, headers=DEV)  # 400
    client.delete(f"{API}/sites/acme-web/secrets/API_TOKEN", headers=DEV)


SESSION_VALUES = ("org-secret-1", "site-secret-1", "site-secret-2", "live-secret-3", "rejected-secret")


def test_every_change_is_reported_with_actor_and_time_and_no_value(config):
    names, values = NamesOnly(), WithValues()
    app = create_app(config, plugins=[names, values])

    app.extensions["pantheon_emulator"].seed(
        {
            "users": [{"email": "dev@example.com", "token": "dev-token"}],
            "organizations": [{"name": "acme", "members": ["dev@example.com"]}],
            "sites": [{"name": "acme-web", "owner": "acme"}],
        }
    )
    with freeze_time("2025-01-02 03:04:05"):
        scripted_session(app.test_client())
    summary = [
        (c.action, c.owner_kind, c.owner_name, c.secret, c.environment, c.actor, c.time, c.type, c.scopes) for c in names.changes
    ]
    at = "2025-01-02T03:04:05.000Z"
    assert summary == [
        ("create", "org", "acme", "ORG_TOKEN", None, "dev@example.com", at, "runtime", ("web",)),
        ("create", "site", "acme-web", "API_TOKEN", None, "dev@example.com", at, "runtime", ("web", "user")),
        ("update", "site", "acme-web", "API_TOKEN", None, "dev@example.com", at, "runtime", ("web", "user")),
        ("override", "site", "acme-web", "API_TOKEN", "live", "dev@example.com", at, "runtime", ("web", "user")),
        ("delete-override", "site", "acme-web", "API_TOKEN", "live", "dev@example.com", at, "runtime", ("web", "user")),
        ("delete", "site", "acme-web", "API_TOKEN", None, "dev@example.com", at, None, None),
    ]
    assert not any(value in repr(names.changes) for value in SESSION_VALUES)
    assert values.values == [
        ("create", "org-secret-1"),
        ("create", "site-secret-1"),
        ("update", "site-secret-2"),
        ("override", "live-secret-3"),
        ("delete-override", None),
        ("delete", None),
    ]


@pytest.mark.parametrize("plugins", [lazy("pantheon_emulator_secret_changed")], indirect=True)
def test_secret_changed_example_logs_names_never_values(client, world, caplog):
    caplog.set_level(logging.INFO, logger="acme.secrets")
    with freeze_time("2025-01-02 03:04:05"):
        client.post(f"{API}/sites/acme-web/secrets", json={"name": "API_TOKEN", "value": "s3cr3t-value"}, headers=DEV)
        client.patch(f"{API}/sites/acme-web/secrets/API_TOKEN", json={"env": "live", "value": "l1ve-value"}, headers=DEV)
    assert caplog.messages == [
        "2025-01-02T03:04:05.000Z: create API_TOKEN of acme-web by dev@example.com",
        "2025-01-02T03:04:05.000Z: override API_TOKEN of acme-web.live by dev@example.com",
    ]
    assert "s3cr3t" not in caplog.text and "l1ve" not in caplog.text


@pytest.mark.parametrize("plugins", [lazy("pantheon_emulator_secret_changed", 1)], indirect=True)
def test_secret_changed_example_that_declares_value_receives_it(app, client, world):
    client.post(f"{API}/sites/acme-web/secrets", json={"name": "K", "value": "v1"}, headers=DEV)
    client.patch(f"{API}/sites/acme-web/secrets/K", json={"env": "live", "value": "v-live"}, headers=DEV)
    plugin = app.extensions["pantheon_emulator"].hooks.list_name_plugin()[-1][1]
    assert plugin.LAST_WRITTEN == {("acme-web", "K", None): "v1", ("acme-web", "K", "live"): "v-live"}
    client.delete(f"{API}/sites/acme-web/secrets/K", headers=DEV)
    assert plugin.LAST_WRITTEN == {("acme-web", "K", "live"): "v-live"}  # a delete names no environment


def test_a_failing_observer_is_logged_and_the_change_stands(config, caplog):
    class Broken:
        @hookimpl
        def pantheon_emulator_secret_changed(self, change):
            raise OSError("disk full")

    client = create_app(Config(db=":memory:", rate_limit=False), plugins=[Broken()]).test_client()
    response = client.post(
        f"{API}/sites/demo-site/secrets", json={"name": "K", "value": "kept-value"}, headers={"Authorization": "demo-token"}
    )
    assert response.status_code == 200
    assert "K" in client.get(f"{API}/sites/demo-site/secrets/showall", headers={"Authorization": "demo-token"}).json["Secrets"]
    assert "pantheon_emulator_secret_changed hook failed after create of secret 'K'; the change stands." in caplog.text
    assert "kept-value" not in caplog.text


# -- pantheon_emulator_request -------------------------------------------------------------


@pytest.mark.parametrize("plugins", [lazy("pantheon_emulator_request")], indirect=True)
def test_request_example_answers_instead_of_the_view_and_changes_nothing(client, world):
    outage = {**DEV, "X-Simulate-Outage": "1"}
    response = client.post(f"{API}/sites/acme-web/secrets", json={"name": "K", "value": "v"}, headers=outage)
    assert (response.status_code, response.text, response.headers["Retry-After"]) == (503, "Simulated outage.", "2")
    assert "K" not in site_secrets(client)
    assert client.get("/_emulator/journal?status=503").json["entries"][0]["path"] == f"{API}/sites/acme-web/secrets"
    assert client.post(f"{API}/sites/acme-web/secrets", json={"name": "K", "value": "v"}, headers=DEV).status_code == 200


# -- pantheon_emulator_response ------------------------------------------------------------


@pytest.mark.parametrize("plugins", [lazy("pantheon_emulator_response")], indirect=True)
def test_response_example_shapes_every_response_errors_included(client, world):
    assert client.get(f"{API}/sites/acme-web/secrets/showall", headers=DEV).headers["X-Served-By"] == "pantheon-secrets-emulator"
    missing = client.get("/no/such/route", headers={"X-Simulate-Latency": "0.001"})
    assert missing.status_code == 404
    assert missing.headers["X-Served-By"] == "pantheon-secrets-emulator"


def test_a_replacement_response_is_sent_and_journaled(config):
    class Teapot:
        @hookimpl
        def pantheon_emulator_response(self, request, response):
            if request.path.endswith("/showall"):
                return Response("short and stout", status=418)
            return None

    client = create_app(Config(db=":memory:", rate_limit=False), plugins=[Teapot()]).test_client()
    response = client.get(f"{API}/sites/demo-site/secrets/showall", headers={"Authorization": "demo-token"})
    assert (response.status_code, response.text) == (418, "short and stout")
    assert [e["status"] for e in client.get("/_emulator/journal").json["entries"]] == [418]


# -- no plugin, no cost --------------------------------------------------------------------


def test_hooks_nobody_implements_are_not_called(app, client, world):
    called = []
    pm = app.extensions["pantheon_emulator"].hooks
    pm.add_hookcall_monitoring(lambda name, impls, kwargs: called.append(name), lambda *args: None)
    client.post(f"{API}/sites/acme-web/secrets", json={"name": "K", "value": "v"}, headers=DEV)
    client.delete(f"{API}/sites/acme-web/secrets/K", headers=DEV)
    assert called == []
