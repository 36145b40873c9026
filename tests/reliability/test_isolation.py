"""Tenant isolation: who can reach what (SPEC §1), redaction on every list, and no value ever leaks.

The access oracle (SITE_MANAGERS, ORG_MEMBERS in support.py) is written out by hand from
SPEC §1, not computed by the code under test.
"""

from __future__ import annotations

import json

import pytest
import requests

from .support import (
    API,
    ORG_MEMBERS,
    RUNTIME_TOKENS,
    SITE_MANAGERS,
    TENANT_WORLD,
    USER_TOKENS,
    running_server,
    seeded_values,
)

# caller id -> Authorization header (None: no header)
CALLERS = {
    **{user: token for user, token in USER_TOKENS.items()},
    "alice-bearer": "Bearer alice-token",
    **{f"rt:{site}": f"Bearer {token}" for site, token in RUNTIME_TOKENS.items()},
    "unknown-token": "Bearer made-up-token",
    "no-token": None,
}
SITES = list(SITE_MANAGERS)
ORGS = list(ORG_MEMBERS)
TARGETS = [("site", s) for s in SITES] + [("org", o) for o in ORGS] + [("site", "ghost-site"), ("org", "ghost-org")]


def user_of(caller: str) -> str | None:
    """The user a caller authenticates as on the management API, if any."""
    if caller == "alice-bearer":
        return "alice"
    return caller if caller in USER_TOKENS else None


def expected_management_status(caller: str, kind: str, target: str) -> int:
    user = user_of(caller)
    if user is None:
        return 401  # no token, a made-up one, or a site's runtime token
    allowed = SITE_MANAGERS if kind == "site" else ORG_MEMBERS
    if target not in allowed:
        return 404
    return 200 if user in allowed[target] else 403


def management_requests(kind: str, target: str) -> list[tuple[str, str, dict | None]]:
    base = f"{API}/{'sites' if kind == 'site' else 'organizations'}/{target}/secrets"
    known = TENANT_WORLD["sites" if kind == "site" else "organizations"]
    name = next((o["secrets"][0]["name"] for o in known if o["name"] == target), "ANY_NAME")
    return [
        ("GET", f"{base}/showall" if kind == "site" else base, None),
        ("POST", base, {"name": "ISO_NEW", "value": "SV-iso-new", "scopes": ["web", "user"]}),
        ("PATCH", f"{base}/{name}", {"value": "SV-iso-changed"}),
        ("PATCH", f"{base}/{name}", {"value": "SV-iso-override", "env": "live"}),
        ("PATCH", f"{base}/{name}", {"value": None, "env": "live"}),
        ("DELETE", f"{base}/{name}", None),
    ]


def owners_state(state: dict) -> dict[tuple[str, str], list]:
    """Each owner's secrets in an exported state."""
    return {
        **{("site", s["name"]): s["secrets"] for s in state["sites"]},
        **{("org", o["name"]): o["secrets"] for o in state["organizations"]},
    }


@pytest.mark.parametrize(("kind", "target"), TARGETS, ids=[f"{k}:{t}" for k, t in TARGETS])
@pytest.mark.parametrize("caller", list(CALLERS))
def test_management_api_access_matrix(tenant_client, caller, kind, target):
    """Every management route answers 200 exactly where SPEC §1 allows; a refusal changes nothing,
    and an allowed write changes only its own target."""
    header = CALLERS[caller]
    expected = expected_management_status(caller, kind, target)
    for method, path, body in management_requests(kind, target):
        before = owners_state(tenant_client.get("/_emulator/state").get_json())
        response = tenant_client.open(path, method=method, json=body, headers={"Authorization": header} if header else {})
        assert response.status_code == expected, (
            f"{caller} {method} {path}: {response.status_code} {response.get_data(as_text=True)}"
        )
        after = owners_state(tenant_client.get("/_emulator/state").get_json())
        changed = {owner for owner in before if before[owner] != after[owner]}
        if expected != 200 or method == "GET":
            assert changed == set(), f"{caller} {method} {path} changed {changed}"
            assert response.mimetype == "text/plain" or expected == 200
        else:
            assert changed == {(kind, target)}, f"{caller} {method} {path} changed {changed}"


def expected_runtime_status(caller: str, site: str) -> int:
    if caller in ("unknown-token", "no-token"):
        return 401
    if site not in RUNTIME_TOKENS:
        return 404
    return 200 if caller == f"rt:{site}" else 403  # a user's token is not a runtime token


RUNTIME_TARGETS = [*SITES, "ghost-site"]


@pytest.mark.parametrize("site", RUNTIME_TARGETS)
@pytest.mark.parametrize("caller", list(CALLERS))
def test_runtime_read_access_matrix(tenant_client, caller, site):
    """Only a site's own runtime token reads its values; nothing else gets them, or learns if the site exists."""
    header = CALLERS[caller]
    expected = expected_runtime_status(caller, site)
    for path in (f"{API}/sites/{site}/environments/dev/secrets", f"{API}/sites/{site}/environments/dev/secrets/SITE_VISIBLE"):
        response = tenant_client.get(path, headers={"Authorization": header} if header else {})
        assert response.status_code == expected, f"{caller} GET {path}: {response.get_data(as_text=True)}"
        if expected == 200:
            payload = response.get_json()
            text = json.dumps(payload)
            others = seeded_values(_world_without(site))
            assert not [v for v in others if v in text], f"{caller} read another tenant's value"


def _world_without(site: str) -> dict:
    """TENANT_WORLD minus the site and its owner organization: the values the site must never see."""
    spec = next(s for s in TENANT_WORLD["sites"] if s["name"] == site)
    return {
        "organizations": [o for o in TENANT_WORLD["organizations"] if o["name"] != spec.get("owner")],
        "sites": [s for s in TENANT_WORLD["sites"] if s["name"] != site],
    }


# -- redaction ------------------------------------------------------------------------------------


def _seeded(kind: str, owner: str) -> dict[str, dict]:
    key = "sites" if kind == "site" else "organizations"
    spec = next(o for o in TENANT_WORLD[key] if o["name"] == owner)
    return {s["name"]: s for s in spec.get("secrets", [])}


def _check_layer(entry_values: dict, seeded: dict | None, where: str) -> None:
    """Values of one layer: shown if its secret has the `user` scope, else every one is null."""
    if seeded is None:
        return
    visible = "user" in seeded["scopes"]
    for key, value in entry_values.items():
        expected = (seeded["value"] if key in ("Value", "default") else seeded["overrides"][key]) if visible else None
        assert value == expected, f"{where} {key}: {value!r}"


def hidden_values() -> set[str]:
    """Every seeded value whose secret lacks the `user` scope."""
    hidden = set()
    for owner in (*TENANT_WORLD["organizations"], *TENANT_WORLD["sites"]):
        for secret in owner["secrets"]:
            if "user" not in secret["scopes"]:
                hidden.add(secret["value"])
                hidden.update(secret.get("overrides", {}).values())
    return hidden


LIST_PATHS = [("site", s, m) for s, managers in SITE_MANAGERS.items() for m in sorted(managers)] + [
    ("org", o, m) for o, members in ORG_MEMBERS.items() for m in sorted(members)
]


@pytest.mark.parametrize(("kind", "owner", "user"), LIST_PATHS, ids=[f"{k}:{o}:{u}" for k, o, u in LIST_PATHS])
def test_every_list_redacts_values_without_user_scope(tenant_client, kind, owner, user):
    headers = {"Authorization": USER_TOKENS[user]}
    if kind == "site":  # add an override to a hidden site secret and an overrides-only entry over a hidden org one
        base = f"{API}/sites/{owner}/secrets"
        assert (
            tenant_client.patch(
                f"{base}/SITE_HIDDEN", headers=headers, json={"value": "SV-added-hidden", "env": "dev"}
            ).status_code
            == 200
        )
        org = next(s for s in TENANT_WORLD["sites"] if s["name"] == owner).get("owner")
        if org:
            assert (
                tenant_client.patch(
                    f"{base}/ORG_HIDDEN", headers=headers, json={"value": "SV-added-org-hidden", "env": "dev"}
                ).status_code
                == 200
            )
        path = f"{base}/showall"
    else:
        path = f"{API}/organizations/{owner}/secrets"
    response = tenant_client.get(path, headers=headers)
    assert response.status_code == 200
    listing = response.get_json()
    text = response.get_data(as_text=True)
    for hidden in (*hidden_values(), "SV-added-hidden", "SV-added-org-hidden"):
        assert hidden not in text, f"{hidden} listed on {path}"
    state = tenant_client.get("/_emulator/state").get_json()
    stored_site = {}
    if kind == "site":
        stored_site = {s["name"]: s for s in next(x for x in state["sites"] if x["name"] == owner)["secrets"]}
    site_org = next((s.get("owner") for s in TENANT_WORLD["sites"] if s["name"] == owner), None) if kind == "site" else None
    org_layer = _seeded("org", owner if kind == "org" else site_org) if (kind == "org" or site_org) else {}
    for name, entry in listing["Secrets"].items():
        own = stored_site.get(name) if kind == "site" else org_layer.get(name)
        if own is not None:
            _check_layer(
                {"Value": entry["Value"], **entry["EnvValues"]},
                {**own, "value": own["value"], "overrides": own.get("overrides", {})},
                f"{path} {name}",
            )
        if kind == "site" and name in org_layer:
            _check_layer(
                entry["OrgValues"],
                {**org_layer[name], "overrides": org_layer[name].get("overrides", {})},
                f"{path} {name} OrgValues",
            )
    others = (
        seeded_values(_world_without(owner))
        if kind == "site"
        else seeded_values(
            {"organizations": [o for o in TENANT_WORLD["organizations"] if o["name"] != owner], "sites": TENANT_WORLD["sites"]}
        )
    )
    assert not [v for v in others if v in text], f"another tenant's value listed on {path}"


# -- values never in logs, errors or the journal -----------------------------------------------------

LEAK = "SV-leak-canary"


def hostile_and_normal_requests(url: str) -> list[requests.Response]:
    """A battery of requests carrying secret values, most of them refused."""
    alice = {"Authorization": "alice-token"}
    site = f"{url}{API}/sites/north-web/secrets"
    send = requests.request
    big = LEAK + "x" * 17_000
    return [
        send("POST", site, headers=alice, json={"name": "LEAK_OK", "value": LEAK + "-created", "scopes": ["web", "user"]}),
        send("POST", site, headers=alice, json={"name": "LEAK_OK", "value": LEAK + "-again"}),  # already exists
        send("POST", site, headers=alice, json={"name": "LEAK_OK", "value": LEAK + "-typed", "type": "env", "scopes": ["web"]}),
        send("PATCH", f"{site}/LEAK_OK", headers=alice, json={"value": LEAK + "-immutable", "type": "file"}),
        send("PATCH", f"{site}/LEAK_OK", headers=alice, json={"value": LEAK + "-bad-env", "env": "no such env!"}),
        send("PATCH", f"{site}/LEAK_OK", headers=alice, json={"value": LEAK + "-ghost-env", "env": "ghost"}),
        send("PATCH", f"{site}/MISSING", headers=alice, json={"value": LEAK + "-missing", "env": "live"}),
        send("PATCH", f"{site}/MISSING", headers=alice, json={"value": LEAK + "-missing"}),
        send("POST", site, headers=alice, json={"name": "LEAK_BIG", "value": big}),
        send("POST", site, headers=alice, json={"name": "LEAK_BAD NAME", "value": LEAK + "-badname"}),
        send("POST", site, headers=alice, json={"name": "LEAK_X", "value": LEAK + "-field", "colour": LEAK + "-unknown"}),
        send(
            "POST",
            site,
            headers={**alice, "Content-Type": "application/json"},
            data='{"name": "LEAK_J", "value": "' + LEAK + '-json" }x',
        ),
        send(
            "POST", site, headers={**alice, "Content-Type": "text/plain"}, data='{"name": "LEAK_T", "value": "' + LEAK + '-text"}'
        ),
        send("POST", site, headers={"Authorization": "bob-token"}, json={"name": "LEAK_F", "value": LEAK + "-forbidden"}),
        send("POST", site, json={"name": "LEAK_U", "value": LEAK + "-unauthenticated"}),
        send("PATCH", f"{site}/LEAK_OK", headers=alice, json={"value": LEAK + "-updated"}),
        send("PATCH", f"{site}/LEAK_OK", headers=alice, json={"value": LEAK + "-live", "env": "live"}),
        send("GET", f"{url}{API}/sites/north-web/environments/live/secrets", headers={"Authorization": "Bearer north-web-rt"}),
        send(
            "GET",
            f"{url}{API}/sites/north-web/environments/live/secrets/MISSING",
            headers={"Authorization": "Bearer north-web-rt"},
        ),
        send("POST", f"{url}/_emulator/seed", json={"sites": [{"name": "north-web", "secrets": [{"name": "S", "value": big}]}]}),
        send("DELETE", f"{site}/LEAK_OK", headers=alice),
    ]


@pytest.mark.slow
def test_secret_values_never_reach_logs_errors_or_the_journal(tmp_path):
    with running_server("--db", str(tmp_path / "store.sqlite3"), "--port", "0", "--no-rate-limit", cwd=tmp_path) as server:
        assert requests.post(f"{server.url}/_emulator/seed", json=TENANT_WORLD, timeout=30).status_code == 200
        responses = hostile_and_normal_requests(server.url)
        journal = requests.get(f"{server.url}/_emulator/journal", timeout=30).text
    assert any(r.status_code >= 400 for r in responses) and any(r.ok for r in responses)
    assert all(r.status_code < 500 for r in responses), [r.text for r in responses if r.status_code >= 500]
    errors = "\n".join(r.text for r in responses if r.status_code >= 400)
    values = seeded_values() | {LEAK}
    for where, text in (("error bodies", errors), ("the journal", journal), ("server output", server.output)):
        leaked = sorted(v for v in values if v in text)
        assert leaked == [], f"secret values in {where}: {leaked}"
    assert "LEAK_OK" in journal, "the journal records names (so the scan above looks at real entries)"
