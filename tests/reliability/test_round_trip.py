"""#14 item 2: whatever state the API can produce, export -> seed recreates it exactly."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulator.config import Config
from emulator.web.app import create_app

from .support import API

WORLD = {
    "users": [{"email": "alice@example.com", "token": "alice-token"}],
    "organizations": [
        {
            "name": "acme",
            "members": ["alice@example.com"],
            "secrets": [{"name": "API_KEY", "value": "org"}, {"name": "TOKEN", "value": "org", "scopes": ["web", "user"]}],
        }
    ],
    "sites": [
        {
            "name": "web",
            "owner": "acme",
            "members": ["alice@example.com"],
            "runtime_token": "web-rt",
            "secrets": [{"name": "TOKEN", "value": "site", "overrides": {"live": "site-live"}}],
        },
        {"name": "solo", "members": ["alice@example.com"], "runtime_token": "solo-rt"},
    ],
}
AUTH = {"Authorization": "alice-token"}
OWNERS = ("organizations/acme", "sites/web", "organizations/acme", "sites/web", "sites/solo")
NAMES = ("API_KEY", "TOKEN")
ENVS = ("dev", "test", "live")
SCOPES = (["web"], ["user"], ["web", "ic", "user"])

calls = st.one_of(
    st.tuples(st.just("create"), st.sampled_from(OWNERS), st.sampled_from(NAMES), st.sampled_from(SCOPES)),
    st.tuples(st.just("update"), st.sampled_from(OWNERS), st.sampled_from(NAMES), st.text("abc", max_size=3)),
    st.tuples(st.just("override"), st.sampled_from(OWNERS), st.sampled_from(NAMES), st.sampled_from(ENVS)),
    st.tuples(st.just("delete-override"), st.sampled_from(OWNERS), st.sampled_from(NAMES), st.sampled_from(ENVS)),
    st.tuples(st.just("delete"), st.sampled_from(OWNERS), st.sampled_from(NAMES), st.none()),
)


def _app():
    return create_app(Config(db=":memory:", demo=False, rate_limit=False))


def _call(client, step: int, call) -> int:
    action, owner, name, arg = call
    url = f"{API}/{owner}/secrets"
    if action == "create":
        body = {"name": name, "value": f"v{step}", "type": "env", "scopes": arg}
        return client.post(url, json=body, headers=AUTH).status_code
    if action == "update":
        return client.patch(f"{url}/{name}", json={"value": f"u{step}{arg}"}, headers=AUTH).status_code
    if action == "override":
        return client.patch(f"{url}/{name}", json={"env": arg, "value": f"o{step}"}, headers=AUTH).status_code
    if action == "delete-override":
        return client.patch(f"{url}/{name}", json={"env": arg, "value": None}, headers=AUTH).status_code
    return client.delete(f"{url}/{name}", headers=AUTH).status_code


def _round_trip(state, fresh=None):
    fresh = fresh or _app().test_client()
    seeded = fresh.post("/_emulator/seed", json=state)
    assert seeded.status_code == 200, seeded.get_data(as_text=True)
    return fresh.get("/_emulator/state").get_json()


def test_the_reported_case_seeds_back(tmp_path):
    """A site override on the org's API_KEY, then the org's API_KEY deleted: the export seeds
    into a fresh emulator and `serve --seed` starts from it."""
    client = _app().test_client()
    client.post("/_emulator/seed", json=WORLD)  # acme holds API_KEY
    assert client.patch(f"{API}/sites/web/secrets/API_KEY", json={"env": "test", "value": "t"}, headers=AUTH).status_code == 200
    assert client.delete(f"{API}/organizations/acme/secrets/API_KEY", headers=AUTH).status_code == 200
    state = client.get("/_emulator/state").get_json()
    assert _round_trip(state) == state
    backup = tmp_path / "backup.json"
    backup.write_text(json.dumps(state))
    served = create_app(Config(db=str(tmp_path / "s.sqlite3"), seed=str(backup), demo=False, rate_limit=False))
    assert served.test_client().get("/_emulator/state").get_json() == state
    runtime = served.test_client().get(f"{API}/sites/web/environments/test/secrets", headers={"Authorization": "Bearer web-rt"})
    assert runtime.status_code == 200


def test_export_seed_export_is_the_same_document():
    client, fresh = _app().test_client(), _app().test_client()
    control = {"X-Pantheon-Emulator": "1"}

    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(calls, min_size=1, max_size=30))
    def prop(sequence):
        client.post("/_emulator/reset", headers=control)
        fresh.post("/_emulator/reset", headers=control)  # empty, as a new emulator is
        client.post("/_emulator/seed", json=WORLD)
        for step, call in enumerate(sequence):
            assert _call(client, step, call) < 500
        state = client.get("/_emulator/state").get_json()
        assert _round_trip(state, fresh) == state

    prop()
