"""The OpenAPI document at /openapi.json is valid, complete, and true of real responses."""

from __future__ import annotations

import re

import pytest
from freezegun import freeze_time
from openapi_spec_validator import validate as validate_openapi

from emulator.core.model import User
from emulator.core.service import user_id_of
from emulator.web.openapi import build_document

from .openapi_check import NotInDocument, check_response
from .support import API, USER_TOKENS

DOC = build_document()
C = "/_emulator"


def test_document_is_valid_openapi_3_1():
    validate_openapi(DOC)
    assert DOC["openapi"] == "3.1.0"


def test_served_at_openapi_json(tenant_client):
    response = tenant_client.get("/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == DOC


def _shape(path: str) -> str:
    """A path with every parameter replaced by {}: Flask's <x> and OpenAPI's {x} alike."""
    return re.sub(r"<[^>]+>|\{[^}]+\}", "{}", path)


def _flask_routes(app) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            paths = [rule.rule]
            if "<any(sites, organizations):workspace>" in rule.rule:
                paths = [rule.rule.replace("<any(sites, organizations):workspace>", ws) for ws in ("sites", "organizations")]
            routes.update((method, _shape(p)) for p in paths)
    return routes


def test_every_route_is_documented_and_every_documented_route_exists(tenant_app):
    documented = {(m.upper(), _shape(p)) for p, ops in DOC["paths"].items() for m in ops}
    assert _flask_routes(tenant_app) == documented


def test_error_responses_are_plain_text_and_never_500_in_the_document():
    for path, ops in DOC["paths"].items():
        for method, op in ops.items():
            assert not any(code.startswith("5") for code in op["responses"]), (method, path)
            for code, response in op["responses"].items():
                if int(code) >= 400:
                    assert list(response["content"]) == ["text/plain"], (method, path, code)


def auth(user: str) -> dict:
    return {"Authorization": USER_TOKENS[user]}


RT = {"Authorization": "Bearer north-web-rt"}
SITE_SECRETS = f"{API}/sites/{{site}}/secrets"
ORG_SECRETS = f"{API}/organizations/{{org}}/secrets"
RUNTIME = f"{API}/sites/{{site}}/environments/{{env}}/secrets"
BIG = "x" * (256 * 1024 + 1)

# (method, documented path, real path, request keyword arguments, expected status)
SCENARIOS = [
    ("GET", f"{API}/sites/{{site}}/secrets/showall", f"{API}/sites/north-web/secrets/showall", {"headers": auth("alice")}, 200),
    ("GET", f"{API}/sites/{{site}}/secrets/showall", f"{API}/sites/north-web/secrets/showall", {}, 401),
    ("GET", f"{API}/sites/{{site}}/secrets/showall", f"{API}/sites/north-web/secrets/showall", {"headers": auth("bob")}, 403),
    ("GET", f"{API}/sites/{{site}}/secrets/showall", f"{API}/sites/nowhere/secrets/showall", {"headers": auth("bob")}, 404),
    ("GET", ORG_SECRETS, f"{API}/organizations/north/secrets", {"headers": auth("alice")}, 200),
    ("GET", ORG_SECRETS, f"{API}/organizations/north/secrets", {"headers": {"Authorization": "nobody"}}, 401),
    ("GET", ORG_SECRETS, f"{API}/organizations/north/secrets", {"headers": auth("carol")}, 403),
    ("GET", ORG_SECRETS, f"{API}/organizations/nowhere/secrets", {"headers": auth("carol")}, 404),
]
for ws, doc_path, real, owner in (
    ("site", SITE_SECRETS, f"{API}/sites/north-web/secrets", "alice"),
    ("org", ORG_SECRETS, f"{API}/organizations/north/secrets", "alice"),
):
    outsider = "bob"
    missing = real.replace("north", "nowhere")
    SCENARIOS += [
        ("POST", doc_path, real, {"headers": auth(owner), "json": {"name": "NEW", "value": "v", "scopes": ["web"]}}, 200),
        ("POST", doc_path, real, {"headers": auth(owner), "json": {"name": "NEW", "value": 1}}, 400),
        ("POST", doc_path, real, {"json": {"name": "NEW", "value": "v"}}, 401),
        ("POST", doc_path, real, {"headers": auth(outsider), "json": {"name": "NEW", "value": "v"}}, 403),
        ("POST", doc_path, missing, {"headers": auth(owner), "json": {"name": "NEW", "value": "v"}}, 404),
        ("POST", doc_path, real, {"headers": auth(owner), "data": BIG, "content_type": "application/json"}, 413),
    ]
    named = doc_path + "/{name}"
    name = "SITE_VISIBLE" if ws == "site" else "ORG_SHARED"
    for body, _kind in (
        ({"value": "new"}, "value"),
        ({"value": "o", "env": "live"}, "override"),
        ({"value": None, "env": "live"}, "override-delete"),
    ):
        SCENARIOS.append(("PATCH", named, f"{real}/{name}", {"headers": auth(owner), "json": body}, 200))
    SCENARIOS += [
        ("PATCH", named, f"{real}/{name}", {"headers": auth(owner), "json": {"value": "v", "type": "env"}}, 400),
        ("PATCH", named, f"{real}/{name}", {"headers": {"Authorization": ""}, "json": {"value": "v"}}, 401),
        ("PATCH", named, f"{real}/{name}", {"headers": auth(outsider), "json": {"value": "v"}}, 403),
        ("PATCH", named, f"{real}/MISSING", {"headers": auth(owner), "json": {"value": "v"}}, 404),
        ("PATCH", named, f"{real}/{name}", {"headers": auth(owner), "data": BIG, "content_type": "application/json"}, 413),
        ("DELETE", named, f"{real}/{name}", {"headers": auth(owner)}, 200),
        ("DELETE", named, f"{real}/%2e%2e", {"headers": auth(owner)}, 400),
        ("DELETE", named, f"{real}/{name}", {}, 401),
        ("DELETE", named, f"{real}/{name}", {"headers": auth(outsider)}, 403),
        ("DELETE", named, f"{real}/MISSING", {"headers": auth(owner)}, 404),
    ]
SCENARIOS += [
    ("GET", RUNTIME, f"{API}/sites/north-web/environments/live/secrets", {"headers": RT}, 200),
    ("GET", RUNTIME, f"{API}/sites/north-web/environments/live/secrets", {"headers": {"Authorization": "Bearer nope"}}, 401),
    (
        "GET",
        RUNTIME,
        f"{API}/sites/north-web/environments/live/secrets",
        {"headers": {"Authorization": "Bearer south-web-rt"}},
        403,
    ),
    ("GET", RUNTIME, f"{API}/sites/north-web/environments/nowhere/secrets", {"headers": RT}, 404),
    ("GET", RUNTIME + "/{name}", f"{API}/sites/north-web/environments/live/secrets/ORG_SHARED", {"headers": RT}, 200),
    ("GET", RUNTIME + "/{name}", f"{API}/sites/north-web/environments/live/secrets/ORG_SHARED", {}, 401),
    ("GET", RUNTIME + "/{name}", f"{API}/sites/north-web/environments/live/secrets/ORG_SHARED", {"headers": auth("alice")}, 403),
    ("GET", RUNTIME + "/{name}", f"{API}/sites/north-web/environments/live/secrets/MISSING", {"headers": RT}, 404),
    ("GET", f"{C}/health", f"{C}/health", {}, 200),
    ("POST", f"{C}/reset", f"{C}/reset", {}, 200),
    ("POST", f"{C}/seed", f"{C}/seed", {"json": {"users": [{"email": "new@example.com"}]}}, 200),
    ("POST", f"{C}/seed", f"{C}/seed", {"json": {"users": [{"email": 3}]}}, 400),
    (
        "POST",
        f"{C}/seed",
        f"{C}/seed",
        {"data": "x", "content_type": "application/json", "environ_overrides": {"CONTENT_LENGTH": str(64 * 1024 * 1024 + 1)}},
        413,
    ),
    (
        "POST",
        f"{C}/sites/{{site}}/import",
        f"{C}/sites/north-web/import",
        {"json": {"Secrets": {"IMPORTED": {"Type": "runtime", "Value": "v", "Scopes": ["web", "user"]}}}},
        200,
    ),
    ("POST", f"{C}/sites/{{site}}/import", f"{C}/sites/north-web/import", {"json": {"Secrets": []}}, 400),
    (
        "POST",
        f"{C}/sites/{{site}}/import",
        f"{C}/sites/north-web/import",
        {"data": "x", "content_type": "application/json", "environ_overrides": {"CONTENT_LENGTH": str(64 * 1024 * 1024 + 1)}},
        413,
    ),
    ("GET", f"{C}/state", f"{C}/state", {}, 200),
    ("GET", f"{C}/journal", f"{C}/journal?kind=runtime", {}, 200),
    ("GET", f"{C}/journal", f"{C}/journal?colour=red", {}, 400),
    ("GET", f"{C}/settings", f"{C}/settings", {}, 200),
    ("PATCH", f"{C}/settings", f"{C}/settings", {"json": {"cache_ttl": 5}}, 200),
    ("PATCH", f"{C}/settings", f"{C}/settings", {"json": {"cache_ttl": -5}}, 400),
    ("PATCH", f"{C}/settings", f"{C}/settings", {"data": BIG, "content_type": "application/json"}, 413),
    ("GET", f"{C}/sites/{{site}}", f"{C}/sites/north-web", {}, 200),
    ("GET", f"{C}/sites/{{site}}", f"{C}/sites/nowhere", {}, 404),
    (
        "GET",
        f"{C}/sites/{{site}}/environments/{{env}}/explain/{{name}}",
        f"{C}/sites/north-web/environments/live/explain/ORG_SHARED",
        {},
        200,
    ),
    (
        "GET",
        f"{C}/sites/{{site}}/environments/{{env}}/explain/{{name}}",
        f"{C}/sites/north-web/environments/nowhere/explain/ORG_SHARED",
        {},
        404,
    ),
    (
        "GET",
        f"{C}/sites/{{site}}/environments/{{env}}/resolved",
        f"{C}/sites/north-web/environments/live/resolved?scope=user",
        {},
        200,
    ),
    (
        "GET",
        f"{C}/sites/{{site}}/environments/{{env}}/resolved",
        f"{C}/sites/north-web/environments/live/resolved?scope=all",
        {},
        400,
    ),
    ("GET", f"{C}/sites/{{site}}/environments/{{env}}/resolved", f"{C}/sites/nowhere/environments/live/resolved", {}, 404),
    ("GET", f"{C}/organizations/{{org}}", f"{C}/organizations/north", {}, 200),
    ("GET", f"{C}/organizations/{{org}}", f"{C}/organizations/nowhere", {}, 404),
    ("GET", f"{C}/sites/{{site}}/environments/{{env}}/variables", f"{C}/sites/north-web/environments/live/variables", {}, 200),
    ("GET", f"{C}/sites/{{site}}/environments/{{env}}/variables", f"{C}/sites/north-web/environments/nowhere/variables", {}, 404),
    ("GET", "/openapi.json", "/openapi.json", {}, 200),
]

# Terminus' core API: a machine token (or the session it logs in to) authorises it.
ALICE = user_id_of(User("alice@example.com", "alice-token"))
BOB = user_id_of(User("bob@example.com", "bob-token"))
CORE = "/api"
LOGIN = f"{CORE}/authorize/machine-token"
BAD = {"headers": {"Authorization": "Bearer nobody"}}
ALICE_BEARER = {"headers": {"Authorization": "Bearer alice-token"}}
for template, real, missing in (
    (f"{CORE}/users/{{user_id}}", f"{CORE}/users/{ALICE}", f"{CORE}/users/{BOB}"),
    (
        f"{CORE}/users/{{user_id}}/memberships/organizations",
        f"{CORE}/users/{ALICE}/memberships/organizations?limit=100",
        f"{CORE}/users/{BOB}/memberships/organizations",
    ),
    (
        f"{CORE}/users/{{user_id}}/memberships/sites",
        f"{CORE}/users/{ALICE}/memberships/sites?limit=100",
        f"{CORE}/users/{BOB}/memberships/sites",
    ),
    (
        f"{CORE}/organizations/{{org_id}}/memberships/sites",
        f"{CORE}/organizations/north/memberships/sites?limit=100",
        f"{CORE}/organizations/south/memberships/sites",
    ),
    (f"{CORE}/site-names/{{name}}", f"{CORE}/site-names/north-web", f"{CORE}/site-names/south-web"),
    (f"{CORE}/sites/{{site_id}}", f"{CORE}/sites/north-web?site_state=true", f"{CORE}/sites/south-web"),
    (f"{CORE}/sites/{{site_id}}/environments", f"{CORE}/sites/north-web/environments", f"{CORE}/sites/nowhere/environments"),
    (
        f"{CORE}/sites/{{site_id}}/environments/{{env}}/settings",
        f"{CORE}/sites/north-web/environments/live/settings",
        f"{CORE}/sites/north-web/environments/nowhere/settings",
    ),
):
    SCENARIOS += [
        ("GET", template, real, ALICE_BEARER, 200),
        ("GET", template, real, BAD, 401),
        ("GET", template, missing, ALICE_BEARER, 404),
    ]
SCENARIOS += [
    (
        "GET",
        f"{CORE}/users/{{user_id}}/memberships/organizations",
        f"{CORE}/users/{ALICE}/memberships/organizations?limit=0",
        ALICE_BEARER,
        400,
    ),
    ("POST", LOGIN, LOGIN, {"json": {"machine_token": "alice-token", "client": "terminus"}}, 200),
    ("POST", LOGIN, LOGIN, {"data": "{", "content_type": "application/json"}, 400),
    ("POST", LOGIN, LOGIN, {"json": {"machine_token": "nobody", "client": "terminus"}}, 401),
    ("POST", f"{CORE}/track", f"{CORE}/track", {"json": {"exit_code": 0}}, 200),
]


@pytest.mark.parametrize(
    ("method", "template", "path", "kwargs", "status"),
    SCENARIOS,
    ids=[f"{m} {t.removeprefix(API)} {s}" for m, t, _, _, s in SCENARIOS],
)
def test_real_response_matches_the_document(tenant_client, method, template, path, kwargs, status):
    response = tenant_client.open(path, method=method, **kwargs)
    assert response.status_code == status, response.get_data(as_text=True)
    check_response(DOC, method, template, response.status_code, response.headers, response.get_data())


MANAGEMENT_OPS = [(m.upper(), p) for p, ops in DOC["paths"].items() for m, op in ops.items() if op["tags"] == ["management"]]


@pytest.mark.parametrize(("method", "template"), MANAGEMENT_OPS, ids=[f"{m} {p.removeprefix(API)}" for m, p in MANAGEMENT_OPS])
def test_rate_limited_management_response_matches_the_document(tenant_client, method, template):
    tenant_client.patch(f"{C}/settings", json={"rate_limit": True, "rate_limit_requests": 1})
    path = template.format(site="north-web", org="north", name="SITE_VISIBLE")
    with freeze_time("2030-01-01 00:00:00"):
        tenant_client.open(path, method=method, headers=auth("alice"), json={"value": "x"})
        response = tenant_client.open(path, method=method, headers=auth("alice"), json={"value": "x"})
    assert response.status_code == 429
    check_response(DOC, method, template, 429, response.headers, response.get_data())


def test_every_documented_status_is_exercised():
    """The document promises nothing the scenarios above do not show the server doing."""
    documented = {
        (m.upper(), p, int(code)) for p, ops in DOC["paths"].items() for m, op in ops.items() for code in op["responses"]
    }
    shown = {(m, t, s) for m, t, _, _, s in SCENARIOS} | {(m, p, 429) for m, p in MANAGEMENT_OPS}
    assert documented == shown


def test_the_checker_rejects_what_the_document_does_not_describe(tenant_client):
    """The conformance check itself can fail: a wrong status, type or body is caught."""
    template = f"{C}/health"
    with pytest.raises(NotInDocument, match="answered 404"):
        check_response(DOC, "GET", template, 404, {"Content-Type": "text/plain"}, b"x")
    with pytest.raises(NotInDocument, match="text/html"):
        check_response(DOC, "GET", template, 200, {"Content-Type": "text/html"}, b"<p>")
    with pytest.raises(NotInDocument, match="breaks its schema"):
        check_response(DOC, "GET", template, 200, {"Content-Type": "application/json"}, b'{"status": "ok"}')
