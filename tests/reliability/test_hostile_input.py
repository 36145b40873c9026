"""Hostile requests: each gets a clear 4xx in plain text, and the store is left exactly as it was."""

from __future__ import annotations

import pytest

from .support import API, raw_exchange

SITE = f"{API}/sites/north-web/secrets"
ORG = f"{API}/organizations/north/secrets"
ALICE = {"Authorization": "alice-token"}
LIMIT = 256 * 1024
JSON = "application/json"


def state(client) -> dict:
    return client.get("/_emulator/state").get_json()


def refused(client, method: str, path: str, status: int = 400, **kwargs):
    """Send a request that must fail with ``status`` and change nothing; return its message."""
    before = state(client)
    response = client.open(path, method=method, headers=kwargs.pop("headers", ALICE), **kwargs)
    message = response.get_data(as_text=True)
    assert response.status_code == status, message
    assert response.mimetype == "text/plain"
    assert message.strip(), "an error must say what is wrong"
    assert state(client) == before, "a refused request changed the store"
    return message


# -- invalid JSON ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ('{"name": "A", "value": }', "not valid JSON"),
        ("{", "not valid JSON"),
        ("{'name': 'A'}", "not valid JSON"),
        ("", "not valid JSON"),
        ("   ", "not valid JSON"),
        ('{"name": "A", "value": "v"} trailing', "not valid JSON"),
        ('{"name": "A", "value": NaN}', "NaN is not allowed"),
        ('{"name": "A", "value": Infinity}', "Infinity is not allowed"),
        ('{"name": "A", "value": 1e999}', "a number is too large"),
        ("[" * 50_000 + "]" * 50_000, "nested too deeply"),
        ('{"a":' * 20_000 + "1" + "}" * 20_000, "nested too deeply"),
        ("null", "must be a JSON object"),
        ("[]", "must be a JSON object"),
        ('"name"', "must be a JSON object"),
        ("42", "must be a JSON object"),
    ],
)
@pytest.mark.parametrize("method,path", [("POST", SITE), ("PATCH", f"{SITE}/SITE_VISIBLE"), ("POST", ORG)])
def test_invalid_json_is_refused(tenant_client, method, path, raw, says):
    assert says in refused(tenant_client, method, path, data=raw, content_type=JSON)


def test_invalid_json_in_a_seed_or_settings_change_is_refused(tenant_client):
    assert "nested too deeply" in refused(tenant_client, "POST", "/_emulator/seed", data="[" * 100_000, content_type=JSON)
    assert "too large" in refused(tenant_client, "PATCH", "/_emulator/settings", data='{"cache_ttl": 1e400}', content_type=JSON)


# -- wrong content types --------------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
        "text/json",
        "application/jsonx",
    ],
)
def test_wrong_content_type_is_refused(tenant_client, content_type):
    kwargs = {"data": '{"name": "A", "value": "v"}'}
    if content_type:
        kwargs["content_type"] = content_type
    message = refused(tenant_client, "POST", SITE, **kwargs)
    assert "must be JSON (Content-Type: application/json)" in message


# -- bodies over the limit ----------------------------------------------------------------------


def test_a_body_over_the_limit_is_refused_with_413(tenant_client):
    value = "v" * LIMIT
    message = refused(tenant_client, "POST", SITE, 413, json={"name": "BIG", "value": value})
    assert f"larger than the limit of {LIMIT} bytes" in message


def test_a_large_content_length_is_refused_before_the_body_is_read(tenant_client):
    """The app answers 413 from the header alone: the (absent) body is never read."""
    message = refused(
        tenant_client, "POST", SITE, 413, data="{}", content_type=JSON, environ_overrides={"CONTENT_LENGTH": str(10**12)}
    )
    assert "larger than the limit" in message


@pytest.mark.slow
@pytest.mark.parametrize("path", [SITE, "/_emulator/seed"])
def test_real_server_refuses_a_huge_content_length_without_waiting_for_the_body(tenant_url, path):
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: alice-token\r\n"
        "Content-Type: application/json\r\nContent-Length: 500000000\r\n\r\n"
    ).encode()
    answer = raw_exchange(tenant_url, head, timeout=10)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"Content-Type: text/plain" in answer


@pytest.mark.slow
def test_real_server_refuses_a_chunked_body_over_the_api_limit(tenant_url):
    head = (
        f"POST {SITE} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: alice-token\r\n"
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    ).encode()
    piece = b" " * 16384
    chunks = [b"%x\r\n%s\r\n" % (len(piece), piece)] * (LIMIT // len(piece) + 4) + [b"0\r\n\r\n"]
    answer = raw_exchange(tenant_url, head, chunks)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert f"larger than the limit of {LIMIT} bytes".encode() in answer


@pytest.mark.slow
def test_real_server_cuts_off_an_endless_chunked_body(tenant_url):
    """A chunked body that never ends is refused once it passes the largest limit (64 MiB)."""
    head = b"POST /_emulator/seed HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    piece = b" " * (1024 * 1024)
    chunks = (b"%x\r\n%s\r\n" % (len(piece), piece) for _ in range(80))  # 80 MiB, never terminated
    answer = raw_exchange(tenant_url, head, chunks, timeout=30)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"text/plain" in answer


# -- names: huge, empty, control characters, bad bytes, traversal ---------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "",
        "N" * 256,
        "N" * 100_000,
        "A\x00B",
        "A\nB",
        "A\rB",
        "\x1b[31mRED",
        "tab\there",
        "A B",
        "A\u202eB",
        "\ud800",
        "caf\u00e9",
        "..",
        ".",
        "../state",
        "a/b",
        "%2e%2e",
        "A?B",
        "A#B",
    ],
)
def test_bad_secret_name_in_a_body_is_refused(tenant_client, name):
    message = refused(tenant_client, "POST", SITE, json={"name": name, "value": "v"})
    assert "Invalid secret name" in message
    assert "\x00" not in message and "\x1b" not in message and "\n" not in message.strip()


@pytest.mark.parametrize(
    ("path", "status"),
    [
        (f"{SITE}/..", 400),
        (f"{SITE}/%2e%2e", 400),
        (f"{SITE}/%2E%2E", 400),
        (f"{SITE}/.", 400),
        (f"{SITE}/a%2Fb", 404),
        (f"{SITE}/..%2F..%2F..%2F_emulator%2Fstate", 404),
        (f"{SITE}/%2F", 404),
        (f"{SITE}/%FF%FE", 400),
        (f"{SITE}/A%00B", 400),
        (f"{SITE}/A%0AB", 400),
        (f"{SITE}/A%1B", 400),
        (f"{SITE}/{'N' * 256}", 400),
        (f"{SITE}/{'N' * 20_000}", 400),
        (f"{SITE}/", 404),
    ],
)
@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_bad_secret_name_in_the_path_is_refused(tenant_client, method, path, status):
    refused(tenant_client, method, path, status, json={"value": "v"})


@pytest.mark.parametrize(
    "path",
    [
        f"{API}/sites/..%2Fsouth-web/secrets/showall",
        f"{API}/sites/%2e%2e/secrets/showall",
        f"{API}/sites/north-web%00/secrets/showall",
        f"{API}/sites/{'s' * 10_000}/secrets/showall",
        f"{API}/organizations/%FF/secrets",
    ],
)
def test_bad_site_or_organization_in_the_path_is_refused(tenant_client, path):
    response = tenant_client.get(path, headers=ALICE)
    assert response.status_code == 404
    assert response.mimetype == "text/plain"


def test_non_utf8_bytes_in_a_body_are_refused(tenant_client):
    raw = b'{"name": "A\xff\xfe", "value": "v"}'
    assert "invalid UTF-8" in refused(tenant_client, "POST", SITE, data=raw, content_type=JSON)
    raw = b'{"name": "A", "value": "\xc3\x28"}'
    assert "invalid UTF-8" in refused(tenant_client, "POST", SITE, data=raw, content_type=JSON)


def test_a_lone_surrogate_value_is_refused(tenant_client):
    message = refused(tenant_client, "POST", SITE, data='{"name": "A", "value": "x\\udc00"}', content_type=JSON)
    assert "not valid UTF-8" in message


@pytest.mark.parametrize("value", ["a\x00b", "line1\nline2\r\n", "\x1b[31m\t\x7f", "caf\u00e9 \U0001f511", ""])
def test_values_with_control_characters_are_kept_byte_exact(tenant_client, value):
    """Values are opaque: control characters and NUL are stored and read back unchanged."""
    response = tenant_client.post(SITE, headers=ALICE, json={"name": "RAW", "value": value, "scopes": ["web", "user"]})
    assert response.status_code == 200, response.get_data(as_text=True)
    listed = tenant_client.get(f"{API}/sites/north-web/secrets/showall", headers=ALICE).get_json()
    assert listed["Secrets"]["RAW"]["Value"] == value


# -- unknown fields, wrong JSON types -----------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body", "says"),
    [
        ("POST", SITE, {"name": "A", "value": "v", "colour": "red"}, "Unknown field 'colour'"),
        ("POST", SITE, {"name": "A", "value": "v", "Scopes": ["web"]}, "Unknown field 'Scopes'"),
        ("POST", SITE, {"name": "A", "value": "v", "\x00": 1}, "Unknown field '\\x00'"),
        ("PATCH", f"{SITE}/SITE_VISIBLE", {"value": "v", "envs": "live"}, "Unknown field 'envs'"),
        ("PATCH", f"{SITE}/SITE_VISIBLE", {"value": "v", "type": "env"}, "cannot change"),
        ("PATCH", "/_emulator/settings", {"colour": 1}, "Unknown setting 'colour'"),
        ("POST", "/_emulator/seed", {"users": [], "colour": 1}, "unknown field 'colour'"),
        ("POST", SITE, {"value": "v"}, "Missing required field 'name'"),
        ("POST", SITE, {"name": "A"}, "Missing required field 'value'"),
        ("PATCH", f"{SITE}/SITE_VISIBLE", {"env": "live"}, "Missing required field 'value'"),
    ],
)
def test_unknown_and_missing_fields_are_refused(tenant_client, method, path, body, says):
    assert says in refused(tenant_client, method, path, json=body)


WRONG_TYPES = [1, 1.5, True, None, [], {}, ["v"], {"v": 1}]


@pytest.mark.parametrize("value", WRONG_TYPES)
def test_wrong_json_type_for_value_is_refused(tenant_client, value):
    assert "Field 'value' must be a string" in refused(tenant_client, "POST", SITE, json={"name": "A", "value": value})
    if value is not None:  # null with env deletes an override; without env it is a wrong type
        refused(tenant_client, "PATCH", f"{SITE}/SITE_VISIBLE", json={"value": value, "env": "live"})
    refused(tenant_client, "PATCH", f"{SITE}/SITE_VISIBLE", json={"value": value})


@pytest.mark.parametrize("wrong", WRONG_TYPES)
@pytest.mark.parametrize("field", ["name", "type", "scopes", "env"])
def test_wrong_json_type_for_other_fields_is_refused(tenant_client, field, wrong):
    if field == "env":
        message = refused(tenant_client, "PATCH", f"{SITE}/SITE_VISIBLE", json={"value": "v", "env": wrong})
    else:
        if wrong is None and field in ("type", "scopes"):
            return  # null means the documented default: test_null_type_or_scopes_mean_the_defaults
        if field == "scopes" and wrong == []:
            message = refused(tenant_client, "POST", SITE, json={"name": "A", "value": "v", field: wrong})
            assert "at least one scope" in message
            return
        message = refused(tenant_client, "POST", SITE, json={"name": "A", "value": "v", field: wrong})
    assert f"'{field}'" in message or "scope" in message


def test_null_type_or_scopes_mean_the_defaults(tenant_client):
    response = tenant_client.post(SITE, json={"name": "NULLS", "value": "v", "type": None, "scopes": None}, headers=ALICE)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert (response.get_json()["Type"], response.get_json()["Scopes"]) == ("runtime", ["user"])


@pytest.mark.parametrize(
    "settings",
    [
        {"rate_limit": 1},
        {"rate_limit": "yes"},
        {"rate_limit_requests": 0},
        {"rate_limit_requests": 1.5},
        {"rate_limit_requests": True},
        {"rate_limit_window": 0},
        {"rate_limit_window": -1},
        {"rate_limit_window": "1"},
        {"cache_ttl": -1},
        {"cache_ttl": None},
        {"cache_ttl": 10**400},
    ],
)
def test_bad_settings_are_refused(tenant_client, settings):
    before = tenant_client.get("/_emulator/settings").get_json()
    refused(tenant_client, "PATCH", "/_emulator/settings", json=settings)
    assert tenant_client.get("/_emulator/settings").get_json() == before


@pytest.mark.parametrize(
    "doc",
    [
        {"users": [{"email": "\ud800@example.com"}]},
        {"users": [{"email": "x@example.com", "token": "\udfff"}]},
        {"sites": [{"name": "s", "framework": "\ud800"}]},
        {"sites": [{"name": "s", "runtime_token": "rt\ud800"}]},
        {"sites": [{"name": "s", "secrets": [{"name": "A", "value": "v", "overrides": 0}]}]},
        {"sites": [{"name": "s", "secrets": [{"name": "A", "value": "v", "overrides": []}]}]},
        {"sites": [{"name": "../etc", "environments": {}}]},
        {"sites": [{"name": "s", "environments": {"../x": {}}}]},
        {"organizations": [{"name": "o", "secrets": [{"name": "A", "value": "\udc00"}]}]},
        {"sites": "north-web"},
        [],
    ],
)
def test_bad_seed_documents_are_refused_whole(tenant_client, doc):
    import json

    message = refused(tenant_client, "POST", "/_emulator/seed", data=json.dumps(doc), content_type=JSON)
    assert message.startswith("Seed rejected at ") or "must be a JSON object" in message or "expected an object" in message
